"""The versioned JSON API: one NinjaAPI, a router per app.

Refusals are answered here once, in Vietnamese: a body that is not JSON or
holds text no database stores (400, 415), malformed fields (422), a record
that does not exist or is outside the caller's units (404, the same answer),
a row a database constraint refuses (409 or 400).
"""

import json

from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser

from ntm.core.constraints import violation
from ntm.core.middleware import FORM_TYPES
from ntm.core.text import unstorable
from ntm.households.api import router as households_router
from ntm.units.api import router as units_router
from ntm.units.queries import UnitNotFound


class BodyRefused(Exception):
    """A request body the API will not read; ``status`` says why."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status, self.message = status, message


class JsonParser(Parser):
    """JSON bodies only, and none with a NUL or a lone surrogate in its text
    ("\\u0000", "\\ud800" are valid JSON; PostgreSQL or UTF-8 refuse them
    later, as a 500)."""

    def parse_body(self, request):
        if request.content_type in FORM_TYPES:
            raise BodyRefused(
                415, _("Hãy gửi dữ liệu dạng JSON (Content-Type: application/json).")
            )
        try:
            data = json.loads(request.body)
        except ValueError as error:
            raise BodyRefused(
                400, _("Nội dung gửi lên không phải JSON hợp lệ (mã hóa UTF-8).")
            ) from error
        if _holds_unstorable(data):
            raise BodyRefused(
                400,
                _(
                    "Dữ liệu gửi lên chứa ký tự không lưu được: ký tự rỗng (NUL)"
                    " hoặc nửa cặp UTF-16 lẻ (\\ud800–\\udfff)."
                ),
            )
        return data


def _holds_unstorable(data):
    if isinstance(data, str):
        return unstorable(data)
    if isinstance(data, dict):
        return any(
            _holds_unstorable(k) or _holds_unstorable(v) for k, v in data.items()
        )
    if isinstance(data, list):
        return any(_holds_unstorable(item) for item in data)
    return False


api = NinjaAPI(
    parser=JsonParser(),
    title="NTM Số API",
    version="1",
    description="Đơn vị hành chính, hộ gia đình và (sắp tới) chỉ tiêu nông thôn mới.",
    urls_namespace="api",
)
api.add_router("/v1/units", units_router)
api.add_router("/v1/households", households_router)
api.add_router("/v1/evaluations", "ntm.indicators.api.router")
api.add_router("/v1/plans", "ntm.plans.api.router")
api.add_router("/v1/dossiers", "ntm.dossiers.api.router")
api.add_router("/v1/reports", "ntm.reports.api.router")
api.add_router("/v1/surveys", "ntm.surveys.api.router")
api.add_router("/v1/ocop", "ntm.ocop.api.router")
api.add_router("/v1/traceability", "ntm.traceability.api.router")
api.add_router("/v1/sync", "ntm.households.sync_api.router")


@api.exception_handler(IntegrityError)
def explain_constraint(request, error):
    # Checked by forms and services first; reached by two requests at once.
    status, message = violation(error)
    return api.create_response(request, {"detail": message}, status=status)


@api.exception_handler(Http404)
def explain_not_found(request, error):
    # One answer for "does not exist" and "not yours": existence must not show.
    # A unit code missing on a date says when it did exist (units are public).
    detail = error.message if isinstance(error, UnitNotFound) else _("Không tìm thấy.")
    return api.create_response(request, {"detail": detail}, status=404)


@api.exception_handler(HttpError)
def explain_http_error(request, error):
    # django-ninja turns any parser error into its own English 400, keeping
    # the parser's exception as the cause.
    cause = error.__cause__
    if isinstance(cause, BodyRefused):
        return api.create_response(
            request, {"detail": cause.message}, status=cause.status
        )
    return api.create_response(
        request, {"detail": str(error)}, status=error.status_code
    )


@api.exception_handler(ValidationError)
def explain_invalid_input(request, error):
    """Malformed input (wrong types, missing fields) explained in Vietnamese."""
    problems = [
        {
            "field": _field_name(item.get("loc", [])),
            "message": "Giá trị không hợp lệ hoặc thiếu.",
            "detail": item.get("msg", ""),
        }
        for item in error.errors
    ]
    return api.create_response(
        request,
        {"detail": "Dữ liệu gửi lên không hợp lệ.", "errors": problems},
        status=422,
    )


def _field_name(location):
    """("body", "payload", "members") -> "members"; ("query", "on") -> "on"."""
    parts = [str(part) for part in location[1:]]
    if location and location[0] == "body" and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or None
