"""API keys on the API: the owner's roles, limited by the key's scopes."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from ntm.accounts.models import ApiToken
from ntm.core.models import ActionLog
from ntm.households.models import Household
from ntm.households.services import create_household

pytestmark = pytest.mark.django_db
URL = "/api/v1/households"


def _new(village, code="API-7"):
    body = {"code": code, "village": village.code, "head_name": "Lê Văn Tư"}
    return json.dumps(body)


def test_read_key_reads_what_its_owner_sees(client, villages, officer, key_for):
    mine = create_household(
        village=villages["hn1"], code="HN-1", head_name="A", by=None
    )
    create_household(village=villages["vg1"], code="VG-1", head_name="B", by=None)

    response = client.get(URL, **key_for(officer, "read"))

    assert response.status_code == 200
    assert [h["code"] for h in response.json()["results"]] == [mine.code]
    assert ApiToken.objects.get().last_used_at is not None


def test_read_only_key_gets_403_on_a_write(client, villages, officer, key_for):
    response = client.post(
        URL, _new(villages["hn1"]), "application/json", **key_for(officer, "read")
    )

    assert response.status_code == 403
    assert "write:households" in response.json()["detail"]
    assert not Household.objects.exists()


def test_write_key_writes_without_csrf_and_the_use_is_logged(
    villages, officer, key_for
):
    client = Client(enforce_csrf_checks=True)
    headers = key_for(officer, "read", "write:households")

    response = client.post(URL, _new(villages["hn1"]), "application/json", **headers)

    assert response.status_code == 201
    household = Household.objects.get()
    created = ActionLog.objects.get(action="households.household.created")
    assert created.actor == officer
    used = ActionLog.objects.get(action="accounts.token.used")
    assert used.actor == officer
    assert used.data["method"] == "POST" and used.data["status"] == 201
    assert used.object_id == str(ApiToken.objects.get().pk)
    assert household.village == villages["hn1"]


def test_write_key_keeps_its_owners_units(client, villages, officer, key_for):
    headers = key_for(officer, "read", "write:households")

    response = client.post(URL, _new(villages["vg1"]), "application/json", **headers)

    assert response.status_code == 403
    assert not Household.objects.exists()


def test_write_key_of_another_domain_gets_403(client, villages, officer, key_for):
    headers = key_for(officer, "read", "write:indicators")

    response = client.post(URL, _new(villages["hn1"]), "application/json", **headers)

    assert response.status_code == 403


@pytest.mark.parametrize("state", ["revoked", "expired", "wrong", "owner_disabled"])
def test_unusable_key_gets_401(client, villages, officer, key_for, state):
    headers = key_for(officer, "read")
    token = ApiToken.objects.get()
    if state == "revoked":
        ApiToken.objects.update(revoked_at=timezone.now())
    elif state == "expired":
        ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(1))
    elif state == "wrong":
        headers = {"HTTP_AUTHORIZATION": f"Bearer {token.hint}xxxxxxxx"}
    else:
        officer.is_active = False
        officer.save()

    response = client.get(URL, **headers)

    assert response.status_code == 401
    assert "Khóa API" in response.json()["detail"]


def test_no_credentials_get_401_in_vietnamese(client, villages):
    response = client.get(URL)

    assert response.status_code == 401
    assert response.json()["detail"].startswith("Cần đăng nhập")


def test_session_still_needs_csrf_on_writes(villages, officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")

    refused = client.post(URL, _new(villages["hn1"]), "application/json")
    client.get("/tai-khoan/")  # sets the CSRF cookie, as any page does
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        URL, _new(villages["hn1"]), "application/json", HTTP_X_CSRFTOKEN=token
    )

    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert accepted.status_code == 201
    assert not ActionLog.objects.filter(action="accounts.token.used").exists()


def test_public_operation_reads_more_with_a_key(client, units, officer, key_for):
    # Open to anyone, but a wrong key is refused rather than ignored.
    anonymous = client.get("/api/v1/ocop/entities")
    wrong = client.get(
        "/api/v1/ocop/entities", HTTP_AUTHORIZATION="Bearer ntm_not-a-key"
    )
    with_key = client.get("/api/v1/ocop/entities", **key_for(officer))

    assert anonymous.status_code == 200
    assert wrong.status_code == 401
    assert with_key.status_code == 200


def test_rate_limit_counts_each_key_apart(settings, client, villages, officer, key_for):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "2/m"}
    cache.clear()
    first, second = key_for(officer), key_for(officer)

    statuses = [client.get(URL, **first).status_code for _ in range(3)]
    other = client.get(URL, **second)

    assert statuses == [200, 200, 429]
    assert other.status_code == 200
    cache.clear()
