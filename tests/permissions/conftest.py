import logging

import pytest
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from ntm.accounts.models import User

from ..module_records import check_deferred_constraints, kept_for_module
from .world import PICKED, ROLES, build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo district, loaded once for the module in a transaction that
    is rolled back after it; each test runs in a savepoint inside it (the
    ``db`` fixture), so one test's writes never reach the next.

    Returns the session cookie of each role, signed in (the district admin
    past the one-time code).
    """
    # Thousands of refusals: Django's one warning line for each is noise.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    PICKED.clear()
    try:
        with kept_for_module(django_db_blocker):
            build_world()
            check_deferred_constraints()
            sessions = {}
            for username in ROLES[1:]:
                client = Client()
                user = User.objects.get(username=username)
                client.force_login(user)
                device = TOTPDevice.objects.filter(user=user).first()
                if device is not None:
                    session = client.session
                    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
                    session.save()
                sessions[username] = client.cookies[settings.SESSION_COOKIE_NAME].value
            yield sessions
    finally:
        request_log.setLevel(level)


@pytest.fixture
def client_as(world, db):
    """A test client signed in as ``role`` (a fresh one: a view that signs
    out never reaches the next test)."""

    def make(role):
        client = Client()
        if role != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = world[role]
        return client

    return make


@pytest.fixture(autouse=True)
def _empty_cache():
    """Unlike the other tests (tests/conftest.py), the matrix keeps the cache
    between its cases: the world is the same for all of them, and a figure
    or a shared page computed once per world instead of once per role takes
    a third off the matrix's time. Outcomes do not depend on it: a signed-in
    request never gets the shared copy (tests/core/test_publiccache.py), and
    every write a case makes moves the data version it is cached under."""
