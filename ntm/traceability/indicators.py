"""The smart-village condition "production households apply traceability"
(plan III.5), computed from traced lots.

A production household (a business in the register, or one linked to an
OCOP entity) applies traceability in a period when the OCOP entity linked
to it produced a lot with trace events in that period. A household with no
linked entity has no records to show, so its typed flag counts instead, as
a declared fallback: ``queries.tracing_households`` tells the two apart for
the page that explains the figure.
"""

from ntm.households.models import Household
from ntm.indicators.providers import fraction, in_scope, register

from .queries import tracing_households


@register(
    "SV.TRACEABILITY",
    label="Lô hàng truy xuất nguồn gốc (hộ chưa liên kết chủ thể: tự khai)",
    dated=True,
    scoped=True,
)
def households_applying_traceability(period, within=None):
    households = in_scope(Household.objects.all(), within)
    rows = tracing_households(period.start, period.end, households)
    return {
        "SV.TRACEABILITY": {
            village: fraction(row.by_records + row.declared, row.producers)
            for village, row in rows.items()
        }
    }
