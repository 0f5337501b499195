"""What every visitor sees the same: public pages and figures, cached.

One data version for the whole platform, kept in the cache and replaced
when a write commits (every write goes through a service that logs an
``ActionLog`` row, core/audit.py, which bumps it): reading it is one cache
read, never a scan of a table. Today's date is part of it, because open
years are read live and their figures move with the day.

``shared_page`` wraps a public view: anonymous GETs (no pending message)
get the response kept under the page's path, query and language, rendered
once per data version with a placeholder for the CSRF token that each
visitor gets replaced by their own; an ETag built from the version and the
visitor's CSRF cookie answers a conditional GET with 304. A signed-in user
always gets the view itself (their header, their menu), never the shared
copy, and the shared copy is never made from their request. After a write,
the first visitor renders the page again while the others keep getting the
previous copy (no pile of renderings of the same page).

``SharedCopyMiddleware`` answers a visitor with no session cookie from the
copy this process served last for the same key, before the session, CSRF,
authentication and message middleware run: they would only find an
anonymous visitor, and on a cached page they were most of the cost. The
copy's headers are those the whole stack gave it the first time, so both
answers are the same.

``last_good`` keeps the figures a page shows (the plan's results, the open
data rows) with the time they were computed: after a write, readers get the
last good figures and their "as of" time while the task worker recomputes
them, once for several writes in a short window (debounced). With a task
backend that cannot defer (the embedded default, tasks run inline), the
first reader after a write recomputes them instead.
"""

import datetime
import hashlib
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.module_loading import import_string

from .ratelimits import refusal

VERSION_KEY = "core:data-version"
# Moves when figures are recomputed: the pages showing them render again.
FIGURES_VERSION_KEY = "core:figures-version"
CSRF_PLACEHOLDER = "csrf-shared-placeholder-5d1e7a"
# Kept long: an entry older than the data version still serves the
# visitors who come while the first one renders the new copy.
ENTRY_SECONDS = 24 * 3600
# A copy is rendered again after this long even with no write: a write
# outside the services (the admin, the shell) shows within this time.
RENDER_LOCK_SECONDS = 30
KNOWN_FIGURES_KEY = "core:figures:known"
# Response headers of the view kept with the copy (the middleware adds the
# others on every response).
KEPT_HEADERS = {
    "content-type",
    "content-language",
    "content-disposition",
    "access-control-allow-origin",
    "link",
    "cache-control",
}


# Each worker process keeps the copies it served and the versions it read
# last (checked against the shared cache at most every
# PUBLIC_VERSION_CHECK_SECONDS): a hit then costs no round trip to Redis.
LOCAL_PAGES = 256
_local = {
    "versions": None,
    "checked": 0.0,
    "pages": OrderedDict(),
    # key: the headers the whole middleware stack gave that page's answer
    "headers": OrderedDict(),
}


def forget_local():
    """Drop this process's copies and versions (tests empty the cache)."""
    _local.update(
        versions=None, checked=0.0, pages=OrderedDict(), headers=OrderedDict()
    )


# -- The data version -----------------------------------------------------------


@dataclass(frozen=True)
class DataVersion:
    key: str
    # When the last write committed (the first read after a cache flush).
    at: datetime.datetime


def data_version():
    """The current ``DataVersion``: one cache read."""
    return _version(cache.get(VERSION_KEY))


def _version(found):
    if found is None:
        found = (uuid.uuid4().hex[:12], timezone.now())
        if not cache.add(VERSION_KEY, found, None):
            found = cache.get(VERSION_KEY) or found
    token, at = found
    return DataVersion(f"{token}-{timezone.localdate().isoformat()}", at)


