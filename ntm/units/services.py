"""Writes to administrative units: creation, reorganisation, boundaries."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ntm.core.audit import log_action
from ntm.core.changes import change_fields
from ntm.core.partitions import ensure_province_partitions
from ntm.core.text import fold

from . import geometry, layers
from .models import Reorganisation, Unit
from .scope import covers

REFERENCE_FILE = Path(__file__).parent / "data" / "dai_loc_units.json"
EDITABLE_FIELDS = ["name", "lat", "lon", "area_km2", "valid_to", "source"]


class UnitError(Exception):
    """The input is well formed but contradicts the units already recorded."""


@transaction.atomic
def create_unit(
    *,
    code,
    name,
    kind,
    parent=None,
    valid_from=None,
    valid_to=None,
    lat=None,
    lon=None,
    area_km2=None,
    boundary=None,
    boundary_is_approximate=True,
    is_demo=False,
    source="",
    by,
):
    """Open a unit, refusing a code that another unit holds over the same dates.

    The parent must sit on a higher level and exist on the unit's first day.
    """
    level = Unit.LEVEL_OF_KIND[Unit.Kind(kind)]
    if parent is not None and parent.level >= level:
        raise UnitError(_("Đơn vị cấp trên phải ở cấp cao hơn."))
    if parent is not None and valid_from and not parent.is_valid_on(valid_from):
        raise UnitError(
            _("%(parent)s không còn hiệu lực vào ngày %(day)s.")
            % {"parent": parent, "day": date_format(valid_from)}
        )
    clash = Unit.objects.filter(code=code).filter(_overlapping(valid_from, valid_to))
    if clash.exists():
        raise UnitError(
            _("Mã %(code)s đã được dùng cho %(unit)s trong cùng thời gian.")
            % {"code": code, "unit": clash.first()}
        )
    unit = Unit(
        code=code,
        name=name,
        name_folded=fold(name),
        kind=kind,
        level=level,
        parent=parent,
        valid_from=valid_from,
        valid_to=valid_to,
        lat=lat,
        lon=lon,
        area_km2=area_km2,
        boundary=boundary,
        boundary_is_approximate=boundary_is_approximate,
        is_demo=is_demo,
        source=source,
    )
    unit.path = unit.build_path()
    unit.sort_key = unit.build_sort_key()
    unit.save()
    log_action(unit, "units.unit.created", by=by, data={"code": code, "name": name})
    return unit


@transaction.atomic
def update_unit(unit, *, by, **fields):
    """Correct a unit's name, centre, area, closing date or source note."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise UnitError(_("Không sửa được các trường: %s") % ", ".join(sorted(unknown)))
    changes = change_fields(unit, fields, EDITABLE_FIELDS)
    unit.name_folded = fold(unit.name)
    unit.sort_key = unit.build_sort_key()
    unit.save(update_fields=[*fields, "name_folded", "sort_key", "updated_at"])
    if changes:
        log_action(unit, "units.unit.changed", by=by, data={"changes": changes})
    return unit


@transaction.atomic
def set_boundary(unit, boundary, *, approximate, by, source=""):
    """Store a unit's boundary (GeoJSON geometry in WGS84)."""
    unit.boundary = boundary
    unit.boundary_is_approximate = approximate
    fields = ["boundary", "boundary_is_approximate", "updated_at"]
    if source:
        unit.source = source
        fields.append("source")
    unit.save(update_fields=fields)
    log_action(
        unit,
        "units.unit.boundary_set",
        by=by,
        data={"approximate": approximate, "source": source},
    )
    return unit


