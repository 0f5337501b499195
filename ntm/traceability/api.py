"""/api/v1/traceability: growing areas, diaries, lots and their events.

Anyone reads what the public scan page shows: areas whose code was issued (with
their boundary, certificates and diary, never the households taking part nor
who kept the diary), their lots and events, and each lot's EPCIS 2.0 document.
Signed-in producers and officers also read their own areas before the code;
writes take a session (with the CSRF token as on the pages) or an API key with
the ``write:traceability`` scope, and the same permissions and services as the
pages.
"""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from shapely.errors import ShapelyError
from shapely.geometry import shape

from ntm.accounts.apiauth import api_auth
from ntm.ocop.models import Entity, Product
from ntm.units.geometry import GeometryError
from ntm.units.models import Unit

from . import epcis, permissions
from .geometry import clean_boundary
from .models import CropKind, DiaryEntry, Event, GrowingArea, Lot
from .queries import timeline
from .services import (
    TraceabilityError,
    change_area_status,
    create_lot,
    declare_area,
    epc_class,
    record_diary_entry,
    record_event,
)

router = Router(tags=["traceability"], auth=api_auth("traceability", optional=True))
WRITE = api_auth("traceability")


class Message(Schema):
    detail: str


class CertificateOut(Schema):
    kind: str
    number: str
    issuer: str
    issued_on: datetime.date
    valid_until: datetime.date


class AreaOut(Schema):
    id: int
    name: str
    code: str
    status: str
    status_label: str
    status_changed_on: datetime.date | None
    entity: str
    commune: str
    commune_name: str
    crop: str
    variety: str
    crop_kind: str
    season: str
    area_ha: Decimal | None
    boundary: dict | None
    certificates: list[CertificateOut]
    is_demo: bool


class AreaIn(Schema):
    entity: str  # the OCOP entity's code
    name: str
    commune: str  # GSO code of a current commune
    crop: str
    crop_kind: CropKind = CropKind.ANNUAL
    variety: str = ""
    season: str = ""
    boundary: dict  # a GeoJSON Polygon or MultiPolygon, WGS84


class StepIn(Schema):
    action: str
    on: datetime.date
    reason: str
    document_number: str = ""


class DiaryOut(Schema):
    id: int
    kind: str
    kind_label: str
    on: datetime.date
    input_name: str
    dose: str
    preharvest_days: int | None
    safe_from: datetime.date | None
    quantity_kg: Decimal | None
    note: str


class DiaryIn(Schema):
    kind: DiaryEntry.Kind
    on: datetime.date
    input_name: str = ""
    dose: str = ""
    preharvest_days: int | None = None
    quantity_kg: Decimal | None = None
    note: str = ""


class LotOut(Schema):
    id: int
    number: str
    product: str
    gtin: str
    local_id: str
    link: str
    area: int
    area_code: str
    quantity_kg: Decimal
    produced_on: datetime.date
    is_demo: bool


class LotIn(Schema):
    product: int
    area: int
    number: str
    quantity_kg: Decimal
    produced_on: datetime.date
    harvest: int | None = None


class EventOut(Schema):
    sequence: int
    kind: str
    kind_label: str
    occurred_at: datetime.datetime
    hash: str
    previous_hash: str
    document: dict


class EventsOut(Schema):
    intact: bool
    broken_at: int | None
    reason: str
    events: list[EventOut]


class EventIn(Schema):
    kind: str
    occurred_at: datetime.datetime
    quantity_kg: Decimal | None = None
    packages: int | None = None
    packaging: str = ""
    process: str = ""
    output_quantity: float | None = None
    output_uom: str = ""
    destination: str = ""
    channel: str = ""
    note: str = ""


# -- reads ---------------------------------------------------------------------


def _readable_areas(request):
    areas = GrowingArea.objects.select_related("entity", "unit").prefetch_related(
        "certificates"
    )
    public = areas.public()
    if not request.user.is_authenticated:
        return public
    return public | permissions.visible_areas(request.user, areas)


def _area_out(area):
    return {
        "id": area.pk,
        "name": area.name,
        "code": area.code,
        "status": area.status,
        "status_label": area.get_status_display(),
        "status_changed_on": area.status_changed_on,
        "entity": area.entity.name,
        "commune": area.unit.code,
        "commune_name": area.unit.name,
        "crop": area.crop,
        "variety": area.variety,
        "crop_kind": area.crop_kind,
        "season": area.season,
        "area_ha": area.area_ha,
        "boundary": area.boundary,
        "certificates": list(area.certificates.all()),
        "is_demo": area.is_demo,
    }


