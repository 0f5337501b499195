"""Links printed on paper (QR codes on labels and address plates) and sent
in messages: they must point at the public address the district publishes,
not at whichever host served the page that printed them (an office's
intranet name, a laptop on 127.0.0.1).
"""


def public_url(request, path, base=""):
    """``path`` under ``base`` (a setting such as ``ADDRESS_BASE_URL``), or
    under the host of ``request`` when the setting is empty."""
    if base:
        return base.rstrip("/") + path
    return request.build_absolute_uri(path)
