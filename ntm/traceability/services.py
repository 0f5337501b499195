"""Writes: growing areas and their code lifecycle, diaries, lots and events.

Whether the caller may do a thing is the view's (and the API's) question,
answered by ``permissions.py``; these functions enforce the rules of the
records themselves, write the audit trail and bump the cache version of
every lot whose public page the write changes.
"""

import datetime
import secrets

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from ntm.core.audit import diff, log_action, snapshot
from ntm.core.states import lock
from ntm.units.models import Unit

from . import epcis
from .codes import current_format
from .digital_link import is_lot_number
from .geometry import hectares, to_geojson
from .models import (
    AreaStep,
    Certificate,
    DiaryEntry,
    Event,
    GrowingArea,
    LocalProductId,
    Lot,
)

AREA_FIELDS = [
    "name",
    "unit",
    "crop",
    "variety",
    "crop_kind",
    "season",
    "expected_yield_tonnes",
    "area_ha",
    "households",
]
# The audit name of each step of a growing area's code.
AREA_ACTIONS = {
    "inspect": "traceability.area.inspected",
    "issue": "traceability.area.issued",
    "supervise": "traceability.area.supervised",
    "suspend": "traceability.area.suspended",
    "reinstate": "traceability.area.reinstated",
    "revoke": "traceability.area.revoked",
}
# EPCIS identifiers that are not GS1 keys live under our own URN.
LOCAL_URN = "urn:ntm-so:truy-xuat"
CANONICAL_GS1 = "https://id.gs1.org"
# Clocks of phones differ: an event a few minutes "ahead" is still now.
CLOCK_SLACK = datetime.timedelta(minutes=10)


class TraceabilityError(Exception):
    """Well-formed input that breaks a rule of areas, diaries or lots."""


def _day(value):
    return date_format(value, "SHORT_DATE_FORMAT")


def _bump_lots(lots):
    """New cache key for these lots' public pages (see views.scan_page).

    The version lives on the row; the cache keeps a copy per link, dropped
    once the write commits, so the next scan reads the new version.
    """
    lots.update(cache_version=F("cache_version") + 1)
    keys = [
        scan_version_key(gtin=gtin, local_id=local_id, lot=number)
        for gtin, local_id, number in lots.values_list("gtin", "local_id", "number")
    ]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))


def scan_version_key(*, gtin, local_id, lot):
    return f"trace:scan-version:{gtin or local_id}:{lot}"


# -- growing areas -------------------------------------------------------------


def _check_area(area, geometry):
    if area.unit.level != Unit.Level.COMMUNE:
        raise TraceabilityError(_("Vùng trồng phải thuộc một xã."))
    if not area.unit.is_current:
        raise TraceabilityError(_("Xã này không còn tồn tại; hãy chọn xã hiện nay."))
    if geometry is None and area.boundary is None:
        raise TraceabilityError(
            _("Cần ranh giới vùng trồng: nhập tệp GeoJSON, KML hoặc vẽ trên bản đồ.")
        )
    if geometry is not None:
        area.boundary = to_geojson(geometry)
        area.area_ha = hectares(geometry)
    minimum = current_format().minimum_for(area.crop_kind)
    if area.area_ha < minimum.hectares:
        raise TraceabilityError(
            _(
                "Diện tích %(area)s ha nhỏ hơn mức tối thiểu %(minimum)s ha "
                "của %(kind)s (QĐ 3156/QĐ-BNN-TT)."
            )
            % {
                "area": number_format(area.area_ha, 4),
                "minimum": number_format(minimum.hectares),
                "kind": minimum.label.lower(),
            }
        )


@transaction.atomic
def declare_area(
    *, entity, boundary, on=None, households=(), by, is_demo=False, **fields
):
    """Declare a growing area of ``entity`` (the producer's first step).

    ``boundary`` is a shapely (multi)polygon; its geodesic area is stored
    and must reach the minimum for the crop kind. The area starts declared,
    with the declaration as its first dated step.
    """
    on = on or timezone.localdate()
    area = GrowingArea(
        entity=entity,
        status=GrowingArea.Status.DECLARED,
        status_changed_on=on,
        is_demo=is_demo,
        **fields,
    )
    _check_area(area, boundary)
    area.save()
    area.households.set(households)
    AreaStep.objects.create(
        area=area,
        action="declare",
        to_status=area.status,
        on=on,
        by=by if by and by.is_authenticated else None,
        reason=_("Chủ thể khai báo vùng trồng."),
    )
    log_action(
        area,
        "traceability.area.declared",
        by=by,
        data={"changes": diff(area, {}, snapshot(area, AREA_FIELDS))},
    )
    return area