def bump_data_version():
    """A new version now and again once the current transaction commits
    (audit.py calls it with every write it logs).

    The version taken now keeps a page rendered before the write from being
    served as current inside the transaction (and in tests, which never
    commit); the one taken at the commit, once per transaction however many
    rows it logs, keeps a page rendered meanwhile from the data before the
    commit from being served after it. Deferred figures are scheduled for
    recomputation at the commit.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _bump()
        return
    _new_version()
    # Once per transaction: any ``_bump`` still registered runs at this
    # commit, or is dropped with this write. Django drops a callback when a
    # savepoint it was registered in rolls back; a released savepoint can no
    # longer roll back, and the ones still open hold this write too. (Looking
    # for one registered in an enclosing savepoint only, as this did, added
    # one per write in a loop of savepoints: 3 million comparisons to load
    # the demo.)
    if not any(func is _bump for _sids, func, _robust in connection.run_on_commit):
        transaction.on_commit(_bump)


def _new_version():
    cache.set(VERSION_KEY, (uuid.uuid4().hex[:12], timezone.now()), None)
    _local["versions"] = None  # this process sees its own write at once


def _bump():
    _new_version()
    if _can_defer():
        for path, args in (cache.get(KNOWN_FIGURES_KEY) or {}).values():
            _schedule(path, args)


# -- Shared pages ---------------------------------------------------------------


def csrf_placeholder(request):
    """Context processor: the placeholder instead of the token in a shared copy."""
    if getattr(request, "_rendering_shared", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def shareable(request):
    """An anonymous GET with no pending message: it sees what all others see."""
    return (
        request.method in ("GET", "HEAD")
        and "authorization" not in request.headers  # API tokens
        and not request.user.is_authenticated
        and "messages" not in request.COOKIES
        and not (request.session.session_key and request.session.get("_messages"))
    )


def shared_page(view):
    """Serve ``view``'s response to anonymous visitors from the shared cache."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not shareable(request):
            return view(request, *args, **kwargs)
        # Its own key: a decorator may have switched the language since
        # SharedCopyMiddleware made one.
        key = _page_key(request)
        version = _page_version()
        entry = _local["pages"].get(key)
        if entry is None or not _is_current(entry, version):
            entry = cache.get(key)
        stale = entry is not None and not _is_current(entry, version)
        # After a write the first visitor renders the new copy; the others
        # get the previous one meanwhile.
        if entry is None or (
            stale and cache.add(f"{key}:lock", 1, RENDER_LOCK_SECONDS)
        ):
            try:
                rendered = _render(request, view, args, kwargs, version)
            finally:
                if stale:
                    cache.delete(f"{key}:lock")
            if rendered is None:
                return view(request, *args, **kwargs)
            if isinstance(rendered, HttpResponse):
                return rendered
            entry = rendered
            cache.set(key, entry, ENTRY_SECONDS)
        response = _response(request, entry)
        if not stale:
            _keep(_local["pages"], key, entry)
            # SharedCopyMiddleware learns it, when its own key is the same.
            response._shared_entry = (key, entry)
        return response

    return wrapper


# Set per answer by _response or by the CSRF middleware: never replayed.
PER_RESPONSE_HEADERS = {"etag", "last-modified", "content-length", "set-cookie"}
# Not on a 304 (Django's HttpResponseNotModified drops them too).
BODY_HEADERS = {"content-type", "content-disposition", "content-language"}


