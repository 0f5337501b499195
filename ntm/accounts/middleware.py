import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .permissions import must_use_two_factor

# Pages a district admin may open before confirming a one-time code.
OPEN_PREFIXES = ("/tai-khoan/", "/static/", "/api/openapi.json", "/api/docs")


class RequireTwoFactorMiddleware:
    """District admins must sign in with a one-time code before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and not user.is_verified()
            and must_use_two_factor(user)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:two-factor')}?{query}")
        return self.get_response(request)


class StaffSessionMiddleware:
    """Sign staff out after STAFF_SESSION_SECONDS, or STAFF_IDLE_SECONDS idle.

    Citizens never sign in (surveys verify a household instead), so every
    session with a user is a staff session on an office computer that may be
    shared. The times are kept in the session; the idle clock is written at
    most once a minute, so a busy page does not write the session each time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.get("signed_in_at", now)
            seen = session.get("seen_at", now)
            if (
                now - started > settings.STAFF_SESSION_SECONDS
                or now - seen > settings.STAFF_IDLE_SECONDS
            ):
                logout(request)
                messages.info(
                    request, _("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.")
                )
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('accounts:login')}?{query}")
            if now - seen >= 60 or "signed_in_at" not in session:
                session["seen_at"] = now
                session.setdefault("signed_in_at", now)
        return self.get_response(request)


def start_session_clocks(sender, request, user, **kwargs):
    """Receiver of user_logged_in: the clocks StaffSessionMiddleware reads."""
    now = time.time()
    request.session["signed_in_at"] = now
    request.session["seen_at"] = now