@transaction.atomic
def update_area(area, *, by, boundary=None, households=None, **fields):
    """Change an area's description or boundary; a revoked area is closed.

    The area is re-measured when a boundary is given and must still reach
    the minimum. Every changed field is logged; the area's lots show the
    change on their public pages.
    """
    lock(area)
    if area.status == GrowingArea.Status.REVOKED:
        raise TraceabilityError(_("Vùng trồng đã bị thu hồi mã, không sửa được."))
    before = snapshot(area, AREA_FIELDS)
    for name, value in fields.items():
        setattr(area, name, value)
    _check_area(area, boundary)
    area.save()
    if households is not None:
        area.households.set(households)
    changes = diff(area, before, snapshot(area, AREA_FIELDS))
    if changes or boundary is not None:
        log_action(
            area,
            "traceability.area.changed",
            by=by,
            data={"changes": changes, "boundary": boundary is not None},
        )
        _bump_lots(area.lots.all())
    return area


def _next_code(area, on):
    code_format = current_format()
    prefix = code_format.prefix_for(area.unit)
    taken = GrowingArea.objects.filter(code__startswith=prefix).values_list(
        "code", flat=True
    )
    numbers = [
        int(code[len(prefix) :].split(code_format.separator)[0]) for code in taken
    ]
    return code_format.build(
        area.unit, facility=max(numbers, default=0) + 1, year=on.year
    )


@transaction.atomic
def change_area_status(area, action, *, by, on, reason, document_number=""):
    """Take one step of the code lifecycle: inspect, issue, supervise, suspend,
    reinstate or revoke.

    Steps follow ``GrowingArea.Status.TRANSITIONS`` (no skipping: a code is
    issued only after an inspection), on the locked row; each needs a reason
    (the inspection's findings, the grounds of a suspension), a date that is
    neither in the future nor before the previous step. Issuing checks the
    minimum area again and gives the next code of the commune in the
    format file's pattern.
    """
    lock(area)
    target = GrowingArea.Status.check(area.status, action, TraceabilityError)
    if not (reason or "").strip():
        raise TraceabilityError(_("Hãy ghi lý do hoặc kết quả của bước này."))
    if on > timezone.localdate():
        raise TraceabilityError(_("Ngày thực hiện không được ở tương lai."))
    if area.status_changed_on and on < area.status_changed_on:
        raise TraceabilityError(
            _("Ngày thực hiện không được trước bước trước (%(day)s).")
            % {"day": _day(area.status_changed_on)}
        )
    previous = area.status
    if action == "issue":
        _check_area(area, None)
        area.code = _next_code(area, on)
        area.code_format_version = current_format().version
    area.status = target
    area.status_changed_on = on
    try:
        with transaction.atomic():
            area.save(
                update_fields=[
                    "status",
                    "status_changed_on",
                    "code",
                    "code_format_version",
                    "updated_at",
                ]
            )
    except IntegrityError as error:
        raise TraceabilityError(
            _("Mã %(code)s vừa được cấp cho vùng khác; hãy thử lại.")
            % {"code": area.code}
        ) from error
    AreaStep.objects.create(
        area=area,
        action=action,
        from_status=previous,
        to_status=target,
        on=on,
        by=by,
        reason=reason.strip(),
        document_number=document_number,
    )
    log_action(
        area,
        AREA_ACTIONS[action],
        by=by,
        data={
            "from": previous,
            "to": str(target),
            "on": on.isoformat(),
            "note": reason.strip(),
            "code": area.code,
        },
    )
    _bump_lots(area.lots.all())
    return area


@transaction.atomic
def add_certificate(area, *, kind, number, issuer, issued_on, valid_until, by):
    """Record a VietGAP, organic or other certificate of the area."""
    if valid_until < issued_on:
        raise TraceabilityError(_("Ngày hết hiệu lực phải sau ngày cấp."))
    certificate = Certificate.objects.create(
        area=area,
        kind=kind,
        number=number,
        issuer=issuer,
        issued_on=issued_on,
        valid_until=valid_until,
        is_demo=area.is_demo,
    )
    log_action(
        area,
        "traceability.certificate.added",
        by=by,
        data={"note": f"{certificate} ({_day(issued_on)} – {_day(valid_until)})"},
    )
    _bump_lots(area.lots.all())
    return certificate


# -- production diary ----------------------------------------------------------


def _spraying_blocking(area, day):
    """The spraying whose pre-harvest interval still runs on ``day``, if any."""
    sprayings = area.diary.sprayings().filter(on__lte=day).order_by("-on", "-pk")
    blocking = [s for s in sprayings if s.safe_from > day]
    return max(blocking, key=lambda s: s.safe_from, default=None)