@transaction.atomic
def reorganise_units(
    *,
    kind,
    effective_date,
    predecessors,
    successors,
    decision="",
    note="",
    by,
    is_demo=False,
):
    """Record a merge, split, rename, transfer or dissolution on ``effective_date``.

    Predecessors still open on that day are closed the day before; successors must
    open on that day. History is never rewritten: old units keep their codes and
    names, and their records re-aggregate through this event.
    """
    predecessors, successors = list(predecessors), list(successors)
    if not predecessors:
        raise UnitError(_("Cần ít nhất một đơn vị trước khi sắp xếp."))
    late = [u for u in successors if u.valid_from != effective_date]
    if late:
        raise UnitError(
            _("Đơn vị sau sắp xếp phải có hiệu lực từ %(day)s: %(units)s")
            % {"day": date_format(effective_date), "units": ", ".join(map(str, late))}
        )
    last_day = effective_date - datetime.timedelta(days=1)
    for unit in predecessors:
        if unit.valid_from and unit.valid_from > last_day:
            raise UnitError(_("%s chưa có hiệu lực trước ngày sắp xếp.") % unit)
        if unit.valid_to is None or unit.valid_to > last_day:
            update_unit(unit, valid_to=last_day, by=by)
    event = Reorganisation.objects.create(
        kind=kind,
        effective_date=effective_date,
        decision=decision,
        note=note,
        is_demo=is_demo,
    )
    event.predecessors.set(predecessors)
    event.successors.set(successors)
    log_action(
        event,
        "units.reorganisation.created",
        by=by,
        data={
            "predecessors": [u.code for u in predecessors],
            "successors": [u.code for u in successors],
        },
    )
    return event


