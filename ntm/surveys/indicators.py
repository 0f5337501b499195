"""Satisfaction and online surveying as indicators (plan target 10b, NTM sets).

Both providers are dated: a year's figure reads the surveys whose answering
window touches that year, whatever the day it is computed.
"""

import datetime
from collections import defaultdict

from django.utils import timezone

from ntm.indicators.providers import fraction, in_scope, register
from ntm.units.models import Reorganisation, Unit

from .models import Response, Survey
from .queries import verdicts


def _year(period):
    return period.end.year


def year_bounds(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


@register("KS.HAI_LONG", label="Khảo sát sự hài lòng", dated=True, scoped=True)
def satisfaction(period, within=None):
    """Satisfied responses / judged responses, per household's current village.

    A response is judged when it answered a satisfaction question; the rule
    that makes it "satisfied" is in ``queries`` (at least half its counted
    answers satisfied). Demo and real surveys count alike; draft ones not.
    """
    responses = in_scope(Response.objects.all(), within, "household__village").filter(
        survey__in=Survey.objects.in_year(_year(period)).exclude(
            status=Survey.Status.DRAFT
        )
    )
    judged = verdicts(responses)
    villages = dict(
        responses.filter(pk__in=judged).values_list("pk", "household__village_id")
    )
    tally = defaultdict(lambda: [0, 0])
    for pk, satisfied in judged.items():
        counts = tally[villages[pk]]
        counts[0] += int(satisfied)
        counts[1] += 1
    return {"KS.HAI_LONG": {v: fraction(ok, n) for v, (ok, n) in tally.items()}}


@register(
    "KH.XA_KHAO_SAT_TRUC_TUYEN", label="Khảo sát sự hài lòng trực tuyến", dated=True
)
def communes_surveying_online(period):
    """1 of 1 for each xã of 31/12 that ran a survey answered online, else 0.

    A commune "ran" a survey when the survey's scope covers it (its own, or a
    district survey above it) and at least one household answered online in
    the year. Thị trấn are not counted. A commune formed by the 2025 merger
    also counts the surveys of the communes it replaced.
    """
    year = _year(period)
    first, last = year_bounds(year)
    communes = list(
        Unit.objects.valid_on(last)
        .filter(level=Unit.Level.COMMUNE, kind=Unit.Kind.COMMUNE)
        .values_list("pk", "path")
    )
    # The year as a range of instants in the district's time: the same rows
    # as a __date lookup, without a date cast per response (slow on SQLite).
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
    end = timezone.make_aware(
        datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time())
    )
    scopes = list(
        Survey.objects.filter(
            responses__channel=Response.Channel.ONLINE,
            responses__submitted_at__gte=start,
            responses__submitted_at__lt=end,
        )
        .values_list("unit__path", flat=True)
        .distinct()
    )
    earlier = defaultdict(set)
    for new, old_path in Reorganisation.successors.through.objects.filter(
        unit__in=[pk for pk, _path in communes]
    ).values_list("unit_id", "reorganisation__predecessors__path"):
        if old_path:
            earlier[new].add(old_path)

    def covered(path):
        return any(path.startswith(scope) for scope in scopes)

    return {
        "KH.XA_KHAO_SAT_TRUC_TUYEN": {
            pk: fraction(int(covered(path) or any(map(covered, earlier[pk]))), 1)
            for pk, path in communes
        }
    }