def _refuse_inside_interval(area, day):
    spraying = _spraying_blocking(area, day)
    if spraying is not None:
        raise TraceabilityError(
            _(
                "Chưa được thu hoạch ngày %(day)s: lần phun %(product)s ngày "
                "%(sprayed)s có thời gian cách ly %(days)d ngày, chỉ được thu "
                "hoạch từ ngày %(safe)s."
            )
            % {
                "day": _day(day),
                "product": spraying.input_name,
                "sprayed": _day(spraying.on),
                "days": spraying.preharvest_days,
                "safe": _day(spraying.safe_from),
            }
        )


@transaction.atomic
def record_diary_entry(area, *, kind, on, by, is_demo=False, **fields):
    """Write one line of the area's production diary.

    Refuses a date in the future, a revoked area, a spraying without its
    product and pre-harvest interval, a harvest without a quantity, a
    harvest inside a spraying's pre-harvest interval (naming the spraying
    and the first day allowed), and a spraying dated so that a harvest
    already recorded would fall inside its interval.
    """
    lock(area)
    if area.status == GrowingArea.Status.REVOKED:
        raise TraceabilityError(_("Vùng trồng đã bị thu hồi mã."))
    if on > timezone.localdate():
        raise TraceabilityError(_("Ngày ghi nhật ký không được ở tương lai."))
    entry = DiaryEntry(
        area=area, kind=kind, on=on, recorded_by=by, is_demo=is_demo, **fields
    )
    if kind == DiaryEntry.Kind.PESTICIDE:
        if not entry.input_name or entry.preharvest_days is None:
            raise TraceabilityError(
                _("Lần phun thuốc cần tên thuốc và thời gian cách ly (ngày).")
            )
        harvest = (
            area.diary.harvests()
            .filter(on__gte=on, on__lt=entry.safe_from)
            .order_by("on")
            .first()
        )
        if harvest is not None:
            raise TraceabilityError(
                _(
                    "Lần thu hoạch ngày %(harvest)s đã ghi nằm trong thời gian "
                    "cách ly của lần phun này (đến hết ngày %(last)s)."
                )
                % {
                    "harvest": _day(harvest.on),
                    "last": _day(entry.safe_from - datetime.timedelta(days=1)),
                }
            )
    if kind == DiaryEntry.Kind.HARVEST:
        if not entry.quantity_kg or entry.quantity_kg <= 0:
            raise TraceabilityError(_("Lần thu hoạch cần sản lượng (kg)."))
        _refuse_inside_interval(area, on)
    entry.save()
    log_action(
        area,
        "traceability.diary.recorded",
        by=by,
        data={"note": f"{entry.get_kind_display()} {_day(on)} {entry.input_name}"},
    )
    _bump_lots(area.lots.all())
    return entry


# -- lots and events -----------------------------------------------------------


def epc_class(lot):
    """The lot's identifier inside EPCIS documents (never host-dependent)."""
    if lot.gtin:
        return f"{CANONICAL_GS1}/01/{lot.gtin}/10/{lot.number}"
    return f"{LOCAL_URN}:sp:{lot.local_id}:lot:{lot.number}"


def area_location(area):
    return f"{LOCAL_URN}:vung-trong:{area.code}"


def _local_id(product):
    existing = LocalProductId.objects.filter(product=product).first()
    if existing:
        return existing.code
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    while True:
        code = "L" + "".join(secrets.choice(alphabet) for _i in range(9))
        if not LocalProductId.objects.filter(code=code).exists():
            return LocalProductId.objects.create(product=product, code=code).code


