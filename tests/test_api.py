"""The API's answers to bodies it cannot use: 4xx in Vietnamese, never 500."""

import json

import pytest

from ntm.accounts.models import Role
from ntm.households.models import Household
from tests.factories import make_member

pytestmark = pytest.mark.django_db
URL = "/api/v1/households"


@pytest.fixture
def officer_client(client, units):
    officer = make_member(units["ha_nha"], Role.COMMUNE_OFFICER)
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _payload(villages, head_name):
    return {
        "code": "API-9",
        "village": villages["hn1"].code,
        "head_name": head_name,
        "members": 2,
    }


@pytest.mark.parametrize("head_name", ["An\ud800", "An\udfff Bình", "An\x00"])
def test_api_refuses_text_no_database_can_store(officer_client, villages, head_name):
    body = json.dumps(_payload(villages, head_name))

    response = officer_client.post(URL, body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Dữ liệu gửi lên chứa ký tự")
    assert Household.objects.count() == 0


def test_api_refuses_a_body_that_is_not_json_in_vietnamese(officer_client):
    response = officer_client.post(URL, b'{"code": ', content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Nội dung gửi lên không phải JSON hợp lệ (mã hóa UTF-8)."
    }


def test_api_refuses_a_form_where_it_takes_json(officer_client, villages):
    response = officer_client.post(URL, _payload(villages, "An"))

    assert response.status_code == 415
    assert Household.objects.count() == 0
