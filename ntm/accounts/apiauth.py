"""Who is calling the API: a signed-in session or an API key (Bearer).

Every operation that needs a caller takes ``auth=api_auth("<domain>")``:
an ``Authorization: Bearer <key>`` header is tried first, then the session
cookie. A key acts as its owner, with the owner's roles on units, and only
within its scopes: ``read`` for GET, ``write:<domain>`` for the rest. The
session still needs the CSRF token on unsafe methods (django-ninja's
SessionAuth checks it); a key does not, since a browser never sends one on
its own.
"""

from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from .models import ApiToken
from .services import record_token_use

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ApiKeyAuth(HttpBearer):
    """``Authorization: Bearer ntm_…``: a key made on the account page."""

    def __init__(self, domain=None):
        self.domain = domain
        super().__init__()

    def required_scope(self, request):
        if request.method in SAFE_METHODS:
            return ApiToken.Scope.READ
        return f"write:{self.domain}" if self.domain else None

    def authenticate(self, request, key):
        token = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(digest=ApiToken.digest_of(key), user__is_active=True)
            .first()
        )
        if token is None:
            raise HttpError(
                401, _("Khóa API không đúng, đã hết hạn hoặc đã bị thu hồi.")
            )
        scope = self.required_scope(request)
        if scope is None or not token.allows(scope):
            raise HttpError(
                403,
                _("Khóa API này không có phạm vi “%(scope)s”.")
                % {"scope": scope or _("ghi")},
            )
        record_token_use(token)
        # The rest of the request acts as the owner, with the owner's roles.
        request.user = token.user
        return token


def anyone(request):
    """The last resort of an operation open to all: no credentials needed.

    A key or session sent to such an operation still counts (a signed-in
    officer reads more there); a wrong key is refused, not ignored.
    """
    return ANYONE


ANYONE = "anyone"


def api_auth(domain=None, *, optional=False):
    """The auth list of an operation: API key first, then session + CSRF.

    ``domain`` names the write scope (``write:<domain>``); without one, a
    key may only read. ``optional`` lets callers without credentials in too.
    """
    callbacks = [ApiKeyAuth(domain), SessionAuth()]
    return [*callbacks, anyone] if optional else callbacks


def token_of(request):
    """The API key the request came with, if it came with one."""
    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None
