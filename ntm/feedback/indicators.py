"""Feedback figures for the indicator engine: reports received, the share
resolved on time, and the median days to resolve, per village (or commune
when a report has no village), for a period; each also per category
(``PA.TIEP_NHAN.RAC_THAI``: waste reports received), so that a commune sees
which kind of problem comes in and which is handled late.

The categories are the rules file's (``data/feedback.json``): a category
added there needs its three indicators in the criteria file
``92_phan_anh_kien_nghi.json`` (a test checks the two agree).
"""

import json
import statistics
from collections import defaultdict

from django.db.models import Count, F, Q

from ntm.indicators.providers import fraction, register

from .models import RULES_FILE, Report

RECEIVED, ON_TIME, MEDIAN_DAYS = "PA.TIEP_NHAN", "PA.DUNG_HAN", "PA.NGAY_XU_LY"


def category_suffix(code):
    """ "rac-thai" -> "RAC_THAI": a category's part of its indicator codes."""
    return code.upper().replace("-", "_")


CATEGORY_CODES = [
    category["code"]
    for category in json.loads(RULES_FILE.read_text(encoding="utf-8"))["categories"]
]


def per_category(base):
    return [f"{base}.{category_suffix(code)}" for code in CATEGORY_CODES]


def _in_period(period):
    return Report.objects.filter(
        received_at__date__gte=period.start, received_at__date__lte=period.end
    )


def _leaf(row):
    return row["village_id"] or row["commune_id"]


@register(
    RECEIVED,
    ON_TIME,
    *per_category(RECEIVED),
    *per_category(ON_TIME),
    label="Phản ánh, kiến nghị",
    dated=True,
)
def received_and_on_time(period):
    rows = (
        _in_period(period)
        .values("village_id", "commune_id", "category__code")
        .annotate(
            received=Count("id"),
            resolved=Count("id", filter=Q(first_resolved_at__isnull=False)),
            on_time=Count("id", filter=Q(first_resolved_at__lte=F("due_at"))),
        )
    )
    received = defaultdict(lambda: defaultdict(int))
    on_time = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for row in rows:
        unit = _leaf(row)
        for suffix in ("", f".{category_suffix(row['category__code'])}"):
            received[RECEIVED + suffix][unit] += row["received"]
            on_time[ON_TIME + suffix][unit][0] += row["on_time"]
            on_time[ON_TIME + suffix][unit][1] += row["resolved"]
    result = {
        code: {unit: fraction(n) for unit, n in units.items()}
        for code, units in received.items()
    }
    result.update(
        {
            code: {unit: fraction(*pair) for unit, pair in units.items()}
            for code, units in on_time.items()
        }
    )
    return result


@register(
    MEDIAN_DAYS, *per_category(MEDIAN_DAYS), label="Phản ánh, kiến nghị", dated=True
)
def median_days(period):
    """Median days from receiving to first resolving, per village (and per
    village and category).

    A median does not add up: the engine shows it for the village (or the
    commune of reports without a village) it was computed for.
    """
    rows = (
        _in_period(period)
        .filter(first_resolved_at__isnull=False)
        .values_list(
            "village_id", "commune_id", "category__code", "received_at",
            "first_resolved_at",
        )
    )  # fmt: skip
    days = defaultdict(lambda: defaultdict(list))
    for village, commune, category, received, resolved in rows:
        spent = (resolved - received).total_seconds() / 86400
        days[MEDIAN_DAYS][village or commune].append(spent)
        days[f"{MEDIAN_DAYS}.{category_suffix(category)}"][village or commune].append(
            spent
        )
    return {
        code: {
            unit: fraction(round(statistics.median(values), 1))
            for unit, values in units.items()
        }
        for code, units in days.items()
    }
