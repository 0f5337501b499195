import pytest

from ntm.accounts.models import Role
from ntm.accounts.services import create_api_token
from tests.factories import make_member
from tests.plans.conftest import plan  # noqa: F401  (the loaded Đại Lộc plan)


@pytest.fixture
def officer(units):
    """A commune officer of Xã Hà Nha (keeps its register, enters values)."""
    return make_member(units["ha_nha"], Role.COMMUNE_OFFICER, username="canboxa")


@pytest.fixture
def key_for():
    """An API key of ``user`` with ``scopes``, as the header a client sends."""

    def make(user, *scopes):
        _token, key = create_api_token(
            user,
            name="Hệ thống tỉnh",
            scopes=list(scopes) or ["read"],
            days=30,
            by=user,
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    return make
