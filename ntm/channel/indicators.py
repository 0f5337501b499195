"""SV.CHANNEL from the channel's activity: "the village head runs a channel
with residents that receives feedback" (plan III.5), no longer a typed yes.

A village meets it in a period when its channel is active, an announcement
reached at least one resident in every quarter of the period begun so far
(``MIN_ANNOUNCEMENTS_PER_QUARTER``), and the village received residents' or
businesses' feedback in the period (``MIN_FEEDBACK``).
"""

import datetime
from collections import defaultdict

from django.db.models import Count, DateField
from django.db.models.functions import TruncQuarter
from django.utils import timezone

from ntm.feedback.models import Report
from ntm.indicators.providers import fraction, in_scope, register
from ntm.units.models import Unit

from .models import Announcement, Delivery

# The rule as data. Unconfirmed, like the other smart-village criteria data:
# the plan says "thường xuyên" without a number; one announcement a quarter
# and one feedback report a period is our reading, to be confirmed with the
# district's Culture and Information office.
MIN_ANNOUNCEMENTS_PER_QUARTER = 1
MIN_FEEDBACK = 1
RULE_CONFIRMED = False


def _feedback_received(villages, start, end, within=None):
    """{village id: feedback reports received from ``start`` to ``end``}.

    Feedback is the feedback app's reports (ntm.feedback), whether sent
    through the channel's link or the public form; the channel's own records
    (opt-outs, subscriptions) are not feedback.
    """
    wanted = set(villages)
    received = in_scope(Report.objects.all(), within).received_by_village(start, end)
    return {pk: n for pk, n in received.items() if pk in wanted}


def quarters(start, end):
    """First days of the quarters from ``start`` to ``end``."""
    first = datetime.date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
    found = []
    while first <= end:
        found.append(first)
        month = first.month + 3
        first = datetime.date(first.year + (month > 12), (month - 1) % 12 + 1, 1)
    return found


@register("SV.CHANNEL", label="Kênh thông tin của thôn", dated=True, scoped=True)
def channel_activity(period, within=None):
    """1 of 1 when the village meets the rule in ``period``, else 0 of 1."""
    end = min(period.end, timezone.localdate())
    villages = villages_with_channels(within)
    feedback = _feedback_received(list(villages), period.start, end, within)
    return {"SV.CHANNEL": channel_condition(period, villages, feedback, within)}


def villages_with_channels(within=None):
    """{village id: its channel is active} for every village of today (False
    when it has none) in ``within``: no channel on record means no channel."""
    rows = in_scope(Unit.objects.valid_on().villages(), within, "").values_list(
        "pk", "channel_settings__is_active"
    )
    return {pk: bool(active) for pk, active in rows}


def channel_condition(period, villages, feedback, within=None):
    """{village id: (1 or 0, 1)} for ``villages`` ({id: channel active})
    given their ``feedback`` counts in ``period``."""
    end = min(period.end, timezone.localdate())
    wanted = quarters(period.start, end) if period.start <= end else []
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(period.start, datetime.time.min, tz)
    until = datetime.datetime.combine(end, datetime.time.max, tz)
    delivered = (
        in_scope(Announcement.objects.all(), within)
        .filter(
            posted_at__range=(since, until),
            deliveries__status=Delivery.Status.SENT,
        )
        # A date, not an aware datetime: no time zone conversion per row
        # (a third of the provider over the country's announcements).
        .annotate(quarter=TruncQuarter("posted_at", output_field=DateField()))
        .values("village_id", "quarter")
        .order_by()
        .annotate(n=Count("id", distinct=True))
        .values_list("village_id", "quarter", "n")
    )
    per_quarter = defaultdict(dict)
    for village, quarter, n in delivered:
        per_quarter[village][quarter] = n
    result = {}
    for village, active in villages.items():
        meets = (
            bool(wanted)
            and active
            and all(
                per_quarter[village].get(q, 0) >= MIN_ANNOUNCEMENTS_PER_QUARTER
                for q in wanted
            )
            and feedback.get(village, 0) >= MIN_FEEDBACK
        )
        result[village] = fraction(int(meets), 1)
    return result
