"""Reads from a replica (issue 15 item 4, ntm/core/replicas.py).

The replica here is a second connection to the test database (on
PostgreSQL, not a standby: the standby itself, pg_basebackup and replay lag
are exercised by bench/replica.py); a replica that is down is a connection
to nowhere.
"""

import contextlib

import multidb
import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import override_settings
from django.urls import reverse

from ntm.core import replicas
from ntm.units.models import Unit

pytestmark = pytest.mark.django_db(
    transaction=True, databases=[DEFAULT_DB_ALIAS, "replica"]
)

ROUTED = {
    "DATABASE_ROUTERS": ["ntm.core.replicas.ReplicaRouter"],
    "REPLICA_DATABASES": ["replica"],
}


@contextlib.contextmanager
def _replica(**changes):
    """The router, and the ``replica`` alias (tests/conftest.py) with ``changes``."""
    replica = connections["replica"]
    # A test mirror shares the primary's settings dict: replaced, not
    # changed; without the primary's pool, as the settings make a replica
    # (a pool would keep lending connections made before the changes).
    kept = replica.settings_dict
    options = {k: v for k, v in kept.get("OPTIONS", {}).items() if k != "pool"}
    replica.close()
    replica.settings_dict = {**kept, "OPTIONS": options, **changes}
    replica.close()  # again: an in-memory SQLite connection closes only now
    multidb.replicas = None
    replicas.forget_health()
    try:
        with override_settings(**ROUTED, MIDDLEWARE=_middleware()):
            yield
    finally:
        replica.close()
        replica.settings_dict = kept
        multidb.replicas = None
        replicas.forget_health()


def _middleware():
    from django.conf import settings

    kept = [m for m in settings.MIDDLEWARE if m != settings.REPLICA_MIDDLEWARE]
    kept.insert(
        kept.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
        settings.REPLICA_MIDDLEWARE,
    )
    return kept


@contextlib.contextmanager
def _counting():
    """{alias: queries run on it} while the block runs."""
    counts = {DEFAULT_DB_ALIAS: 0, "replica": 0}
    stack = contextlib.ExitStack()

    def counter(alias):
        def wrapper(execute, sql, params, many, context):
            counts[alias] += 1
            return execute(sql, params, many, context)

        return wrapper

    with stack:
        for alias in counts:
            stack.enter_context(connections[alias].execute_wrapper(counter(alias)))
        yield counts


@pytest.fixture
def unit(units):
    return units["ha_nha"]


def _unit_api(unit):
    return f"/api/v1/units/{unit.code}"


def test_a_read_only_request_reads_the_replica(client, unit):
    with _replica(), _counting() as counts:
        response = client.get(_unit_api(unit))
    assert response.status_code == 200
    assert response.json()["name"] == unit.name
    assert counts["replica"] > 0
    assert counts[DEFAULT_DB_ALIAS] == 0


def test_a_write_goes_to_the_primary_and_the_next_reads_follow_it(client, unit):
    with _replica():
        with _counting() as counts:
            response = client.post(
                reverse("accounts:login"), {"username": "x", "password": "y"}
            )
        assert counts[DEFAULT_DB_ALIAS] > 0
        assert counts["replica"] == 0
        # Its cookie keeps the user's next reads on the primary, which has
        # what they wrote even when the replica has not replayed it yet.
        assert "ntm_primary" in response.cookies
        with _counting() as counts:
            assert client.get(_unit_api(unit)).status_code == 200
        assert counts["replica"] == 0
        assert counts[DEFAULT_DB_ALIAS] > 0


def test_a_write_inside_a_request_pins_its_later_reads():
    router = replicas.ReplicaRouter()
    with _replica():
        replicas._request.serving = True
        try:
            multidb.pinning.unpin_this_thread()
            assert router.db_for_read(Unit) == "replica"
            assert router.db_for_write(Unit) == DEFAULT_DB_ALIAS
            assert router.db_for_read(Unit) == DEFAULT_DB_ALIAS
        finally:
            replicas._request.serving = False
            multidb.pinning.unpin_this_thread()


def test_reads_outside_requests_stay_on_the_primary():
    """Task workers and commands recompute figures from what was just written."""
    with _replica():
        assert replicas.ReplicaRouter().db_for_read(Unit) == DEFAULT_DB_ALIAS


def test_with_the_replica_down_pages_still_answer(client, unit):
    down = (
        {"HOST": "127.0.0.1", "PORT": "1"}
        if connections[DEFAULT_DB_ALIAS].vendor == "postgresql"
        else {"NAME": "/nonexistent/replica.sqlite3"}
    )
    with _replica(**down), _counting() as counts:
        response = client.get(_unit_api(unit))
        assert not replicas.usable("replica")
    assert response.status_code == 200
    assert response.json()["name"] == unit.name
    assert counts[DEFAULT_DB_ALIAS] > 0


def test_a_replica_that_dies_under_a_page_is_read_again_from_the_primary(client, unit):
    """The health check said yes a moment ago; the query fails: the page is
    answered from the primary rather than with a 500."""
    with _replica():
        assert replicas.usable("replica")
        # The replica goes away between the check and the page's queries.
        down = (
            {"PORT": "1"}
            if connections[DEFAULT_DB_ALIAS].vendor == "postgresql"
            else {"NAME": "/nonexistent/replica.sqlite3"}
        )
        replica = connections["replica"]
        kept = replica.settings_dict
        replica.settings_dict = {**kept, **down}
        replica.close()
        try:
            response = client.get(_unit_api(unit))
        finally:
            replica.close()
            replica.settings_dict = kept
    assert response.status_code == 200
    assert response.json()["name"] == unit.name
