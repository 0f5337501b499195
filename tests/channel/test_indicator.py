import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from ntm.channel.indicators import (
    channel_activity,
    channel_condition,
    quarters,
    villages_with_channels,
)
from ntm.channel.models import Announcement, Delivery
from ntm.channel.services import add_subscriber, save_settings
from ntm.indicators.models import Period

pytestmark = pytest.mark.django_db


def _announced(village, subscriber, day, status=Delivery.Status.SENT):
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    announcement = Announcement.objects.create(
        village=village, title="Tin", body="Nội dung", posted_at=at
    )
    Delivery.objects.create(
        announcement=announcement, subscriber=subscriber, adapter="sms", status=status
    )


@pytest.fixture
def channels(villages):
    found = {}
    for key in ("hn1", "hn2"):
        village = villages[key]
        save_settings(
            village, by=None, email=False, sms=True, zalo=False, is_active=True
        )
        found[key] = add_subscriber(
            village,
            by=None,
            consented_on=datetime.date(2026, 1, 1),
            name="Người nhận",
            phone=f"090512345{len(found)}",
        )
    return found


def test_quarters_of_a_year_and_of_a_part_of_it():
    assert quarters(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)) == [
        datetime.date(2026, m, 1) for m in (1, 4, 7, 10)
    ]
    assert quarters(datetime.date(2026, 1, 1), datetime.date(2026, 5, 2)) == [
        datetime.date(2026, 1, 1),
        datetime.date(2026, 4, 1),
    ]


@freeze_time("2026-05-20 10:00:00+07:00")
def test_the_condition_is_computed_from_announcements_and_feedback(villages, channels):
    hn1, hn2, vg1 = villages["hn1"], villages["hn2"], villages["vg1"]
    period = Period.year(2026)
    # Thôn 1: an announcement reached residents in each quarter begun (Q1, Q2).
    _announced(hn1, channels["hn1"], datetime.date(2026, 2, 3))
    _announced(hn1, channels["hn1"], datetime.date(2026, 4, 8))
    # Thôn 2: Q2 only reached nobody (failed), so Q2 has no delivered one.
    _announced(hn2, channels["hn2"], datetime.date(2026, 1, 15))
    _announced(hn2, channels["hn2"], datetime.date(2026, 5, 2), Delivery.Status.FAILED)
    feedback = {hn1.pk: 2, hn2.pk: 5, vg1.pk: 1}

    values = channel_condition(period, villages_with_channels(), feedback)

    assert {v: values[v][0] for v in (hn1.pk, hn2.pk, vg1.pk)} == {
        hn1.pk: 1,
        hn2.pk: 0,
        vg1.pk: 0,
    }
    # No feedback in the period: not met, however active the channel.
    assert (
        channel_condition(period, villages_with_channels(), {hn2.pk: 5})[hn1.pk][0] == 0
    )
    # A channel switched off does not count.
    save_settings(hn1, by=None, email=False, sms=True, zalo=False, is_active=False)
    assert channel_condition(period, villages_with_channels(), feedback)[hn1.pk][0] == 0


@freeze_time("2026-05-20 10:00:00+07:00")
def test_the_registered_provider_waits_for_the_feedback_app(villages, channels):
    _announced(villages["hn1"], channels["hn1"], datetime.date(2026, 2, 3))
    _announced(villages["hn1"], channels["hn1"], datetime.date(2026, 4, 8))

    values = channel_activity(Period.year(2026))["SV.CHANNEL"]

    # Every village of today has a value; none meets it without feedback.
    assert values[villages["hn1"].pk] == (0, 1)
    assert values[villages["vg1"].pk] == (0, 1)
