"""The English switch of the tourism public pages (no LocaleMiddleware).

``?lang=en`` (or ``?lang=vi``) picks the language and keeps it in a cookie
for the next pages; the language is active while the view (and the shared
public copy, whose key holds the active language) is made.
"""

from functools import wraps

from django.utils import translation
from django.utils.cache import patch_vary_headers

COOKIE = "tourism_lang"
LANGUAGES = ("vi", "en")


def visitor_language(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        asked = request.GET.get("lang")
        language = asked if asked in LANGUAGES else request.COOKIES.get(COOKIE)
        if language not in LANGUAGES:
            language = "vi"
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, **kwargs)
        response["Content-Language"] = language
        # The same address answers in the cookie's language.
        patch_vary_headers(response, ["Cookie"])
        if asked in LANGUAGES and request.COOKIES.get(COOKIE) != asked:
            response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, samesite="Lax")
        return response

    return wrapper


def switch_url(request):
    """This page in the other language, with the visitor's filters kept."""
    query = request.GET.copy()
    query["lang"] = "vi" if request.LANGUAGE_CODE == "en" else "en"
    return f"{request.path}?{query.urlencode()}"
