"""Writes of environmental monitoring: points, sensor keys, readings, alerts.

``record_readings`` is the one door for every reading (MQTT, HTTP, a lab's
result): it stores a batch in one transaction, skips what a device sent
twice, and moves the alert episodes of the points and parameters it touched
— opening one (and notifying, once) when a reading leaves the limits,
closing it when a reading is back inside.
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.accounts.models import Membership, Office, Role
from ntm.core.audit import log_action
from ntm.core.notify import Message, Recipient, deliver
from ntm.core.publiccache import bump_data_version
from ntm.units.models import province_code_of

from .models import Alert, MonitoringPoint, Reading, Sensor

# A device clock a little ahead is tolerated; further ahead is an error.
CLOCK_SLACK = datetime.timedelta(minutes=5)
MAX_BATCH = 1000


class ReadingError(Exception):
    """A batch refused whole; ``problems`` lists each bad reading's reason."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(problems))


@transaction.atomic
def create_point(*, by, parameters=(), **fields):
    point = MonitoringPoint.objects.create(**fields)
    point.parameters.set(parameters)
    log_action(point, "environment.point.created", by=by)
    return point


@transaction.atomic
def issue_sensor_key(point, *, device_id, by):
    """A sensor for ``point`` (or a new key for an existing one): returns the
    sensor and its key, which is shown once and never stored."""
    sensor = Sensor.objects.filter(device_id=device_id).first() or Sensor(
        device_id=device_id, point=point
    )
    if sensor.point_id != point.pk:
        raise ReadingError(
            [_("Mã thiết bị %(id)s đã gắn với điểm khác.") % {"id": device_id}]
        )
    key = sensor.issue_key()
    sensor.is_active = True
    sensor.save()
    log_action(sensor, "environment.sensor.issued", by=by, data={"note": device_id})
    return sensor, key


def parse_readings(items, *, point, now=None):
    """Readings of ``items`` (dicts with parameter, value, measured_at) for
    ``point``, or ReadingError naming every bad one. Nothing is stored."""
    now = now or timezone.now()
    if not items:
        raise ReadingError([_("Không có kết quả đo nào.")])
    if len(items) > MAX_BATCH:
        raise ReadingError(
            [_("Tối đa %(n)s kết quả đo mỗi lần gửi.") % {"n": MAX_BATCH}]
        )
    by_code = {p.code: p for p in point.parameters.all()}
    rows, problems = [], []
    for number, item in enumerate(items, start=1):
        code = str(item.get("parameter", ""))
        parameter = by_code.get(code)
        value, at = item.get("value"), item.get("measured_at")
        if parameter is None:
            problems.append(
                _("Kết quả %(n)s: điểm này không theo dõi thông số “%(code)s”.")
                % {"n": number, "code": code[:30]}
            )
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(_("Kết quả %(n)s: giá trị phải là số.") % {"n": number})
            continue
        if value != value or value in (float("inf"), float("-inf")):
            problems.append(_("Kết quả %(n)s: giá trị không hợp lệ.") % {"n": number})
            continue
        when = _moment(at)
        if when is None:
            problems.append(
                _("Kết quả %(n)s: thời điểm đo phải theo ISO 8601, có múi giờ.")
                % {"n": number}
            )
            continue
        if when > now + CLOCK_SLACK:
            problems.append(
                _("Kết quả %(n)s: thời điểm đo ở tương lai.") % {"n": number}
            )
            continue
        rows.append((parameter, float(value), when))
    if problems:
        raise ReadingError(problems)
    return rows


def _moment(value):
    if isinstance(value, datetime.datetime):
        moment = value
    else:
        try:
            moment = datetime.datetime.fromisoformat(str(value))
        except ValueError:
            return None
    return moment if timezone.is_aware(moment) else None


@transaction.atomic
def record_readings(batch, *, source, laboratory="", by=None, notify=True):
    """Store readings and move alert episodes; returns (stored, opened alerts).

    ``batch`` is a list of (point, sensor or None, parameter, value,
    measured_at). A reading a sensor already sent (same parameter and
    instant) is skipped, so a device or broker that re-delivers adds nothing.
    ``notify=False`` (the demo's history) opens episodes without telling anyone.
    """
    # The partition key, one query for the batch (not one per point's unit).
    paths = dict(
        MonitoringPoint.objects.filter(
            pk__in={point.pk for point, *_rest in batch}
        ).values_list("pk", "unit__path")
    )
    readings = [
        Reading(
            point=point,
            sensor=sensor,
            parameter=parameter,
            value=value,
            measured_at=at,
            source=source,
            laboratory=laboratory,
            is_breach=parameter.breached_by(value),
            province_code=province_code_of(paths[point.pk]),
        )
        for point, sensor, parameter, value, at in batch
    ]
    readings = _new_only(readings)
    Reading.objects.bulk_create(readings)
    opened = _move_episodes(readings)
    seen = defaultdict(lambda: None)
    for reading in readings:
        if reading.sensor_id and (
            seen[reading.sensor_id] is None
            or reading.measured_at > seen[reading.sensor_id]
        ):
            seen[reading.sensor_id] = reading.measured_at
    for sensor_id, last in seen.items():
        Sensor.objects.filter(pk=sensor_id).filter(
            Q(last_seen__isnull=True) | Q(last_seen__lt=last)
        ).update(last_seen=last)
    if source == Reading.Source.LAB and readings:
        # One laboratory result, one entry: its values in one note.
        values = ", ".join(f"{r.parameter.code} = {r.value:g}" for r in readings)
        log_action(
            readings[0].point,
            "environment.lab_result.created",
            by=by,
            data={
                "note": f"{values} ({readings[0].measured_at:%d/%m/%Y}, {laboratory})"
            },
        )
    if opened and notify:
        transaction.on_commit(lambda: notify_alerts(opened))
    return len(readings), opened


