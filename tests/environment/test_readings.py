"""Readings and alert episodes: one alert per episode, notified once,
closed when a reading is back inside; re-sent readings stored once."""

import pytest
from django.core import mail
from django.utils import timezone

from ntm.accounts.models import Office, Role
from ntm.environment.models import Alert, Parameter, Reading
from ntm.environment.services import ReadingError, parse_readings, record_readings
from tests.factories import make_member

from .conftest import at


def turbidity(point, sensor, values, start=0):
    """Store one turbidity reading a minute from ``start``."""
    parameter = Parameter.objects.get(code="do-duc")  # limit: at most 2 NTU
    batch = [
        (point, sensor, parameter, value, at(start + minute))
        for minute, value in enumerate(values)
    ]
    return record_readings(batch, source=Reading.Source.MQTT)


def test_an_episode_opens_once_and_closes_when_back_inside(point, sensor):
    device, _key = sensor
    stored, opened = turbidity(point, device, [0.8, 2.5, 4.0, 3.1, 1.2, 0.9])
    assert stored == 6 and len(opened) == 1
    [alert] = Alert.objects.all()
    assert (alert.opened_at, alert.closed_at) == (at(1), at(4))
    assert (alert.first_value, alert.worst_value, alert.readings) == (2.5, 4.0, 3)


def test_an_episode_spans_batches_and_a_new_one_opens_after_it_closed(point, sensor):
    device, _key = sensor
    turbidity(point, device, [3.0, 3.5])
    _stored, opened = turbidity(point, device, [4.5], start=2)
    assert opened == []  # still the same episode
    turbidity(point, device, [1.0, 2.6], start=3)
    alerts = list(Alert.objects.order_by("opened_at"))
    assert [(a.opened_at, a.closed_at, a.readings) for a in alerts] == [
        (at(0), at(3), 3),
        (at(4), None, 1),
    ]


def test_the_responsible_people_are_told_once_per_episode(
    point, sensor, units, django_capture_on_commit_callbacks
):
    officer = make_member(units["ha_nha"], Role.COMMUNE_OFFICER, email="xa@example.vn")
    make_member(
        units["city"], Role.OFFICE_STAFF, Office.AGRICULTURE, email="nn@example.vn"
    )
    make_member(units["city"], Role.OFFICE_STAFF, Office.FINANCE, email="tc@example.vn")
    make_member(units["vu_gia"], Role.COMMUNE_OFFICER, email="vg@example.vn")
    device, _key = sensor
    with django_capture_on_commit_callbacks(execute=True):
        turbidity(point, device, [2.5, 3.0, 3.5, 4.0])
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["nn@example.vn", "xa@example.vn"]
    assert "Độ đục" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        turbidity(point, device, [5.0, 6.0], start=4)
    assert len(mail.outbox) == 1  # the same episode: no second message
    assert Alert.objects.get().notified == 2
    assert officer.email == "xa@example.vn"


def test_a_reading_sent_twice_is_stored_once(point, sensor):
    device, _key = sensor
    turbidity(point, device, [3.0, 3.2])
    stored, _opened = turbidity(point, device, [3.0, 3.2])
    assert stored == 0
    assert Reading.objects.count() == 2
    assert Alert.objects.get().readings == 2


def test_bad_readings_are_refused_whole_with_each_reason(point):
    good = {"parameter": "ph", "value": 7.0, "measured_at": at(0).isoformat()}
    items = [
        good,
        {"parameter": "asen", "value": 0.1, "measured_at": at(0).isoformat()},
        {"parameter": "ph", "value": "bảy", "measured_at": at(0).isoformat()},
        {"parameter": "ph", "value": 7.0, "measured_at": "hôm qua"},
        {"parameter": "ph", "value": 7.0, "measured_at": "2026-11-30T08:00:00"},
        {"parameter": "ph", "value": float("nan"), "measured_at": at(0).isoformat()},
        {"parameter": "ph", "value": True, "measured_at": at(0).isoformat()},
    ]
    with pytest.raises(ReadingError) as refused:
        parse_readings(items, point=point, now=timezone.now())
    problems = refused.value.problems
    assert [p.split(":")[0] for p in problems] == [
        "Kết quả 2",
        "Kết quả 3",
        "Kết quả 4",
        "Kết quả 5",
        "Kết quả 6",
        "Kết quả 7",
    ]
    assert "không theo dõi thông số “asen”" in problems[0]


def test_a_reading_from_the_future_is_refused(point):
    later = timezone.now() + timezone.timedelta(hours=1)
    with pytest.raises(ReadingError, match="tương lai"):
        parse_readings(
            [{"parameter": "ph", "value": 7, "measured_at": later.isoformat()}],
            point=point,
        )


def test_limits_are_shipped_unconfirmed_with_their_regulation(db):
    ph = Parameter.objects.get(code="ph")
    assert (ph.low, ph.high, ph.is_confirmed) == (6.0, 8.5, False)
    assert ph.regulation.startswith("QCVN 01-1:2018/BYT")
    assert not Parameter.objects.filter(is_confirmed=True).exists()