def _lot_out(lot):
    return {
        "id": lot.pk,
        "number": lot.number,
        "product": lot.product.name,
        "gtin": lot.gtin,
        "local_id": lot.local_id,
        "link": lot.link_path,
        "area": lot.area_id,
        "area_code": lot.area.code,
        "quantity_kg": lot.quantity_kg,
        "produced_on": lot.produced_on,
        "is_demo": lot.is_demo,
    }


def _readable_area(request, area_id):
    return get_object_or_404(_readable_areas(request), pk=area_id)


def _lots():
    return Lot.objects.select_related("product", "area")


@router.get("/areas", response=list[AreaOut], summary="Vùng trồng")
def area_list(request, commune: str = "", status: str = ""):
    areas = _readable_areas(request)
    if commune:
        areas = areas.filter(unit__code=commune)
    if status:
        areas = areas.filter(status=status)
    return [_area_out(area) for area in areas]


@router.get(
    "/areas/{int:area_id}", response={200: AreaOut, 404: Message}, summary="Một vùng"
)
def area_detail(request, area_id: int):
    return _area_out(_readable_area(request, area_id))


@router.get(
    "/areas/{int:area_id}/diary",
    response={200: list[DiaryOut], 404: Message},
    summary="Nhật ký sản xuất của vùng trồng",
)
def diary_list(request, area_id: int):
    area = _readable_area(request, area_id)
    return [
        {
            "id": entry.pk,
            "kind": entry.kind,
            "kind_label": entry.get_kind_display(),
            "on": entry.on,
            "input_name": entry.input_name,
            "dose": entry.dose,
            "preharvest_days": entry.preharvest_days,
            "safe_from": entry.safe_from,
            "quantity_kg": entry.quantity_kg,
            "note": entry.note,
        }
        for entry in area.diary.all()
    ]


@router.get("/lots", response=list[LotOut], summary="Lô hàng")
def lot_list(request, area: int | None = None, gtin: str = ""):
    lots = _lots().filter(area__in=_readable_areas(request).values("pk"))
    if area:
        lots = lots.filter(area_id=area)
    if gtin:
        lots = lots.filter(gtin=gtin)
    return [_lot_out(lot) for lot in lots]


def _readable_lot(request, lot_id):
    return get_object_or_404(
        _lots().filter(area__in=_readable_areas(request).values("pk")), pk=lot_id
    )


@router.get(
    "/lots/{int:lot_id}", response={200: LotOut, 404: Message}, summary="Một lô"
)
def lot_detail(request, lot_id: int):
    return _lot_out(_readable_lot(request, lot_id))


@router.get(
    "/lots/{int:lot_id}/events",
    response={200: EventsOut, 404: Message},
    summary="Sự kiện của lô và kết quả kiểm tra chuỗi mã băm",
)
def event_list(request, lot_id: int):
    lot = _readable_lot(request, lot_id)
    events = list(Event.objects.of_lot(lot).order_by("sequence"))
    check = epcis.verify_chain(events)
    labels = {step.sequence: step.label for step in timeline(events)}
    return {
        "intact": check.ok,
        "broken_at": check.broken_at,
        "reason": check.reason,
        "events": [
            _event_out(event, labels.get(event.sequence, "")) for event in events
        ],
    }


def _event_out(event, label):
    """An event as stored; ``label`` is read from its document (timeline)."""
    return {
        "sequence": event.sequence,
        "kind": event.kind,
        "kind_label": str(label),
        "occurred_at": event.occurred_at,
        "hash": event.hash,
        "previous_hash": event.previous_hash,
        "document": event.document,
    }


@router.get(
    "/lots/{int:lot_id}/epcis",
    response={200: dict, 404: Message},
    summary="Tài liệu EPCIS 2.0 (JSON-LD) của lô",
)
def lot_epcis(request, lot_id: int):
    lot = _readable_lot(request, lot_id)
    return epcis.export_document(
        list(Event.objects.of_lot(lot).order_by("sequence")), lot_uri=epc_class(lot)
    )


# -- writes --------------------------------------------------------------------


def _geometry(data):
    try:
        return clean_boundary([shape(data)])
    except (GeometryError, ShapelyError, AttributeError, KeyError, TypeError) as e:
        raise HttpError(422, str(e) or _("Ranh giới không hợp lệ.")) from e