@transaction.atomic
def create_lot(
    *,
    product,
    area,
    number,
    quantity_kg,
    produced_on,
    harvest=None,
    occurred_at=None,
    recorded_at=None,
    by,
    is_demo=False,
):
    """Create a lot of ``product`` from ``area`` and record its harvest event.

    The area must hold a code in force (issued or supervised) and belong to
    the product's entity; a harvest on a day inside a spraying's
    pre-harvest interval is refused as in the diary; a harvest diary entry,
    when given, fixes the day and caps the quantity. The lot takes the
    product's GTIN, or a local identifier when it has none, for good.
    """
    lock(area)
    if not area.is_coded:
        raise TraceabilityError(
            _("Vùng trồng chưa có mã số còn hiệu lực (đang: %(status)s).")
            % {"status": area.get_status_display()}
        )
    if product.entity_id != area.entity_id:
        raise TraceabilityError(_("Sản phẩm và vùng trồng phải của cùng một chủ thể."))
    if not is_lot_number(number):
        raise TraceabilityError(
            _("Số lô gồm tối đa 20 chữ cái không dấu, chữ số và dấu gạch ngang.")
        )
    if produced_on > timezone.localdate():
        raise TraceabilityError(_("Ngày thu hoạch không được ở tương lai."))
    if harvest is not None:
        if harvest.area_id != area.pk or harvest.kind != DiaryEntry.Kind.HARVEST:
            raise TraceabilityError(
                _("Lần thu hoạch phải thuộc nhật ký vùng trồng này.")
            )
        produced_on = harvest.on
        if quantity_kg > harvest.quantity_kg:
            raise TraceabilityError(
                _("Khối lượng lô lớn hơn sản lượng thu hoạch (%(kg)s kg).")
                % {"kg": harvest.quantity_kg}
            )
    _refuse_inside_interval(area, produced_on)
    gtin = product.gtin
    lot = Lot(
        product=product,
        area=area,
        harvest=harvest,
        number=number,
        gtin=gtin,
        local_id="" if gtin else _local_id(product),
        quantity_kg=quantity_kg,
        produced_on=produced_on,
        is_demo=is_demo,
    )
    if Lot.objects.by_link(
        gtin=lot.gtin, local_id=lot.local_id, number=number
    ).exists():
        raise TraceabilityError(
            _("Sản phẩm này đã có lô số %(number)s.") % {"number": number}
        )
    lot.save()
    occurred_at = occurred_at or timezone.make_aware(
        datetime.datetime.combine(produced_on, datetime.time(7, 0))
    )
    _append_event(
        lot,
        epcis.HARVEST,
        occurred_at=occurred_at,
        quantity=quantity_kg,
        details={"area_code": area.code, "harvest_date": produced_on.isoformat()},
        by=by,
        recorded_at=recorded_at,
    )
    log_action(
        lot,
        "traceability.lot.created",
        by=by,
        data={"note": f"{number}: {quantity_kg} kg, {area.code}"},
    )
    return lot


def _append_event(lot, kind, *, occurred_at, quantity, details, by, recorded_at=None):
    last = Event.objects.of_lot(lot).order_by("-sequence").first()
    sequence = (last.sequence + 1) if last else 1
    previous = last.hash if last else epcis.GENESIS
    document = epcis.build_event(
        kind,
        lot_uri=epc_class(lot),
        sequence=sequence,
        previous_hash=previous,
        occurred_at=occurred_at,
        recorded_at=recorded_at or timezone.now(),
        quantity=quantity,
        read_point=area_location(lot.area),
        details=details,
    )
    return Event.objects.create(
        lot=lot,
        sequence=sequence,
        kind=kind,
        occurred_at=occurred_at,
        document=document,
        previous_hash=previous,
        hash=epcis.digest(document),
        recorded_by=by if by and by.is_authenticated else None,
        province_code=lot.province_code,
    )


@transaction.atomic
def record_event(
    lot, *, kind, occurred_at, by, quantity_kg=None, recorded_at=None, **details
):
    """Append a packing, processing, shipping or sale event to the lot.

    The harvest is the lot's first event and is recorded with it. Events
    follow each other in time (none before the lot's last one, none in the
    future); each carries the hash of the one before.
    """
    lock(lot)
    if kind == epcis.HARVEST or kind not in epcis.SHAPES:
        raise TraceabilityError(
            _("Thu hoạch là sự kiện đầu tiên, được ghi khi tạo lô hàng.")
        )
    if occurred_at > timezone.now() + CLOCK_SLACK:
        raise TraceabilityError(_("Thời điểm sự kiện không được ở tương lai."))
    latest = Event.objects.of_lot(lot).aggregate(latest=Max("occurred_at"))["latest"]
    if latest and occurred_at < latest:
        raise TraceabilityError(
            _("Sự kiện không được trước sự kiện gần nhất của lô (%(when)s).")
            % {"when": date_format(timezone.localtime(latest), "SHORT_DATETIME_FORMAT")}
        )
    if quantity_kg is not None and quantity_kg <= 0:
        raise TraceabilityError(_("Khối lượng phải lớn hơn 0."))
    event = _append_event(
        lot,
        kind,
        occurred_at=occurred_at,
        quantity=quantity_kg or lot.quantity_kg,
        details=details,
        by=by,
        recorded_at=recorded_at,
    )
    log_action(
        lot,
        "traceability.event.recorded",
        by=by,
        data={"note": f"#{event.sequence} {event.get_kind_display()}"},
    )
    _bump_lots(Lot.objects.filter(pk=lot.pk))
    return event
