"""Target 5 of the plan, computed from the roster and the trainings' attendance.

Leaves are the units the roster entries work in (the district, communes,
villages); the engine sums numerators and denominators up to the district.
"""

from django.db.models import Count

from ntm.indicators.providers import fraction, register

from .models import ProgramStaff


@register("KH.CB_TAP_HUAN", label="Danh sách cán bộ và tập huấn", dated=True)
def trained_managers(period):
    """Per unit: roster members of the year trained in digital transformation
    (any such training attended up to the year's end) / roster members."""
    roster = ProgramStaff.objects.of_year(period.end.year).active()
    totals = (
        roster.order_by()
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    trained = dict(
        roster.trained_by(period.end)
        .order_by()
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    return {
        "KH.CB_TAP_HUAN": {
            unit: fraction(trained.get(unit, 0), total) for unit, total in totals
        }
    }
