"""Refuse, before any view runs, input that no view can use.

A NUL character reaches PostgreSQL as a DataError (a 500) from whatever view
puts it in a query, while SQLite stores it; a body over
``DATA_UPLOAD_MAX_MEMORY_SIZE`` or a multipart body without its boundary
fails wherever the view first reads the form. Checked once here, each answers
a 4xx with a Vietnamese reason, in JSON under the API.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from .text import unstorable

API_PREFIX = "/api/"
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class RefuseUnusableInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = _problem(request)
        if problem is not None:
            status, message = problem
            return _refusal(request, status, message)
        return self.get_response(request)


def _problem(request):
    """(status, message) for input to refuse, or None."""
    if unstorable(request.path) or _any_unstorable(request.GET):
        return 400, _nul_message()
    if any(unstorable(k) or unstorable(v) for k, v in request.COOKIES.items()):
        return 400, _nul_message()
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    try:
        if request.content_type in FORM_TYPES and not _is_api(request):
            # Parsed once here; the view reads the same parsed form.
            if _any_unstorable(request.POST) or _any_unstorable(request.FILES):
                return 400, _nul_message()
        else:
            # Reading it applies the size limit. The API takes JSON only (its
            # parser checks the text), so its bodies are all read in memory.
            request.body  # noqa: B018
    except RequestDataTooBig:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        return 413, _("Dữ liệu gửi lên vượt quá giới hạn %(limit)s MB.") % {
            "limit": f"{limit:g}".replace(".", ",")
        }
    except (MultiPartParserError, SuspiciousOperation):
        return 400, _(
            "Không đọc được dữ liệu gửi lên: biểu mẫu bị hỏng (multipart thiếu"
            " ranh giới hoặc quá nhiều trường)."
        )
    return None


def _any_unstorable(data):
    return any(
        unstorable(key) or any(unstorable(str(value)) for value in values)
        for key, values in data.lists()
    )


def _nul_message():
    return _(
        "Đường dẫn hoặc dữ liệu gửi lên chứa ký tự rỗng (NUL) hoặc ký tự không"
        " hợp lệ, không thể xử lý."
    )


def _is_api(request):
    return request.path.startswith(API_PREFIX)


def _refusal(request, status, message):
    if _is_api(request):
        return JsonResponse(
            {"detail": message},
            status=status,
            content_type="application/json; charset=utf-8",
        )
    return HttpResponse(
        message, status=status, content_type="text/plain; charset=utf-8"
    )
