import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.surveys.conftest import make_survey

pytestmark = pytest.mark.django_db

LIMITS = {"login": "2/m", "public_forms": "2/m", "api": "2/m"}


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.RATE_LIMITS = LIMITS
    cache.clear()
    yield
    cache.clear()


def test_sign_in_is_limited_per_client(client):
    url = reverse("accounts:login")
    statuses = [
        client.post(url, {"username": f"u{n}", "password": "x"}).status_code
        for n in range(3)
    ]

    response = client.post(url, {"username": "u9", "password": "x"})
    assert statuses == [200, 200, 429]
    assert response.status_code == 429
    assert "Bạn gửi quá nhiều yêu cầu" in response.content.decode()


def test_sign_in_to_one_account_is_limited_across_clients(client):
    url = reverse("accounts:login")
    for n in range(2):
        client.post(
            url, {"username": "admin", "password": "x"}, REMOTE_ADDR=f"1.1.1.{n}"
        )

    response = client.post(
        url, {"username": "admin", "password": "x"}, REMOTE_ADDR="2.2.2.2"
    )

    assert response.status_code == 429


def test_public_survey_form_is_limited_but_another_client_is_not(client, units):
    survey = make_survey(units["ha_nha"])
    url = reverse("surveys:public-start", args=[survey.slug])
    for _ in range(2):
        client.post(url, {"code": "HN0001", "secret": "0000"})

    refused = client.post(url, {"code": "HN0001", "secret": "0000"})
    other = client.post(
        url, {"code": "HN0001", "secret": "0000"}, REMOTE_ADDR="9.9.9.9"
    )

    assert refused.status_code == 429
    assert other.status_code == 200


def test_api_is_limited_with_a_json_answer(client, units):
    url = "/api/v1/units"
    for _ in range(2):
        assert client.get(url).status_code == 200

    response = client.get(url)

    assert response.status_code == 429
    assert response.json() == {
        "detail": "Bạn gửi quá nhiều yêu cầu. Vui lòng chờ một lát rồi thử lại."
    }
