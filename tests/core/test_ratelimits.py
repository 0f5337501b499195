import uuid

import pytest
import redis
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from ntm.core.ratelimits import forget_local_counts
from tests.core.production import redis_or_skip
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


def test_one_phone_s_ipv6_addresses_share_its_64_limit(client, units):
    url = "/api/v1/units"
    for host in ("1", "2"):
        assert client.get(url, REMOTE_ADDR=f"2001:db8:1:2::{host}").status_code == 200

    same_64 = client.get(url, REMOTE_ADDR="2001:db8:1:2:ffff::3")
    other_64 = client.get(url, REMOTE_ADDR="2001:db8:1:3::1")

    assert (same_64.status_code, other_64.status_code) == (429, 200)


def test_limits_count_in_redis_in_one_window_that_expires(client, units):
    redis_url = redis_or_skip()
    prefix = f"ntm-test-{uuid.uuid4().hex}"
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=redis_cache):
        statuses = [client.get("/api/v1/units").status_code for _ in range(3)]
        other = client.get("/api/v1/units", REMOTE_ADDR="9.9.9.9").status_code
        server = redis.Redis.from_url(redis_url)
        counters = server.keys(f"{prefix}:*rl:api:*")
        windows = {server.get(key) for key in counters}
        expiries = [server.ttl(key) for key in counters]
        server.delete(*server.keys(f"{prefix}:*"))

    assert statuses == [200, 200, 429]
    assert other == 200
    # Two clients, each counted once per request in its own window.
    assert windows == {b"3", b"1"}
    assert all(0 < ttl <= 61 for ttl in expiries)


@override_settings(RATE_LIMITS={**LIMITS, "api": "60/m"})
def test_a_large_limit_counted_in_batches_still_refuses_the_request_over_it(
    client, units
):
    statuses = [client.get("/api/v1/units").status_code for _ in range(61)]

    assert statuses == [200] * 60 + [429]


def test_a_batch_reaches_the_shared_count_and_other_processes(client, units):
    redis_url = redis_or_skip()
    prefix = f"ntm-test-{uuid.uuid4().hex}"
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    limits = {**LIMITS, "api": "300/m"}  # batches of 10
    server = redis.Redis.from_url(redis_url)
    with override_settings(CACHES=redis_cache, RATE_LIMITS=limits):
        for _ in range(25):
            client.get("/api/v1/units")
        (counter,) = server.keys(f"{prefix}:*rl:api:*")
        sent = int(server.get(counter))
        # Another worker process, once the client is at 299: it reads the
        # shared count with its first batch, so it lets at most 9 more by.
        forget_local_counts()
        server.set(counter, 299, keepttl=True)
        statuses = [client.get("/api/v1/units").status_code for _ in range(11)]
        server.delete(*server.keys(f"{prefix}:*"))

    assert sent == 20  # two batches; five requests not sent yet
    assert statuses == [200] * 9 + [429, 429]
