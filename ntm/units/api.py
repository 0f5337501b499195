"""Public read API for administrative units. Every answer is as of a date.

A GSO code names a unit only together with a date (20515 was Xã Đại Đồng until
30/06/2025 and is Xã Hà Nha after), so every endpoint takes ``on`` and reads
today when it is absent.
"""

import datetime

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from ntm.core.publiccache import shared_page

from .models import Unit, today
from .queries import get_unit, linked_units, with_lineage

router = Router(tags=["units"])

LEVELS = {level.name.lower(): level for level in Unit.Level}

# Declared as text, not a date, so a bad date gets our Vietnamese 422 rather
# than pydantic's English one.
ON = Query(
    None,
    description="Ngày đọc dữ liệu (đơn vị, hồ sơ như tại ngày đó), YYYY-MM-DD; "
    "mặc định hôm nay.",
    example="2024-12-31",
)


class ErrorOut(Schema):
    detail: str


class EventOut(Schema):
    kind: str
    effective_date: datetime.date


class LinkedUnitOut(Schema):
    code: str
    name: str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    event: EventOut


class UnitOut(Schema):
    code: str
    name: str
    level: str
    type: str
    parent_code: str | None
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    area_km2: float | None
    lat: float | None
    lon: float | None
    boundary_approximate: bool
    predecessors: list[LinkedUnitOut]
    successors: list[LinkedUnitOut]

    @staticmethod
    def resolve_level(unit):
        return unit.level_key

    @staticmethod
    def resolve_type(unit):
        return unit.kind

    @staticmethod
    def resolve_parent_code(unit):
        return unit.parent.code if unit.parent_id else None

    @staticmethod
    def resolve_boundary_approximate(unit):
        return unit.boundary_is_approximate

    @staticmethod
    def resolve_predecessors(unit):
        return [_linked(other, event) for other, event in linked_units(unit)[0]]

    @staticmethod
    def resolve_successors(unit):
        return [_linked(other, event) for other, event in linked_units(unit)[1]]


def _linked(unit, event):
    return {
        "code": unit.code,
        "name": unit.name,
        "valid_from": unit.valid_from,
        "valid_to": unit.valid_to,
        "event": {"kind": event.kind, "effective_date": event.effective_date},
    }


def _units(units=Unit.objects):
    return with_lineage(units.select_related("parent"))


def day_of(on):
    """The ``on`` of every API that reads the platform as of a day: today
    when absent, a Vietnamese 422 when not a date."""
    if not on:
        return today()
    try:
        return datetime.date.fromisoformat(on)
    except ValueError:
        raise HttpError(
            422,
            _("Ngày không hợp lệ: “%s”. Dùng dạng YYYY-MM-DD, ví dụ 2024-12-31.") % on,
        ) from None


def _unit(code, on):
    return get_unit(code, on=day_of(on), queryset=_units())


@router.get("", response={200: list[UnitOut], 422: ErrorOut}, summary="List units")
@decorate_view(shared_page)
def list_units(
    request,
    on: str | None = ON,
    level: str | None = Query(
        None, description="province, district, commune hoặc village"
    ),
    q: str = Query("", description="Tên hoặc mã, không cần dấu: dai dong"),
):
    units = _units().valid_on(day_of(on))
    if level:
        if level not in LEVELS:
            raise HttpError(
                422,
                _("Cấp không hợp lệ: “%(level)s”. Dùng một trong: %(choices)s.")
                % {"level": level, "choices": ", ".join(LEVELS)},
            )
        units = units.at_level(LEVELS[level])
    if q:
        units = units.matching(q)
    return units


@router.get(
    "/{code}",
    response={200: UnitOut, 404: ErrorOut, 422: ErrorOut},
    summary="One unit on a date",
)
@decorate_view(shared_page)
def get_unit_on(request, code: str, on: str | None = ON):
    return _unit(code, on)


@router.get(
    "/{code}/children",
    response={200: list[UnitOut], 404: ErrorOut, 422: ErrorOut},
    summary="The units directly below a unit on a date",
)
@decorate_view(shared_page)
def list_children(request, code: str, on: str | None = ON):
    unit = _unit(code, on)
    return _units(unit.children).valid_on(day_of(on))