def _new_only(readings):
    """Drop readings already stored or repeated within the batch."""
    unique = {}
    for reading in readings:
        key = (reading.sensor_id, reading.parameter_id, reading.measured_at)
        if reading.sensor_id is None:
            key = (None, id(reading))
        unique.setdefault(key, reading)
    keyed = [r for r in unique.values() if r.sensor_id]
    if keyed:
        stored = set(
            Reading.objects.filter(
                sensor_id__in={r.sensor_id for r in keyed},
                measured_at__in={r.measured_at for r in keyed},
            ).values_list("sensor_id", "parameter_id", "measured_at")
        )
        return [
            r
            for r in unique.values()
            if (r.sensor_id, r.parameter_id, r.measured_at) not in stored
        ]
    return list(unique.values())


def _move_episodes(readings):
    pairs = defaultdict(list)
    for reading in readings:
        pairs[(reading.point_id, reading.parameter_id)].append(reading)
    if not pairs:
        return []
    condition = Q()
    for point_id, parameter_id in pairs:
        condition |= Q(point_id=point_id, parameter_id=parameter_id)
    open_alerts = {
        (a.point_id, a.parameter_id): a
        for a in Alert.objects.filter(condition, closed_at__isnull=True)
    }
    opened, changed, closed = [], {}, False
    for pair, group in pairs.items():
        group.sort(key=lambda r: r.measured_at)
        alert = open_alerts.get(pair)
        for reading in group:
            parameter = reading.parameter
            if reading.is_breach:
                if alert is None:
                    alert = Alert(
                        point_id=pair[0],
                        parameter=parameter,
                        opened_at=reading.measured_at,
                        first_value=reading.value,
                        worst_value=reading.value,
                        readings=1,
                    )
                    alert.save()
                    opened.append(alert)
                else:
                    alert.readings += 1
                    alert.worst_value = _worse(
                        parameter, alert.worst_value, reading.value
                    )
                    changed[alert.pk] = alert
            elif alert is not None and reading.measured_at >= alert.opened_at:
                alert.closed_at = reading.measured_at
                alert.save()
                closed = True
                changed.pop(alert.pk, None)
                alert = None
    if changed:
        Alert.objects.bulk_update(changed.values(), ["readings", "worst_value"])
    if opened or closed:
        # The public points list shows which points are in an episode: its
        # shared copy moves when one opens or closes, not with every reading.
        bump_data_version()
    return opened


def _worse(parameter, current, value):
    """The value further outside the limits."""
    if parameter.high is not None and value > parameter.high:
        return max(current, value)
    if parameter.low is not None and value < parameter.low:
        return min(current, value)
    return current


def alert_recipients(point):
    """Who answers for ``point``: the officers of its commune and the
    agriculture and environment office above it (once per person)."""
    members = (
        Membership.objects.covering(point.unit)
        .filter(user__is_active=True)
        .filter(
            Q(role=Role.COMMUNE_OFFICER)
            | Q(role=Role.OFFICE_STAFF, office=Office.AGRICULTURE)
        )
        .select_related("user")
    )
    people = {m.user_id: m.user for m in members}
    return [
        Recipient(name=u.get_full_name() or u.username, email=u.email)
        for u in people.values()
    ]


def notify_alerts(alerts):
    """Tell the responsible people about each newly opened episode (once)."""
    for alert in alerts:
        point = MonitoringPoint.objects.select_related("unit").get(pk=alert.point_id)
        parameter = alert.parameter
        message = Message(
            subject=_("Cảnh báo môi trường: %(parameter)s tại %(point)s")
            % {"parameter": parameter.name, "point": point.name},
            body=_(
                "%(parameter)s đo được %(value)s %(unit)s lúc %(at)s, ngoài ngưỡng "
                "%(limits)s (%(regulation)s). Điểm: %(point)s, %(place)s. "
                "Cảnh báo sẽ không gửi lại cho đến khi kết quả trở về trong ngưỡng."
            )
            % {
                "parameter": parameter.name,
                "value": f"{alert.first_value:g}",
                "unit": parameter.unit_label,
                "at": timezone.localtime(alert.opened_at).strftime("%H:%M %d/%m/%Y"),
                "limits": parameter.limits_display,
                "regulation": parameter.regulation or "—",
                "point": point.name,
                "place": point.unit.name,
            },
            recipients=alert_recipients(point),
        )
        reached = deliver(message)
        Alert.objects.filter(pk=alert.pk).update(notified=reached)