@transaction.atomic
def load_reference_units(*, by=None, path=REFERENCE_FILE):
    """Load the real units of Đại Lộc and the 2025 reorganisation. Idempotent."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if Unit.objects.filter(code=data["district"]["code"]).exists():
        return False
    source = (
        "GSO (vietnam-provinces, vietnamadminunits); tâm điểm và diện tích gần đúng"
    )
    province = create_unit(
        code=data["province"]["code"],
        name=data["province"]["name"],
        kind=data["province"]["type"],
        valid_to=_day(data["province"]["valid_to"]),
        source=source,
        by=by,
    )
    district_data = data["district"]
    district = create_unit(
        code=district_data["code"],
        name=district_data["name"],
        kind=district_data["type"],
        parent=province,
        valid_to=_day(district_data["valid_to"]),
        lat=_dec(district_data["lat"]),
        lon=_dec(district_data["lon"]),
        area_km2=_dec(district_data["area_km2"]),
        source=source,
        by=by,
    )
    old = {
        row["code"]: create_unit(
            code=row["code"],
            name=row["name"],
            kind=row["type"],
            parent=district,
            valid_to=_day(row["valid_to"]),
            lat=_dec(row["lat"]),
            lon=_dec(row["lon"]),
            area_km2=_dec(row["area_km2"]),
            source=source,
            by=by,
        )
        for row in data["communes"]
    }
    reorg = data["reorganisation_2025"]
    effective = _day(reorg["effective_date"])
    city = create_unit(
        code=reorg["province"]["code"],
        name=reorg["province"]["name"],
        kind=reorg["province"]["type"],
        valid_from=effective,
        source=source,
        by=by,
    )
    note = _("Sắp xếp đơn vị hành chính hai cấp từ 01/07/2025 (dữ liệu GSO).")
    reorganise_units(
        kind=Reorganisation.Kind.MERGE,
        effective_date=effective,
        predecessors=[province],
        successors=[city],
        note=note,
        by=by,
    )
    new = {}
    for row in reorg["communes"]:
        new[row["code"]] = create_unit(
            code=row["code"],
            name=row["name"],
            kind=row["type"],
            parent=city,
            valid_from=_day(row["valid_from"]),
            lat=_dec(row["lat"]),
            lon=_dec(row["lon"]),
            area_km2=_dec(row["area_km2"]),
            source=source,
            by=by,
        )
        reorganise_units(
            kind=Reorganisation.Kind.MERGE,
            effective_date=effective,
            predecessors=[old[code] for code in row["merged_from"]],
            successors=[new[row["code"]]],
            note=note,
            by=by,
        )
    reorganise_units(
        kind=Reorganisation.Kind.DISSOLVE,
        effective_date=effective,
        predecessors=[district],
        successors=[],
        note=_("Bỏ cấp huyện; địa bàn do các xã mới trực thuộc thành phố quản lý."),
        by=by,
    )
    _draw_approximate_cells(district_data["bbox"], old, new, reorg["communes"], by=by)
    # The provinces' partitions of the tables partitioned by province (PostgreSQL).
    ensure_province_partitions()
    return True


def _draw_approximate_cells(bbox, old, new, new_rows, *, by):
    """Demo boundaries: Voronoi cells of the old communes' centres, and their unions.

    No openly licensed boundary was found; users import official ones with
    ``import_boundaries``. Every page that draws these says they are approximate.
    """
    cells = geometry.voronoi_cells(
        [(code, float(u.lon), float(u.lat)) for code, u in old.items()], bbox
    )
    for code, unit in old.items():
        set_boundary(unit, geometry.to_geojson(cells[code]), approximate=True, by=by)
    for row in new_rows:
        merged = geometry.union(cells[code] for code in row["merged_from"])
        set_boundary(
            new[row["code"]], geometry.to_geojson(merged), approximate=True, by=by
        )
    district = next(iter(old.values())).parent
    set_boundary(
        district,
        geometry.to_geojson(geometry.union(cells.values())),
        approximate=True,
        by=by,
    )


@transaction.atomic
def import_boundaries(data, *, code_property, on, by, source=""):
    """Set official boundaries from a GeoJSON FeatureCollection, all or nothing.

    Each feature names its unit by ``code_property``; the unit valid on ``on`` gets
    the geometry. Returns the units changed; raises UnitError listing every
    feature that names no unit or has no usable shape.
    """
    try:
        features = layers.read_geojson_data(data, polygons=True)
    except geometry.GeometryError as error:
        raise UnitError(_("Tệp GeoJSON không đọc được: %s") % error) from error
    return _set_official_boundaries(
        features, code_property=code_property, on=on, by=by, source=source
    )


@transaction.atomic
def import_boundary_file(
    content, filename, *, code_property, on, by, crs=None, source="", within=None
):
    """Set official boundaries from a GeoJSON, KML or zipped Shapefile upload.

    The file may be in WGS 84 or VN-2000 (``crs``, or what the file
    declares); invalid shapes are repaired. All or nothing: a refused
    feature, a code naming no unit, or (``within``: the actor's unit paths)
    a unit outside the actor's saves nothing. Returns (units changed,
    features repaired).
    """
    try:
        features = layers.read_layer(content, filename, crs=crs, polygons=True)
    except geometry.GeometryError as error:
        raise UnitError(str(error)) from error
    units = _set_official_boundaries(
        features,
        code_property=code_property,
        on=on,
        by=by,
        source=source,
        within=within,
    )
    return units, [f for f in features if f.repaired]


def _set_official_boundaries(features, *, code_property, on, by, source, within=None):
    matched, missing, seen = [], [], {}
    for feature in features:
        index = feature.number
        # A null property would otherwise be looked up as the code "None".
        code = str(feature.properties.get(code_property) or "").strip()
        try:
            unit = Unit.objects.by_code(code, on=on)
        except Unit.DoesNotExist:
            missing.append(f"#{index} ({code_property}={code or '∅'})")
            continue
        if unit.pk in seen:
            # Two shapes for one unit: the later would silently win.
            raise UnitError(
                _("Đơn vị %(code)s xuất hiện hai lần: #%(first)s và #%(second)s.")
                % {"code": code, "first": seen[unit.pk], "second": index}
            )
        seen[unit.pk] = index
        matched.append((unit, feature.geometry))
    if missing:
        raise UnitError(_("Không tìm thấy đơn vị cho: %s") % ", ".join(missing))
    if within is not None:
        outside = [unit.code for unit, _shape in matched if not covers(within, unit)]
        if outside:
            raise UnitError(
                _("Bạn không quản lý các đơn vị: %s. Không ranh giới nào được lưu.")
                % ", ".join(outside)
            )
    for unit, shape in matched:
        set_boundary(
            unit, geometry.to_geojson(shape), approximate=False, by=by, source=source
        )
    return [unit for unit, _shape in matched]


def _overlapping(start, end):
    """Units whose validity overlaps [start, end] (None = open)."""
    condition = Q()
    if end is not None:
        condition &= Q(valid_from__isnull=True) | Q(valid_from__lte=end)
    if start is not None:
        condition &= Q(valid_to__isnull=True) | Q(valid_to__gte=start)
    return condition


def _day(text):
    return datetime.date.fromisoformat(text) if text else None


def _dec(number):
    return Decimal(str(number)) if number is not None else None