class SharedCopyMiddleware:
    """Repeat anonymous requests for a shared page answered from this
    process's copy before the rest of the middleware (see the module's
    docstring). Placed after the security, static files and content policy
    middleware, before the session middleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Its own cookie handling, for a copy that holds a visitor's token.
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        key = _early_key(request)
        if key is None:
            return self.get_response(request)
        entry = _local["pages"].get(key)
        headers = _local["headers"].get(key)
        if headers is not None and entry and _is_current(entry, _page_version()):
            return self._answer(request, entry, headers)
        response = self.get_response(request)
        shared = getattr(response, "_shared_entry", None)
        if shared is not None and shared[0] == key and response.status_code == 200:
            kept = [
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in PER_RESPONSE_HEADERS
            ]
            _keep(_local["headers"], key, kept)
        return response

    def _answer(self, request, entry, headers):
        refused = refusal(request)
        if refused is not None:
            return refused
        self.csrf.process_request(request)  # the visitor's CSRF cookie, if any
        response = _response(request, entry)
        for name, value in headers:
            if name not in response and (
                response.status_code == 200 or name.lower() not in BODY_HEADERS
            ):
                response[name] = value
        # As CommonMiddleware does (the token makes a copy longer).
        response["Content-Length"] = str(len(response.content))
        response.shared_early = True
        return self.csrf.process_response(request, response)


def _early_key(request):
    """The page key of a request that may be answered early, or None: a
    GET with no API key and no cookie but those that never change a shared
    page. So no session (nobody signed in, no pending message), and no
    cookie a view reads to answer differently (the tourism pages' language)."""
    if (
        request.method not in ("GET", "HEAD")
        or "authorization" in request.headers
        or not _HARMLESS_COOKIES.issuperset(request.COOKIES)
    ):
        return None
    try:
        return _page_key(request)
    except DisallowedHost:
        return None  # CommonMiddleware answers it


# The CSRF cookie (a copy with a token reads it here) and the replicas'
# read-after-write pin (a copy is the same from either database).
_HARMLESS_COOKIES = frozenset(
    {settings.CSRF_COOKIE_NAME, settings.MULTIDB_PINNING_COOKIE}
)


def _page_version():
    """The data and figures versions: from this process's memory when it
    read them less than PUBLIC_VERSION_CHECK_SECONDS ago."""
    now = time.monotonic()
    versions = _local["versions"]
    if (
        versions is None
        or now - _local["checked"] >= settings.PUBLIC_VERSION_CHECK_SECONDS
    ):
        found = cache.get_many([VERSION_KEY, FIGURES_VERSION_KEY])
        data = _version(found.get(VERSION_KEY))
        versions = DataVersion(
            f"{data.key}-{found.get(FIGURES_VERSION_KEY, 0)}", data.at
        )
        _local.update(versions=versions, checked=now)
    return versions


def _keep(store, key, value):
    """``store[key] = value``, forgetting the least recently kept past
    LOCAL_PAGES."""
    store[key] = value
    store.move_to_end(key)
    while len(store) > LOCAL_PAGES:
        store.popitem(last=False)


def _page_key(request):
    parts = [
        request.scheme,
        request.get_host(),
        request.path,
        "&".join(sorted(f"{k}={v}" for k, vs in request.GET.lists() for v in vs)),
        translation.get_language() or "",
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return f"core:page:{digest}"


def _is_current(entry, version):
    age = (timezone.now() - entry["rendered_at"]).total_seconds()
    return entry["version"] == version.key and age < entry["seconds"]


def _render(request, view, args, kwargs, version):
    """The entry to keep, the response itself when it must not be kept, or
    None when the view has to run again for this visitor (it used the real
    CSRF token itself)."""
    used_before = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
    request._rendering_shared = True
    try:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
    finally:
        request._rendering_shared = False
    used_token = request.META["CSRF_COOKIE_NEEDS_UPDATE"]
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = used_before or used_token
    if used_token:
        # The view asked for the real token: its body is this visitor's.
        return None if _holds_placeholder(response) else response
    cache_control = response.get("Cache-Control", "")
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or "private" in cache_control
        or "no-store" in cache_control
    ):
        return None if _holds_placeholder(response) else response
    return {
        "version": version.key,
        "modified": version.at,
        "rendered_at": timezone.now(),
        # A view may keep its copy for less (a survey opening at a set time).
        "seconds": min(
            getattr(response, "shared_seconds", None) or settings.PUBLIC_PAGE_SECONDS,
            settings.PUBLIC_PAGE_SECONDS,
        ),
        "content": response.content,
        "headers": [
            (name, value)
            for name, value in response.headers.items()
            if name.lower() in KEPT_HEADERS
        ],
        "digest": hashlib.sha256(response.content).hexdigest()[:16],
    }


def _holds_placeholder(response):
    return not response.streaming and CSRF_PLACEHOLDER.encode() in response.content


def _response(request, entry):
    content = entry["content"]
    personal = CSRF_PLACEHOLDER.encode() in content
    etag = _etag(request, entry, personal)
    response = get_conditional_response(
        request, etag=etag, last_modified=entry["modified"].timestamp()
    )
    if response is None:
        if personal:
            token = get_token(request)  # a new visitor gets a new secret here
            content = content.replace(CSRF_PLACEHOLDER.encode(), token.encode())
            etag = _etag(request, entry, personal)  # of the secret it now has
        response = HttpResponse(content)
        for name, value in entry["headers"]:
            response[name] = value
    response["ETag"] = etag
    response["Last-Modified"] = http_date(entry["modified"].timestamp())
    if "Cache-Control" not in response:
        # Browsers keep it and ask again each time (a 304 is a few bytes);
        # a page holding a visitor's token is theirs only.
        response["Cache-Control"] = (
            "private, no-cache" if personal else "public, no-cache"
        )
    return response


def _etag(request, entry, personal):
    # The visitor's CSRF secret is part of the tag of a page holding a
    # token: a copy kept by the browser holds a token of the cookie it had.
    if not personal:
        return f'"{entry["digest"]}"'
    secret = request.META.get("CSRF_COOKIE", "")
    digest = hashlib.sha256(f"{entry['digest']}:{secret}".encode()).hexdigest()
    return f'"{digest[:24]}"'


# -- Last good figures ------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    value: object
    computed_at: datetime.datetime
    # False while newer figures are being computed.
    current: bool


def last_good(compute, *args):
    """``compute(*args)``'s last good result as ``Figures``.

    ``compute`` is a module-level function (the task worker imports it by
    name) whose arguments are plain values (ids, codes).
    """
    path = f"{compute.__module__}.{compute.__qualname__}"
    key = _figures_key(path, args)
    version = data_version()
    stored = cache.get(key)
    if stored is not None and _figures_current(stored, version):
        return Figures(stored["value"], stored["computed_at"], True)
    if stored is None or not _can_defer():
        stored = _compute(path, args, version)
        return Figures(stored["value"], stored["computed_at"], True)
    _schedule(path, args)
    return Figures(stored["value"], stored["computed_at"], False)


def recompute_figures(path, args):
    """The task's work: compute and keep the figures of ``path(*args)``."""
    cache.delete(_figures_key(path, args) + ":pending")
    _compute(path, tuple(args), data_version())


def _figures_key(path, args):
    return "core:figures:" + ":".join([path, *map(str, args)])


def _figures_current(stored, version):
    age = (timezone.now() - stored["computed_at"]).total_seconds()
    return stored["version"] == version.key and age < settings.FIGURES_MAX_AGE_SECONDS


def _compute(path, args, version):
    # The version is read before computing: a write during the computation
    # leaves these figures behind it, and the next reader schedules again.
    stored = {
        "version": version.key,
        "computed_at": timezone.now(),
        "value": import_string(path)(*args),
    }
    key = _figures_key(path, args)
    cache.set(key, stored, ENTRY_SECONDS)
    cache.set(FIGURES_VERSION_KEY, uuid.uuid4().hex[:8], None)
    _local["versions"] = None
    known = cache.get(KNOWN_FIGURES_KEY) or {}
    if key not in known:
        known[key] = (path, list(args))
        cache.set(KNOWN_FIGURES_KEY, known, None)
    return stored


def _can_defer():
    from django_tasks import default_task_backend

    return default_task_backend.supports_defer


def _schedule(path, args):
    """One recomputation for all the writes of the next few seconds."""
    from .tasks import recompute

    delay = settings.FIGURES_DEBOUNCE_SECONDS
    if cache.add(_figures_key(path, args) + ":pending", 1, delay + 120):
        recompute.using(
            run_after=timezone.now() + datetime.timedelta(seconds=delay)
        ).enqueue(path, list(args))
