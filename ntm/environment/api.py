"""/api/v1/environment: points, readings and alerts (public), and the door
for sensors that post readings over HTTP with their own key.

A sensor sends ``X-Device-Id`` and ``X-Device-Key``; a wrong or revoked key
is refused with 401 and stores nothing. Readings go through
``services.record_readings``, as those over MQTT do.
"""

import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import APIKeyHeader

from ntm.accounts.apiauth import api_auth
from ntm.core.apipages import PAGE, SIZE, page_of

from .models import Alert, MonitoringPoint, Reading, Sensor
from .services import ReadingError, parse_readings, record_readings

router = Router(tags=["environment"])


class DeviceKeyAuth(APIKeyHeader):
    """A sensor's id and key, each in its header."""

    param_name = "X-Device-Key"

    def authenticate(self, request, key):
        device_id = request.headers.get("X-Device-Id", "")
        sensor = (
            Sensor.objects.select_related("point").filter(device_id=device_id).first()
        )
        if sensor is None or not sensor.accepts(key):
            return None
        return sensor


class Message(Schema):
    detail: str


class Invalid(Schema):
    detail: str
    errors: list[str] = []


class ReadingIn(Schema):
    parameter: str
    value: float
    measured_at: datetime.datetime


class ReadingsIn(Schema):
    readings: list[ReadingIn]


class Stored(Schema):
    stored: int
    alerts_opened: int


class ParameterOut(Schema):
    code: str
    name: str
    unit: str
    low: float | None
    high: float | None
    regulation: str
    confirmed: bool


class PointOut(Schema):
    code: str
    name: str
    kind: str
    unit_code: str
    unit_name: str
    latitude: float | None
    longitude: float | None
    parameters: list[ParameterOut]
    is_demo: bool


class ReadingOut(Schema):
    parameter: str
    value: float
    measured_at: datetime.datetime
    source: str
    breach: bool


class ReadingPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[ReadingOut]


class AlertOut(Schema):
    point: str
    parameter: str
    opened_at: datetime.datetime
    closed_at: datetime.datetime | None
    first_value: float
    worst_value: float
    readings: int


@router.post(
    "/readings",
    auth=DeviceKeyAuth(),
    response={201: Stored, 401: Message, 422: Invalid},
    summary="Thiết bị đo gửi kết quả (X-Device-Id, X-Device-Key)",
)
def post_readings(request, payload: ReadingsIn):
    sensor = request.auth
    items = [reading.dict() for reading in payload.readings]
    try:
        rows = parse_readings(items, point=sensor.point)
    except ReadingError as error:
        return Status(
            422, {"detail": _("Không lưu kết quả nào."), "errors": error.problems}
        )
    stored, opened = record_readings(
        [(sensor.point, sensor, p, v, at) for p, v, at in rows],
        source=Reading.Source.HTTP,
    )
    return Status(201, {"stored": stored, "alerts_opened": len(opened)})


def _parameter_out(parameter):
    return {
        "code": parameter.code,
        "name": parameter.name,
        "unit": parameter.unit_label,
        "low": parameter.low,
        "high": parameter.high,
        "regulation": parameter.regulation,
        "confirmed": parameter.is_confirmed,
    }


@router.get(
    "/points",
    auth=api_auth(optional=True),
    response=list[PointOut],
    summary="Điểm quan trắc môi trường và thông số theo dõi",
)
def list_points(request):
    points = (
        MonitoringPoint.objects.select_related("unit")
        .defer("unit__boundary")
        .prefetch_related("parameters")
    )
    return [
        {
            "code": p.code,
            "name": p.name,
            "kind": p.kind,
            "unit_code": p.unit.code,
            "unit_name": p.unit.name,
            "latitude": p.latitude,
            "longitude": p.longitude,
            "parameters": [_parameter_out(x) for x in p.parameters.all()],
            "is_demo": p.is_demo,
        }
        for p in points
    ]


@router.get(
    "/points/{code}/readings",
    auth=api_auth(optional=True),
    response={200: ReadingPage, 404: Message},
    summary="Kết quả đo của một điểm, mới nhất trước",
)
def point_readings(
    request,
    code: str,
    parameter: str | None = None,
    page: int = PAGE,
    page_size: int = SIZE,
):
    points = MonitoringPoint.objects.select_related("unit").defer("unit__boundary")
    point = get_object_or_404(points, code=code)
    readings = Reading.objects.of_point(point).select_related("parameter")
    if parameter:
        readings = readings.filter(parameter__code=parameter)
    return page_of(
        readings,
        page,
        page_size,
        out=lambda r: {
            "parameter": r.parameter.code,
            "value": r.value,
            "measured_at": r.measured_at,
            "source": r.source,
            "breach": r.is_breach,
        },
    )


@router.get(
    "/alerts",
    auth=api_auth(optional=True),
    response=list[AlertOut],
    summary="Các đợt vượt ngưỡng (đang mở trước)",
)
def list_alerts(request, open_only: bool = False):
    alerts = Alert.objects.select_related("point", "parameter").order_by(
        "-opened_at", "-pk"
    )
    if open_only:
        alerts = alerts.filter(closed_at__isnull=True)
    return [
        {
            "point": a.point.code,
            "parameter": a.parameter.code,
            "opened_at": a.opened_at,
            "closed_at": a.closed_at,
            "first_value": a.first_value,
            "worst_value": a.worst_value,
            "readings": a.readings,
        }
        for a in alerts[:200]
    ]
