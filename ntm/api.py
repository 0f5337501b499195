"""The versioned JSON API: one NinjaAPI, a router per app."""

from ninja import NinjaAPI

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
