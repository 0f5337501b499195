import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from ntm.accounts.models import Role
from tests.factories import make_member


@pytest.fixture
def district_admin(units):
    user = make_member(units["city"], Role.DISTRICT_ADMIN, username="quantri")
    return user


@pytest.fixture
def admin_device(district_admin):
    return TOTPDevice.objects.create(user=district_admin, name="App", confirmed=True)
