"""The versioned JSON API: one NinjaAPI, a router per app.

Refusals are answered here once, in Vietnamese: a body that is not JSON or
holds text no database stores (400, 415), malformed fields (422), a record
that does not exist or is outside the caller's units (404, the same answer),
a row a database constraint refuses (409 or 400), no credentials (401), a
role or key scope that does not allow it (403), too many requests (429).

Callers are sessions (with the CSRF token on writes) or API keys made on the
account page, sent as ``Authorization: Bearer <key>`` (ntm.accounts.apiauth);
a write made with a key is written to the audit log, whatever its outcome.
The refusals every operation may answer are declared once in the OpenAPI
document here, not repeated on each operation.
"""

import json

from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from ntm.accounts.apiauth import SAFE_METHODS, anyone, token_of
from ntm.accounts.services import log_token_write
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


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {"type": "string", "title": "Detail"},
        "errors": {"title": "Errors"},
    },
    "required": ["detail"],
}
ERROR_DESCRIPTIONS = {
    "400": "Nội dung gửi lên không đọc được (không phải JSON, ký tự không lưu được)",
    "401": "Chưa đăng nhập, hoặc khóa API sai, hết hạn, bị thu hồi",
    "403": "Vai trò hoặc phạm vi của khóa API không cho phép",
    "404": "Không có, hoặc nằm ngoài đơn vị của người gọi",
    "415": "Chỉ nhận JSON",
    "422": "Dữ liệu gửi lên không hợp lệ",
    "429": "Quá nhiều yêu cầu",
}


class Api(NinjaAPI):
    def create_response(self, request, data, *args, **kwargs):
        response = super().create_response(request, data, *args, **kwargs)
        token = token_of(request)
        if token is not None and request.method not in SAFE_METHODS:
            log_token_write(
                token,
                method=request.method,
                path=request.path,
                status=response.status_code,
            )
        return response

    def get_openapi_schema(self, *args, **kwargs):
        """The generated document, with the refusals of ``ntm.api`` declared
        on every operation that may answer them."""
        schema = super().get_openapi_schema(*args, **kwargs)
        open_to_all = self._open_operation_ids()
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = (
            ERROR_SCHEMA
        )
        for path, item in schema["paths"].items():
            for method, operation in item.items():
                codes = ["422", "429"]
                if "{" in path:
                    codes.append("404")
                if operation.get("security"):
                    codes += ["401", "403"]
                if method in ("post", "put", "patch"):
                    codes += ["400", "415"]
                if operation.get("operationId") in open_to_all:
                    # OpenAPI's "no credentials needed" is an empty requirement.
                    operation["security"] = [*operation.get("security", []), {}]
                responses = operation.setdefault("responses", {})
                for code in codes:
                    responses.setdefault(code, _error_response(code))
        return schema

    def _open_operation_ids(self):
        return {
            operation.operation_id or self.get_openapi_operation_id(operation)
            for router in self._get_bound_routers()
            for path_view in router.path_operations.values()
            for operation in path_view.operations
            if anyone in (operation.auth_callbacks or ())
        }


def _error_response(code):
    return {
        "description": ERROR_DESCRIPTIONS[code],
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
        },
    }


api = Api(
    parser=JsonParser(),
    title="NTM Số API",
    version="1",
    description=(
        "Dữ liệu nông thôn mới cho các hệ thống khác: đơn vị hành chính, hộ gia"
        " đình, chỉ tiêu và đánh giá, kế hoạch, hợp tác xã, tập huấn, hồ sơ,"
        " báo cáo, khảo sát, OCOP, truy xuất nguồn gốc, quan trắc môi trường."
        " Xác thực bằng phiên"
        " đăng nhập (kèm CSRF khi ghi) hoặc khóa API:"
        " `Authorization: Bearer <khóa>`."
    ),
    urls_namespace="api",
)
api.add_router("/v1/units", units_router)
api.add_router("/v1/households", households_router)
api.add_router("/v1/addresses", "ntm.households.api.addresses")
api.add_router("/v1/evaluations", "ntm.indicators.api.router")
api.add_router("/v1/indicators", "ntm.indicators.api.records")
api.add_router("/v1/plans", "ntm.plans.api.router")
api.add_router("/v1/cooperatives", "ntm.cooperatives.api.router")
api.add_router("/v1/knowledge", "ntm.knowledge.api.router")
api.add_router("/v1/dossiers", "ntm.dossiers.api.router")
api.add_router("/v1/reports", "ntm.reports.api.router")
api.add_router("/v1/surveys", "ntm.surveys.api.router")
api.add_router("/v1/ocop", "ntm.ocop.api.router")
api.add_router("/v1/traceability", "ntm.traceability.api.router")
api.add_router("/v1/sync", "ntm.households.sync_api.router")
api.add_router("/v1/environment", "ntm.environment.api.router")
api.add_router("/v1/tourism", "ntm.tourism.api.router")
api.add_router("/v1/feedback", "ntm.feedback.api.router")


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


@api.exception_handler(AuthenticationError)
def explain_no_credentials(request, error):
    return api.create_response(
        request,
        {"detail": _("Cần đăng nhập hoặc gửi khóa API (Authorization: Bearer …).")},
        status=401,
    )


@api.exception_handler(HttpError)
def explain_http_error(request, error):
    # django-ninja turns any parser error into its own English 400, keeping
    # the parser's exception as the cause.
    cause = error.__cause__
    if isinstance(cause, BodyRefused):
        return api.create_response(
            request, {"detail": cause.message}, status=cause.status
        )
    detail = str(error)
    if detail == "CSRF check Failed":  # django-ninja's SessionAuth, in English
        detail = _("Thiếu hoặc sai mã CSRF: gửi kèm X-CSRFToken khi ghi dữ liệu.")
    return api.create_response(request, {"detail": detail}, status=error.status_code)


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
