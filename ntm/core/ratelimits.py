"""Rate limits per client address on sign-in, public forms and the API, and
per API key for machine clients.

The counting is django-ratelimit's (in the shared cache: Redis in
production); the limits are settings.RATE_LIMITS, and which requests they
cover is listed here once, so no view has to remember its decorator.
"""

import hashlib

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

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
        group = _limit_for(request, match.view_name if match else "")
        if group is None or not _over(request, group):
            return None
        message = _("Bạn gửi quá nhiều yêu cầu. Vui lòng chờ một lát rồi thử lại.")
        if group == "api":
            return JsonResponse({"detail": message}, status=429)
        return render(
            request, "core/rate_limited.html", {"message": message}, status=429
        )


def _api_key(group, request):
    """A hash of the Bearer key sent, or None: a provincial system behind one
    address with several keys gets the limit once per key."""
    scheme, _space, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        return None
    return hashlib.sha256(key.strip().encode()).hexdigest()


def _over(request, group):
    rate = settings.RATE_LIMITS[group]
    keys = ["ip"]
    if group == "api" and _api_key(group, request):
        keys = [_api_key]
    if group == "login":
        # A spread-out attack on one account is limited too (django-axes
        # then locks the username and address pair).
        keys.append("post:username")
    return any(
        is_ratelimited(
            request,
            group=f"ntm.{group}.{getattr(key, '__name__', key)}",
            key=key,
            rate=rate,
            increment=True,
        )
        for key in keys
    )
