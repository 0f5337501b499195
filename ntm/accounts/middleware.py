from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

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
