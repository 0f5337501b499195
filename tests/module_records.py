"""Records built once for a whole test module (the demo takes seconds to
load), shared by its tests."""

import contextlib

from django.core.cache import cache
from django.db import connection, transaction


@contextlib.contextmanager
def kept_for_module(django_db_blocker):
    """Records built once for a whole module (the demo takes seconds to load),
    in a transaction rolled back after the module; each test runs in a
    savepoint inside it (the ``db`` fixture), so one test's writes never
    reach the next. Use it in a module-scoped fixture.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            cache.clear()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()


def check_deferred_constraints():
    """Check the module's records' deferred foreign keys once, now. Left
    pending in the outer transaction, PostgreSQL checks them all again at
    every test's teardown (Django checks constraints before it rolls a test
    back, and the rollback restores them as pending): 170 ms a test."""
    connection.check_constraints()
