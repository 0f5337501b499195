import re

import pytest
from csp.decorators import csp_update
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from ntm.accounts.models import Role
from ntm.core.contentpolicy import PrebuiltPolicyMiddleware
from tests.factories import HouseholdFactory, make_member
from tests.surveys.conftest import make_survey
from tests.workbooks import exported

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>")
INLINE_STYLE = re.compile(r"<style\b|\sstyle=")
EVENT_HANDLER = re.compile(r"\son[a-z]+=")


@pytest.fixture
def officer(client, villages):
    user = make_member(villages["hn1"].parent, Role.COMMUNE_OFFICER)
    HouseholdFactory(code="HN0001", village=villages["hn1"])
    client.force_login(user)
    return user


def _pages(units):
    survey = make_survey(units["ha_nha"])
    return [
        reverse("home"),
        reverse("dashboards:plan-summary"),
        reverse("units:unit-list"),
        reverse("units:unit-detail", args=["20515"]),
        reverse("accounts:login"),
        reverse("surveys:public-start", args=[survey.slug]),
    ]


def _assert_strict(response):
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    html = response.content.decode()
    assert INLINE_SCRIPT.findall(html) == []
    assert INLINE_STYLE.findall(html) == []
    assert EVENT_HANDLER.findall(html) == []


def test_public_pages_send_a_strict_policy_and_hold_no_inline_code(client, units):
    for url in _pages(units):
        response = client.get(url)

        assert response.status_code == 200, url
        _assert_strict(response)


def test_the_policy_follows_the_settings_and_a_views_own_change(
    client, units, settings
):
    # The header is built once (core/contentpolicy.py): a view that widens it
    # still gets its own, and a change of the settings still shows.
    home = client.get(reverse("home"))["Content-Security-Policy"]

    @csp_update({"img-src": ["blob:"]})  # as the tourism site page
    def widened(request):
        return HttpResponse("ok")

    middleware = PrebuiltPolicyMiddleware(widened)
    request = RequestFactory().get("/")
    middleware.process_request(request)
    own = middleware.process_response(request, widened(request))
    assert "blob:" in own["Content-Security-Policy"] and "blob:" not in home
    assert client.get(reverse("home"))["Content-Security-Policy"] == home
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'", "data:"]}
    }
    changed = client.get(reverse("units:unit-list"))["Content-Security-Policy"]
    assert sorted(changed.split("; ")) == ["default-src 'self'", "img-src 'self' data:"]


def test_staff_pages_send_a_strict_policy_and_are_never_stored(client, officer):
    for url in [
        reverse("households:household-list"),
        reverse("households:household-detail", args=["HN0001"]),
        reverse("surveys:survey-list"),
    ]:
        response = client.get(url)

        assert response.status_code == 200, url
        _assert_strict(response)
        assert "no-store" in response["Cache-Control"]


def test_register_export_is_never_stored(client, officer):
    response = exported(client, reverse("households:household-export"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_public_pages_may_be_stored(client, units):
    response = client.get(reverse("home"))

    assert "no-store" not in response.get("Cache-Control", "")
