"""Shared public pages (ntm/core/publiccache.py): what every visitor sees the
same is served from the cache, per data version; nothing of one visitor
reaches another."""

import re

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from ntm.core import publiccache
from ntm.core.publiccache import bump_data_version, data_version
from ntm.households.services import create_household

from ..factories import UserFactory
from ..surveys.conftest import make_survey

pytestmark = pytest.mark.django_db
HOME = "/"


def _household_stat(response):
    html = response.content.decode()
    found = re.search(r"Hộ gia đình</div><div class=\"stat\">([\d.]+)<", html)
    return found.group(1)


def _token(response):
    html = response.content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.fixture
def survey_page(units):
    # A public page with a form: each visitor's copy holds their own token.
    return reverse("surveys:public-start", args=[make_survey(units["ha_nha"]).slug])


def _add_household(village, code):
    return create_household(
        village=village, by=None, code=code, head_name="Nguyễn Văn An", members=4
    )


def test_a_repeated_anonymous_request_is_served_without_the_view(
    client, villages, django_assert_num_queries
):
    first = client.get(HOME)
    assert first.context is not None  # rendered
    with django_assert_num_queries(0):
        again = client.get(HOME)
    assert again.status_code == 200
    assert again.context is None  # the shared copy
    assert _household_stat(again) == _household_stat(first)


def test_a_write_moves_the_version_and_the_next_page_shows_it(client, villages):
    _add_household(villages["hn1"], "HGD000001")
    before = data_version()
    assert _household_stat(client.get(HOME)) == "1"
    assert _household_stat(client.get(HOME)) == "1"  # from the cache
    _add_household(villages["hn2"], "HGD000002")
    assert data_version() != before
    assert _household_stat(client.get(HOME)) == "2"


