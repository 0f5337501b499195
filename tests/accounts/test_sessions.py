import time

import pytest
from django.urls import reverse

from ntm.accounts.models import Role
from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, villages):
    user = make_member(villages["hn1"].parent, Role.COMMUNE_OFFICER)
    client.force_login(user)
    return user


def _age_session(client, **shifts):
    session = client.session
    for key, seconds in shifts.items():
        session[key] = session.get(key, time.time()) - seconds
    session.save()


def test_staff_session_ends_after_an_idle_hour(client, officer):
    url = reverse("households:household-list")
    assert client.get(url).status_code == 200
    _age_session(client, seen_at=3601)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert client.get(url).status_code == 302  # signed out for good


def test_staff_session_ends_eight_hours_after_sign_in_however_busy(client, officer):
    url = reverse("households:household-list")
    assert client.get(url).status_code == 200
    _age_session(client, signed_in_at=8 * 3600 + 1)

    assert client.get(url).status_code == 302


def test_a_busy_staff_session_goes_on(client, officer):
    url = reverse("households:household-list")
    assert client.get(url).status_code == 200
    _age_session(client, signed_in_at=3 * 3600, seen_at=59 * 60)

    assert client.get(url).status_code == 200
