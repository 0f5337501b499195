"""Rate limits per client address on sign-in, public forms and the API, and
per API key for machine clients.

The limits are settings.RATE_LIMITS (django-ratelimit's rates: N/s, N/m,
N/h), and which requests they cover is listed here once, so no view has to
remember its decorator. Clients are told apart by address (ntm.core.clients),
API key or posted username; the counting is a fixed window in the shared
cache. On Redis a count is one round trip (INCRBY and EXPIRE NX in one
pipeline): django-ratelimit's own counting takes three there (ADD, then
Django's incr, which checks EXISTS before INCRBY).

A large limit is counted in batches: each worker process adds its requests
to the shared count once per ``batch`` requests of a client (a thirtieth of
the limit, at most 10; 10 for the API's 300 a minute), and refuses on the
shared count it last read plus its own since. Measured under gunicorn, the
round trip per request was a third of an API call's time (cProfile, the
public unit API from the shared copy). The price: a client may get
``batch - 1`` requests more per worker process in a window than the limit
(18 of 300 with two workers); small limits (sign-in, public forms) are
counted on every request, exactly.
"""

import hashlib
import ipaddress
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import _split_rate

from .clients import client_address

PUBLIC_FORMS = {
    "surveys:public-start",
    "surveys:public-send-code",
    "surveys:public-answer",
    "feedback:report-create",
    "feedback:report-join",
    "feedback:report-reopen",
}
LOGIN_VIEWS = {"accounts:login", "accounts:login-code"}


def _limit_for(request, view_name):
    if request.path.startswith("/api/"):
        return "api"
    if request.method != "POST":
        return None
    if view_name in LOGIN_VIEWS:
        return "login"
    if view_name in PUBLIC_FORMS:
        return "public_forms"
    return None


class RateLimitMiddleware:
    """Answer 429, in Vietnamese, to a client over its limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        return refusal(request, match.view_name if match else "")


def refusal(request, view_name=""):
    """The 429 answer for a request over its limit (this one counted), or
    None. A GET needs no view name: only the API limits GETs."""
    group = _limit_for(request, view_name)
    if group is None or not _over(request, group):
        return None
    message = _("Bạn gửi quá nhiều yêu cầu. Vui lòng chờ một lát rồi thử lại.")
    if group == "api":
        return JsonResponse({"detail": message}, status=429)
    return render(request, "core/rate_limited.html", {"message": message}, status=429)


def _api_key(group, request):
    """A hash of the Bearer key sent, or None: a provincial system behind one
    address with several keys gets the limit once per key."""
    scheme, _space, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return None
    return hashlib.sha256(key.strip().encode()).hexdigest()


def _over(request, group):
    limit, period = _split_rate(settings.RATE_LIMITS[group])
    keys = [_address]
    if group == "api" and _api_key(group, request):
        keys = [_api_key]
    if group == "login":
        # A spread-out attack on one account is limited too (django-axes
        # then locks the username and address pair).
        keys.append(_username)
    window = int(time.time() // period)
    return any(
        _count(f"rl:{group}:{key.__name__}:{value}:{window}", period, limit) > limit
        for key in keys
        if (value := key(group, request)) is not None
    )


def _address(group, request):
    """The client's address; an IPv6 client by its /64, since one home or
    phone is given a whole /64 to pick addresses from."""
    address = client_address(request)
    if ":" in address:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return address


def _username(group, request):
    return request.POST.get("username", "")


# This process's counts not yet added to the shared count, and the shared
# count it last read: {name: [unsent, shared]}. Names carry their window;
# the dictionary is emptied when it grows past KEEP_AT_MOST (a new window, or
# a flood of addresses), forgetting at most what a batch would have sent.
_LOCAL = {}
_LOCK = threading.Lock()
KEEP_AT_MOST = 20_000


def _batch(limit):
    return max(1, min(10, limit // 30))


def _count(name, period, limit):
    """This window's requests for ``name``, this one included, as this
    process knows them."""
    batch = _batch(limit)
    if batch == 1:
        return _add_shared(name, period, 1)
    with _LOCK:
        if len(_LOCAL) > KEEP_AT_MOST:
            _LOCAL.clear()
        entry = _LOCAL.setdefault(name, [0, 0])
        entry[0] += 1
        if entry[0] < batch and entry[1] + entry[0] <= limit:
            return entry[1] + entry[0]
        unsent, entry[0] = entry[0], 0
    shared = _add_shared(name, period, unsent)
    with _LOCK:
        entry[1] = shared
    return shared


def forget_local_counts():
    """Forget this process's unsent counts (tests: another process)."""
    with _LOCK:
        _LOCAL.clear()


def _add_shared(name, period, amount):
    """Add ``amount`` to the shared count ``name``; its new value."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        key = cache.make_and_validate_key(name)
        client = cache._cache.get_client(key, write=True)
        with client.pipeline(transaction=False) as pipe:
            pipe.incrby(key, amount)
            pipe.expire(key, period + 1, nx=True)
            count, _expiry = pipe.execute()
        return count
    if cache.add(name, amount, period + 1):
        return amount
    try:
        return cache.incr(name, amount)
    except ValueError:  # expired between the two calls
        cache.add(name, amount, period + 1)
        return amount
