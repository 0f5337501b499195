"""API keys: made and revoked on the account page and by district admins."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ntm.accounts.models import ApiToken, Role
from ntm.accounts.services import (
    AccountError,
    create_api_token,
    record_token_use,
    revoke_api_token,
)
from ntm.core.models import ActionLog
from tests.factories import make_member

pytestmark = pytest.mark.django_db

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def officer(units):
    return make_member(units["ha_nha"], Role.COMMUNE_OFFICER, username="canbo")


def test_create_api_token_keeps_only_a_hash_and_logs_it(officer):
    token, key = create_api_token(
        officer, name="Hệ thống tỉnh", scopes=["read"], days=30, by=officer
    )

    assert key.startswith("ntm_") and len(key) > 40
    assert token.digest == ApiToken.digest_of(key) != key
    assert key not in str(ApiToken.objects.values().get())
    assert token.hint == key[:10]
    assert list(ApiToken.objects.active()) == [token]
    log = ActionLog.objects.get(action__startswith="accounts.token")
    assert log.action == "accounts.token.created"
    assert key not in str(log.data)


@pytest.mark.parametrize(
    ("name", "scopes", "days"),
    [("", ["read"], 30), ("x", [], 30), ("x", ["delete:all"], 30), ("x", ["read"], 0)],
)
def test_create_api_token_refuses_bad_input(officer, name, scopes, days):
    with pytest.raises(AccountError):
        create_api_token(officer, name=name, scopes=scopes, days=days, by=officer)

    assert ApiToken.objects.count() == 0


def test_revoked_and_expired_tokens_are_not_active(officer):
    revoked, _ = create_api_token(officer, name="a", scopes=["read"], days=30, by=None)
    expired, _ = create_api_token(officer, name="b", scopes=["read"], days=30, by=None)
    kept, _ = create_api_token(officer, name="c", scopes=["read"], days=30, by=None)
    ApiToken.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    revoke_api_token(revoked, by=officer)

    assert list(ApiToken.objects.active()) == [kept]
    with pytest.raises(AccountError):
        revoke_api_token(revoked, by=officer)


def test_record_token_use_writes_at_most_once_a_minute(
    officer, django_assert_num_queries
):
    token, _ = create_api_token(officer, name="a", scopes=["read"], days=30, by=None)
    record_token_use(token)

    with django_assert_num_queries(0):
        record_token_use(token)

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_page_shows_a_new_key_once(client, officer):
    client.force_login(officer, backend=BACKEND)
    url = reverse("accounts:token-list")

    made = client.post(url, {"name": "Hệ thống tỉnh", "scopes": ["read"], "days": 90})
    again = client.get(url)

    token = ApiToken.objects.get()
    assert made.status_code == 200
    key = made.context["new_key"]
    assert ApiToken.digest_of(key) == token.digest
    assert key in made.content.decode()
    assert key not in again.content.decode()
    assert "Hệ thống tỉnh" in again.content.decode()
    assert token.user == officer and token.scopes == ["read"]


def test_token_page_refuses_a_user_without_a_role(client, db):
    from tests.factories import UserFactory

    client.force_login(UserFactory(), backend=BACKEND)

    response = client.get(reverse("accounts:token-list"))

    assert response.status_code == 403


def test_owner_revokes_own_token_but_not_another_officers(client, officer, units):
    mine, _ = create_api_token(officer, name="a", scopes=["read"], days=30, by=None)
    other = make_member(units["vu_gia"], Role.COMMUNE_OFFICER)
    theirs, _ = create_api_token(other, name="b", scopes=["read"], days=30, by=None)
    client.force_login(officer, backend=BACKEND)

    ok = client.post(reverse("accounts:token-revoke", args=[mine.pk]))
    refused = client.post(reverse("accounts:token-revoke", args=[theirs.pk]))

    assert ok.status_code == 302
    assert refused.status_code == 403
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and mine.revoked_by == officer
    assert theirs.revoked_at is None


def test_district_admin_makes_and_revokes_keys_for_people_in_their_units(
    client, district_admin, admin_device, officer, units
):
    outsider = make_member(units["district"], Role.COMMUNE_OFFICER, username="ngoai")
    client.force_login(district_admin, backend=BACKEND)
    session = client.session
    session["otp_device_id"] = admin_device.persistent_id
    session.save()
    url = reverse("accounts:token-admin-list")

    made = client.post(
        url, {"username": "canbo", "name": "Tỉnh", "scopes": ["read"], "days": 30}
    )
    refused = client.post(
        url, {"username": "ngoai", "name": "Tỉnh", "scopes": ["read"], "days": 30}
    )
    token = ApiToken.objects.get()
    revoked = client.post(reverse("accounts:token-revoke", args=[token.pk]))

    assert made.status_code == 200 and made.context["new_key"]
    assert token.user == officer
    assert "ngoai" in refused.content.decode()
    assert not outsider.api_tokens.exists()
    assert revoked.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == district_admin


def test_district_admin_needs_the_one_time_code_for_keys(client, district_admin):
    client.force_login(district_admin, backend=BACKEND)

    response = client.get(reverse("accounts:token-list"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:two-factor"))
