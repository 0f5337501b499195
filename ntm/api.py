"""The versioned JSON API: one NinjaAPI, a router per app."""

from ninja import NinjaAPI
from ninja.errors import ValidationError

from ntm.households.api import router as households_router
from ntm.units.api import router as units_router

api = NinjaAPI(
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
api.add_router("/v1/traceability", "ntm.traceability.api.router")


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