def test_an_unchanged_page_answers_not_modified(client, villages):
    first = client.get(HOME)
    etag = first["ETag"]
    again = client.get(HOME, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    _add_household(villages["hn1"], "HGD000001")
    changed = client.get(HOME, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_another_visitors_tag_does_not_answer_not_modified(survey_page):
    # The tag of a page holding a token carries the visitor's CSRF secret: a
    # copy kept by one browser holds a token only its own cookie validates.
    one, other = Client(), Client()
    etag = one.get(survey_page)["ETag"]
    other.get(survey_page)
    assert other.get(survey_page, HTTP_IF_NONE_MATCH=etag).status_code == 200
    assert one.get(survey_page, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_page_without_a_form_is_the_same_for_every_visitor(villages):
    # No token in it, so no cookie, one tag for all and public caching.
    one, other = Client(), Client()
    first = one.get(HOME)
    assert "X-CSRFToken" not in first.content.decode()
    assert settings.CSRF_COOKIE_NAME not in first.cookies
    assert first["Cache-Control"] == "public, no-cache"
    assert other.get(HOME)["ETag"] == first["ETag"]
    assert other.get(HOME, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_signed_in_user_never_gets_the_anonymous_copy(client, villages):
    user = UserFactory(full_name="canbo_vhtt")
    anonymous = client.get(HOME)
    assert "canbo_vhtt" not in anonymous.content.decode()
    signed_in = Client()
    signed_in.force_login(user)
    page = signed_in.get(HOME)
    assert page.context is not None  # rendered for them, not the shared copy
    assert "canbo_vhtt" in page.content.decode()
    assert "no-store" in page["Cache-Control"]


def test_the_anonymous_copy_is_never_made_from_a_signed_in_request(villages):
    signed_in = Client()
    signed_in.force_login(UserFactory(full_name="canbo_vhtt"))
    assert "canbo_vhtt" in signed_in.get(HOME).content.decode()
    anonymous = Client()
    first = anonymous.get(HOME)
    assert first.context is not None  # nothing was shared from the user's page
    for response in (first, anonymous.get(HOME)):
        assert "canbo_vhtt" not in response.content.decode()
        assert "Đăng xuất" not in response.content.decode()


def test_two_anonymous_visitors_get_their_own_csrf_token(survey_page):
    one, other = Client(), Client()
    one_token = _token(one.get(survey_page))
    other_token = _token(other.get(survey_page))
    assert "placeholder" not in one_token + other_token
    one_secret = one.cookies[settings.CSRF_COOKIE_NAME].value
    other_secret = other.cookies[settings.CSRF_COOKIE_NAME].value
    assert one_secret != other_secret
    assert _unmask_cipher_token(one_token) == one_secret
    assert _unmask_cipher_token(other_token) == other_secret
    # The second visitor's page came from the cache, with its own token.
    assert _unmask_cipher_token(_token(other.get(survey_page))) == other_secret


def test_the_query_is_part_of_the_key(client, units):
    url = reverse("units:unit-list")
    everything = client.get(url)
    found = client.get(url, {"q": "Hà Nha"})
    assert found.context is not None  # not the copy of the page without ?q=
    assert "Vu Gia" in everything.content.decode()
    assert "Vu Gia" not in found.content.decode()
    assert client.get(url, {"q": "Hà Nha"}).context is None


def test_a_page_with_a_pending_message_is_not_shared(client, villages):
    client.get(HOME)
    client.cookies["messages"] = "x"
    assert client.get(HOME).context is not None


def _bumps_at_commit():
    return [
        func
        for _sids, func, _robust in connection.run_on_commit
        if func is publiccache._bump
    ]


def test_writes_in_many_savepoints_bump_once_at_commit_and_a_rollback_keeps_one():
    with transaction.atomic():
        with transaction.atomic():
            bump_data_version()
            transaction.set_rollback(True)
        # Rolled back with its savepoint: the next write registers again.
        assert _bumps_at_commit() == []
        for _ in range(50):
            with transaction.atomic():
                bump_data_version()
        # Released savepoints keep the first one: one bump for the commit.
        assert len(_bumps_at_commit()) == 1
        with transaction.atomic():
            bump_data_version()
            transaction.set_rollback(True)
        # The inner rollback drops nothing registered outside it.
        assert len(_bumps_at_commit()) == 1


# -- Answered before the middleware (SharedCopyMiddleware) ----------------------


def _headers(response):
    return {k: v for k, v in response.headers.items() if k.lower() != "date"}


def test_a_visitor_without_a_session_gets_the_copy_before_the_middleware(villages):
    first = Client().get(HOME)
    again = Client().get(HOME)
    assert not getattr(first, "shared_early", False)  # through the whole stack
    assert again.shared_early
    assert again.content == first.content
    # The same answer as the whole stack gave: framing, Vary, policy, tag.
    assert _headers(again) == _headers(first)
    assert again["X-Frame-Options"] == "DENY"
    assert "Cookie" in again["Vary"]
    assert "Content-Security-Policy" in again
    assert Client().get(HOME, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_copy_holding_a_token_early_gives_each_visitor_their_own(survey_page):
    Client().get(survey_page)
    visitor = Client()
    page = visitor.get(survey_page)
    assert page.shared_early
    secret = visitor.cookies[settings.CSRF_COOKIE_NAME].value
    assert _unmask_cipher_token(_token(page)) == secret
    assert page["Cache-Control"] == "private, no-cache"
    # Back with the cookie: the same secret, not a new one.
    again = visitor.get(survey_page)
    assert again.shared_early
    assert _unmask_cipher_token(_token(again)) == secret
    # Renewed, as Django's own middleware does when a token is used.
    assert again.cookies[settings.CSRF_COOKIE_NAME].value == secret


def test_a_session_an_api_key_or_a_message_goes_through_the_whole_stack(villages):
    Client().get(HOME)
    user = UserFactory(full_name="canbo_vhtt")
    signed_in = Client()
    signed_in.force_login(user)
    page = signed_in.get(HOME)
    assert not getattr(page, "shared_early", False)
    assert "canbo_vhtt" in page.content.decode()
    keyed = Client().get(HOME, HTTP_AUTHORIZATION="Bearer x")
    assert not getattr(keyed, "shared_early", False)
    with_message = Client()
    with_message.cookies["messages"] = "x"
    assert with_message.get(HOME).context is not None
    # A cookie it does not know may change the page (the tourism language).
    other_cookie = Client()
    other_cookie.cookies["tourism_lang"] = "en"
    assert not getattr(other_cookie.get(HOME), "shared_early", False)
    with_csrf = Client()
    with_csrf.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
    assert with_csrf.get(HOME).shared_early


def test_an_early_copy_is_not_served_after_a_write(villages):
    _add_household(villages["hn1"], "HGD000001")
    Client().get(HOME)
    assert Client().get(HOME).shared_early
    _add_household(villages["hn2"], "HGD000002")
    after = Client().get(HOME)
    assert not getattr(after, "shared_early", False)
    assert _household_stat(after) == "2"


def test_the_api_limit_counts_early_answers(client, units, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "3/m"}
    statuses = [client.get("/api/v1/units") for _ in range(5)]
    assert any(getattr(r, "shared_early", False) for r in statuses[:3])
    assert [r.status_code for r in statuses] == [200, 200, 200, 429, 429]
    assert statuses[3].json()["detail"].startswith("Bạn gửi quá nhiều")
