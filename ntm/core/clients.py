"""Who is asking: the client's address, the same for every limit."""

from django.conf import settings


def client_address(request):
    """The client's IP address.

    REMOTE_ADDR, or behind the TLS proxy (BEHIND_PROXY) the last entry of
    X-Forwarded-For: the one the proxy wrote; entries before it come from the
    client and prove nothing. Used by the rate limits, the login lockout and
    the survey verification, so that one proxy is not one client.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if forwarded[-1].strip():
            return forwarded[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
