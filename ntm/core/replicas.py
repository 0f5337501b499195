"""Reads from streaming replicas (issue 15; docs/deployment.md "Scale out").

With ``DB_REPLICA_HOST`` set, the settings add a ``replica`` database and
this router. django-multidb-router does the pinning: a request that is not
GET/HEAD/OPTIONS, and every request for ``MULTIDB_PINNING_SECONDS`` after
one (its cookie), reads from the primary, so a user sees their own writes.
On top of it:

- only the read-only requests' queries go to the replica: task workers and
  management commands read the primary, whose figures they recompute;
- a write inside a request pins the rest of that request to the primary;
- the replica is used only while it answers and keeps up: checked every
  ``REPLICA_CHECK_SECONDS`` per process; a replica that is down, or whose
  last replayed transaction is more than ``REPLICA_MAX_LAG_SECONDS`` behind
  a primary that has moved on, is left alone until the next check;
- a page whose replica dies under it is answered again from the primary.
"""

import logging
import threading
import time

import multidb
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from multidb.middleware import PinningRouterMiddleware
from multidb.pinning import pin_this_thread, this_thread_is_pinned

logger = logging.getLogger(__name__)

_request = threading.local()  # serving: a read-only request is being served
_health = {}  # alias: (checked at, usable)


class ReplicaRouter(multidb.PinningReplicaRouter):
    def db_for_read(self, model, **hints):
        if (
            not getattr(_request, "serving", False)
            or this_thread_is_pinned()
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        alias = multidb.get_replica()
        if alias == DEFAULT_DB_ALIAS or not usable(alias):
            return DEFAULT_DB_ALIAS
        _request.used = alias
        return alias

    def db_for_write(self, model, **hints):
        # Read-after-write inside the request: what it wrote is on the primary.
        pin_this_thread()
        _request.wrote = True
        return DEFAULT_DB_ALIAS


def usable(alias):
    """Whether ``alias`` answers and keeps up, checked at most every
    ``REPLICA_CHECK_SECONDS`` in this process."""
    checked_at, ok = _health.get(alias, (None, False))
    now = time.monotonic()
    if checked_at is None or now - checked_at >= settings.REPLICA_CHECK_SECONDS:
        ok = _check(alias)
        _health[alias] = (now, ok)
    return ok


def forget_health():
    """Check every replica again on the next read (tests, after a failover)."""
    _health.clear()


def _check(alias):
    try:
        with connections[alias].cursor() as cursor:
            if connections[alias].vendor != "postgresql":
                cursor.execute("SELECT 1")  # no streaming replication to ask about
                return True
            cursor.execute(
                "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, "
                "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())"
            )
            standby, replayed, age = cursor.fetchone()
            if not standby:
                return True  # a promoted replica, or the primary itself
            with connections[DEFAULT_DB_ALIAS].cursor() as primary:
                primary.execute("SELECT pg_current_wal_lsn()::text")
                (current,) = primary.fetchone()
            cursor.execute("SELECT pg_wal_lsn_diff(%s, %s)", [current, replayed])
            (behind,) = cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Replica %s unusable: %s", alias, error)
        connections[alias].close()
        return False
    # Behind in bytes only matters once it has also been behind for a while:
    # an idle primary's last transaction may be old and fully replayed.
    lagging = behind > 0 and (age is None or age > settings.REPLICA_MAX_LAG_SECONDS)
    if lagging:
        logger.warning("Replica %s lags: %s bytes, %s s", alias, behind, age)
    return not lagging


class ReplicaMiddleware(PinningRouterMiddleware):
    """The pinning cookie, read-only requests marked for the router, and a
    page whose replica failed answered again from the primary."""

    def process_request(self, request):
        super().process_request(request)
        _request.serving = True
        _request.used = None
        _request.wrote = False

    def process_exception(self, request, exception):
        alias = getattr(_request, "used", None)
        if alias is None or not isinstance(exception, DatabaseError):
            return None
        if usable_now(alias):
            return None  # the replica is fine: the error is the page's own
        pin_this_thread()
        match = request.resolver_match
        logger.warning("Replica %s failed; %s read again", alias, request.path)
        return match.func(request, *match.args, **match.kwargs)

    def process_response(self, request, response):
        if getattr(_request, "wrote", False):
            response._db_write = True  # the cookie: the next reads see it
        _request.serving = False
        return super().process_response(request, response)


def usable_now(alias):
    _health.pop(alias, None)
    return usable(alias)
