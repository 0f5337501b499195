import shutil
import threading

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections

from ntm.accounts.models import Role
from ntm.core.publiccache import forget_local
from ntm.core.ratelimits import forget_local_counts
from ntm.units.models import Unit
from ntm.units.services import load_reference_units

from .factories import BEFORE_2025, make_member, make_village

# A "replica" alias for the replica router's tests (tests/core/test_replicas.py):
# a test mirror of the default database, so a second connection to it. Only
# tests that ask for it (databases=[..., "replica"]) may use it; the router is
# installed only by those tests.
connections.settings.setdefault(
    "replica",
    {**connections.settings["default"], "TEST": {"MIRROR": DEFAULT_DB_ALIAS}},
)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: shared pages, figures, the
    data version (core/publiccache.py) and the rate limits' counts of one
    test never meet the next."""
    cache.clear()
    forget_local()
    forget_local_counts()


@pytest.fixture(autouse=True)
def _empty_exports_folder():
    """Export files of one test never meet the next (job ids start again)."""
    yield
    shutil.rmtree(settings.EXPORTS_ROOT, ignore_errors=True)


@pytest.fixture
def units(db):
    """The real units of Đại Lộc and the 2025 reorganisation."""
    load_reference_units(by=None)
    return {
        "ha_nha": Unit.objects.by_code("20515"),
        "vu_gia": Unit.objects.by_code("20539"),
        "dai_dong": Unit.objects.by_code("20515", on=BEFORE_2025),
        "district": Unit.objects.by_code("506", on=BEFORE_2025),
        "city": Unit.objects.by_code("48"),
    }


@pytest.fixture
def villages(units):
    """Two villages of Xã Hà Nha and one of Xã Vu Gia (current units)."""
    return {
        "hn1": make_village(units["ha_nha"], 1),
        "hn2": make_village(units["ha_nha"], 2),
        "vg1": make_village(units["vu_gia"], 1),
    }


@pytest.fixture
def village_head(villages):
    return make_member(villages["hn1"], Role.VILLAGE_HEAD, username="truongthon")


@pytest.fixture
def commune_officer(units):
    return make_member(units["ha_nha"], Role.COMMUNE_OFFICER, username="canboxa")


@pytest.fixture
def at_once():
    """Run ``calls`` in threads released together, as parallel requests are.

    Each thread has its own database connection, closed when it ends; the
    test needs ``django_db(transaction=True)`` so the threads see its rows.
    Returns, per call, what it returned or the exception it raised. On
    PostgreSQL the calls really overlap and wait on row locks; the in-memory
    SQLite test database runs them one transaction at a time (see below), so
    there they check the outcome, not the locking.
    """

    def run(calls):
        barrier = threading.Barrier(len(calls))
        outcomes = [None] * len(calls)

        def work(index, call):
            try:
                barrier.wait()
                outcomes[index] = _in_turn(call)
            except Exception as error:  # the test reads it
                outcomes[index] = error
            finally:
                connection.close()

        threads = [
            threading.Thread(target=work, args=(index, call))
            for index, call in enumerate(calls)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return outcomes

    return run


# The test's in-memory SQLite (one cache shared by the connections) answers
# "table is locked" at once instead of waiting as a file or PostgreSQL does;
# retrying on that starved a writer behind fifty readers for 40 minutes in CI.
# So on SQLite the released calls take turns, in whatever order they arrive.
_sqlite_turn = threading.Lock()


def _in_turn(call):
    if connection.vendor != "sqlite":
        return call()
    with _sqlite_turn:
        return call()
