"""The Content-Security-Policy header, built once.

django-csp builds the header from ``CONTENT_SECURITY_POLICY`` on every
response: about 0.1 ms each, a sixth of what a cached public page costs
(measured with cProfile on the home page's shared copy). The platform's
policy has no nonces and is the same for every response unless a view
changes it (``csp_update`` on the tourism map, for its panorama's blob
images), so the header string is built once per settings and reused; a
response that a view changed, or a request that asked for a nonce, gets
django-csp's own handling.
"""

from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# Set by django-csp's decorators on a response whose view changed the policy.
VIEW_CHANGES = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


class PrebuiltPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if not _plain(request, response):
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:
            return response  # the debug pages, as django-csp leaves them
        header, report_only = _headers()
        if header and HEADER not in response:
            response[HEADER] = header
        if report_only and HEADER_REPORT_ONLY not in response:
            response[HEADER_REPORT_ONLY] = report_only
        # As django-csp: a nonce asked for after this would not be in the header.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


def _plain(request, response):
    """The policy of the settings applies as it is."""
    return (
        getattr(request, "_csp_nonce", None) is None
        and not any(hasattr(response, name) for name in VIEW_CHANGES)
        and not _excludes_paths()
    )


@cache
def _headers():
    return build_policy(), build_policy(report_only=True)


@cache
def _excludes_paths():
    # The platform sets no report-only policy; one added to the settings
    # with excluded paths would need reading here too.
    return bool(settings.CONTENT_SECURITY_POLICY.get("EXCLUDE_URL_PREFIXES"))


@receiver(setting_changed)
def _forget_policy(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _headers.cache_clear()
        _excludes_paths.cache_clear()
