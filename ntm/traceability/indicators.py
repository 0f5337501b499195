"""The smart-village condition "production households apply traceability"
(plan III.5), computed from traced lots.

A production household (a business in the register, or one linked to an
OCOP entity) applies traceability in a period when the OCOP entity linked
to it produced a lot with trace events in that period. A household with no
linked entity has no records to show, so its typed flag counts instead, as
a declared fallback: ``queries.tracing_households`` (the same counts) tells
the two apart for the page that explains the figure.
"""

from ntm.households.register_pass import Part, by_village, contribute, today_by_village
from ntm.indicators.providers import fraction, register

from .queries import tracing_columns


def _tracing(counts):
    return {
        "SV.TRACEABILITY": fraction(
            counts["by_records"] + counts["declared"], counts["producers"]
        )
    }


TRACING = contribute(
    Part(
        "tracing",
        ("SV.TRACEABILITY",),
        lambda period: tracing_columns(period.start, period.end),
        _tracing,
    )
)


@register(
    "SV.TRACEABILITY",
    label="Lô hàng truy xuất nguồn gốc (hộ chưa liên kết chủ thể: tự khai)",
    dated=True,
    scoped=True,
    joint=today_by_village,
)
def households_applying_traceability(period, within=None):
    return by_village([TRACING], period, within=within)
