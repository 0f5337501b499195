import pytest

from ntm.households.services import create_household
from tests.factories import EcommercePlatformFactory


@pytest.fixture
def platforms(db):
    return {
        "voso": EcommercePlatformFactory(name="Voso.vn"),
        "postmart": EcommercePlatformFactory(name="PostMart.vn"),
    }


@pytest.fixture
def make_household(db):
    """Households built through the service, as the pages build them."""
    counter = iter(range(1, 10_000))

    def make(village, **fields):
        fields.setdefault("code", f"HGD{next(counter):05d}")
        fields.setdefault("head_name", "Nguyễn Văn An")
        fields.setdefault("members", 4)
        return create_household(village=village, by=None, **fields)

    return make


@pytest.fixture
def login(client):
    """Sign a user in; django-axes comes first in the backends, so name one."""

    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in