@router.post(
    "/areas",
    auth=WRITE,
    response={201: AreaOut, 403: Message, 422: Message},
    summary="Khai báo vùng trồng",
)
def area_declare(request, payload: AreaIn):
    entity = get_object_or_404(Entity, code=payload.entity)
    if not permissions.can_declare_area(request.user, entity):
        raise HttpError(403, _("Bạn không được khai báo vùng trồng cho chủ thể này."))
    unit = Unit.objects.valid_on().communes().filter(code=payload.commune).first()
    if unit is None:
        raise HttpError(422, _("Không có xã mang mã này."))
    try:
        area = declare_area(
            entity=entity,
            name=payload.name,
            unit=unit,
            crop=payload.crop,
            crop_kind=payload.crop_kind,
            variety=payload.variety,
            season=payload.season,
            boundary=_geometry(payload.boundary),
            by=request.user,
        )
    except TraceabilityError as error:
        return Status(422, {"detail": str(error)})
    return Status(201, _area_out(area))


@router.post(
    "/areas/{int:area_id}/steps",
    auth=WRITE,
    response={200: AreaOut, 403: Message, 404: Message, 422: Message},
    summary="Kiểm tra, cấp, giám sát, tạm dừng, thu hồi mã (Phòng NN-PTNT)",
)
def area_step(request, area_id: int, payload: StepIn):
    area = get_object_or_404(GrowingArea.objects.select_related("unit"), pk=area_id)
    if not permissions.can_review_area(request.user, area):
        raise HttpError(403, _("Chỉ Phòng Nông nghiệp được thực hiện bước này."))
    if payload.action not in GrowingArea.Status.TRANSITIONS:
        return Status(422, {"detail": _("Bước không hợp lệ.")})
    try:
        change_area_status(
            area,
            payload.action,
            by=request.user,
            on=payload.on,
            reason=payload.reason,
            document_number=payload.document_number,
        )
    except TraceabilityError as error:
        return Status(422, {"detail": str(error)})
    return Status(200, _area_out(area))


@router.post(
    "/areas/{int:area_id}/diary",
    auth=WRITE,
    response={201: DiaryOut, 403: Message, 404: Message, 422: Message},
    summary="Ghi nhật ký sản xuất",
)
def diary_add(request, area_id: int, payload: DiaryIn):
    area = get_object_or_404(GrowingArea.objects.select_related("entity"), pk=area_id)
    if not permissions.can_keep_area(request.user, area):
        raise HttpError(403, _("Bạn không được ghi nhật ký của vùng trồng này."))
    try:
        entry = record_diary_entry(area, by=request.user, **payload.dict())
    except TraceabilityError as error:
        return Status(422, {"detail": str(error)})
    return Status(
        201,
        {
            **payload.dict(),
            "id": entry.pk,
            "kind_label": entry.get_kind_display(),
            "safe_from": entry.safe_from,
        },
    )


@router.post(
    "/lots",
    auth=WRITE,
    response={201: LotOut, 403: Message, 404: Message, 422: Message},
    summary="Tạo lô hàng (ghi sự kiện thu hoạch)",
)
def lot_create(request, payload: LotIn):
    product = get_object_or_404(
        Product.objects.select_related("entity"), pk=payload.product
    )
    area = get_object_or_404(GrowingArea, pk=payload.area)
    if not (
        permissions.can_keep_area(request.user, area)
        and permissions.can_declare_area(request.user, product.entity)
    ):
        raise HttpError(403, _("Bạn không được tạo lô hàng cho chủ thể này."))
    harvest = None
    if payload.harvest:
        harvest = area.diary.filter(pk=payload.harvest).first()
    try:
        lot = create_lot(
            product=product,
            area=area,
            number=payload.number,
            quantity_kg=payload.quantity_kg,
            produced_on=payload.produced_on,
            harvest=harvest,
            by=request.user,
        )
    except TraceabilityError as error:
        return Status(422, {"detail": str(error)})
    return Status(201, _lot_out(lot))


@router.post(
    "/lots/{int:lot_id}/events",
    auth=WRITE,
    response={201: EventOut, 403: Message, 404: Message, 422: Message},
    summary="Ghi sự kiện của lô (đóng gói, chế biến, vận chuyển, bán)",
)
def event_add(request, lot_id: int, payload: EventIn):
    lot = get_object_or_404(
        Lot.objects.select_related("product__entity", "area__unit"), pk=lot_id
    )
    if not permissions.can_keep_lot(request.user, lot):
        raise HttpError(403, _("Bạn không được ghi sự kiện của lô này."))
    details = {k: v for k, v in payload.dict().items() if v not in (None, "")}
    try:
        event = record_event(lot, by=request.user, **details)
    except TraceabilityError as error:
        return Status(422, {"detail": str(error)})
    return Status(201, _event_out(event, timeline([event])[0].label))
