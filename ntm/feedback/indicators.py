"""Feedback figures for the indicator engine: reports received, the share
resolved on time, and the median days to resolve, per village (or commune
when a report has no village), for a period."""

import statistics
from collections import defaultdict

from django.db.models import Count, F, Q

from ntm.indicators.providers import fraction, register

from .models import Report


def _in_period(period):
    return Report.objects.filter(
        received_at__date__gte=period.start, received_at__date__lte=period.end
    )


def _leaf(row):
    return row["village_id"] or row["commune_id"]


@register("PA.TIEP_NHAN", "PA.DUNG_HAN", label="Phản ánh, kiến nghị", dated=True)
def received_and_on_time(period):
    rows = (
        _in_period(period)
        .values("village_id", "commune_id")
        .annotate(
            received=Count("id"),
            resolved=Count("id", filter=Q(first_resolved_at__isnull=False)),
            on_time=Count("id", filter=Q(first_resolved_at__lte=F("due_at"))),
        )
    )
    received, on_time = defaultdict(int), defaultdict(lambda: [0, 0])
    for row in rows:
        received[_leaf(row)] += row["received"]
        on_time[_leaf(row)][0] += row["on_time"]
        on_time[_leaf(row)][1] += row["resolved"]
    return {
        "PA.TIEP_NHAN": {unit: fraction(n) for unit, n in received.items()},
        "PA.DUNG_HAN": {unit: fraction(*pair) for unit, pair in on_time.items()},
    }


@register("PA.NGAY_XU_LY", label="Phản ánh, kiến nghị", dated=True)
def median_days(period):
    """Median days from receiving to first resolving, per village.

    A median does not add up: the engine shows it for the village (or the
    commune of reports without a village) it was computed for.
    """
    rows = (
        _in_period(period)
        .filter(first_resolved_at__isnull=False)
        .values_list("village_id", "commune_id", "received_at", "first_resolved_at")
    )
    days = defaultdict(list)
    for village, commune, received, resolved in rows:
        days[village or commune].append((resolved - received).total_seconds() / 86400)
    return {
        "PA.NGAY_XU_LY": {
            unit: fraction(round(statistics.median(values), 1))
            for unit, values in days.items()
        }
    }
