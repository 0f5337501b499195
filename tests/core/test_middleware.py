"""Input no view can use is refused before any view runs, on every engine.

PostgreSQL refuses a NUL character in a query parameter (DataError, a 500)
where SQLite stores it; both must answer 400 instead.
"""

import pytest
from django.test import Client

from ntm.accounts.models import Role
from tests.factories import HouseholdFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, villages, units):
    HouseholdFactory(code="HGD000001", village=villages["hn1"])
    officer = make_member(units["ha_nha"], Role.COMMUNE_OFFICER)
    client.force_login(officer, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/don-vi/49%00/",
        "/don-vi/?q=dai%00loc",
        "/don-vi/?q%00=dai",
        "/ho-gia-dinh/HGD%00001/",
        "/ho-gia-dinh/?q=a%00b",
        "/api/v1/households/HGD%00001",
        "/api/v1/households?q=a%00b",
        "/api/v1/units/49%00",
    ],
)
def test_nul_in_path_or_query_is_a_400(officer_client, url):
    response = officer_client.get(url)

    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_nul_in_a_form_value_is_a_400_and_changes_nothing(officer_client):
    response = officer_client.post(
        "/ho-gia-dinh/HGD000001/sua/", {"head_name": "An\x00", "members": "2"}
    )

    assert response.status_code == 400
    assert "ký tự rỗng" in response.content.decode()


def test_nul_in_a_cookie_is_a_400(units):
    client = Client()
    client.cookies["sessionid"] = "\x00" * 32

    response = client.get("/don-vi/")

    assert response.status_code == 400


def test_api_refusals_are_json(officer_client):
    response = officer_client.get("/api/v1/households/HGD%00001")

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "NUL" in response.json()["detail"]


def test_multipart_without_a_boundary_is_a_400(officer_client):
    response = officer_client.generic(
        "POST",
        "/ho-gia-dinh/HGD000001/sua/",
        b"head_name=x",
        content_type="multipart/form-data",
    )

    assert response.status_code == 400
    assert "multipart" in response.content.decode()


def test_multipart_without_a_boundary_to_the_api_is_a_415(officer_client):
    response = officer_client.generic(
        "POST", "/api/v1/households", b"x", content_type="multipart/form-data"
    )

    assert response.status_code == 415
    assert "JSON" in response.json()["detail"]


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/ho-gia-dinh/HGD000001/sua/", "application/x-www-form-urlencoded"),
        ("/api/v1/households", "application/json"),
    ],
)
def test_a_body_over_the_limit_is_a_413(officer_client, settings, url, content_type):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = b'{"head_name": "' + b"a" * 2048 + b'"}'

    response = officer_client.generic("POST", url, body, content_type=content_type)

    assert response.status_code == 413
