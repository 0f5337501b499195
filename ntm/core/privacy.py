"""Pages for signed-in staff are never kept by a browser or a proxy."""

from django.utils.cache import patch_cache_control


class NoStoreForStaffMiddleware:
    """Send ``Cache-Control: no-store`` with every answer to a signed-in user.

    Everything behind the sign-in may carry personal data (the household
    register, its exports, survey answers): a shared computer's cache or a
    proxy must not keep it. A page that set its own Cache-Control keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
