"""Excel workbooks of tourism sites: the template, the export, the import;
and the import of sites from a map layer.

``SITES`` is the contract between them: an exported file can be edited and
imported back (a known code updates its site, a new one adds a site).
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ntm.core.spreadsheets import (
    Column,
    ImportRefused,
    ImportResult,
    Kind,
    RowError,
    Sheet,
    build_workbook,
    flag_repeats,
    refuse_bad_rows,
)
from ntm.core.text import fold
from ntm.households.validation import MapArea
from ntm.units.layers import read_layer
from ntm.units.models import Unit

from .models import Site
from .permissions import can_keep_unit
from .services import TourismError, create_site, update_site

SITES = Sheet(
    gettext_lazy("Điểm du lịch"),
    [
        Column(
            "code",
            gettext_lazy("Mã điểm"),
            gettext_lazy("Chữ không dấu, số, gạch ngang; mã đã có thì dòng cập nhật."),
            required=True,
            width=18,
        ),
        Column(
            "kind",
            gettext_lazy("Loại"),
            required=True,
            width=18,
            kind=Kind.CHOICE,
            choices=Site.Kind,
        ),
        Column("name", gettext_lazy("Tên"), required=True, width=30),
        Column("name_en", gettext_lazy("Tên (tiếng Anh)"), width=30),
        Column(
            "unit_code",
            gettext_lazy("Mã đơn vị"),
            gettext_lazy("Mã xã hoặc mã thôn."),
            required=True,
            width=12,
        ),
        Column("lat", gettext_lazy("Vĩ độ"), width=12, kind=Kind.DECIMAL),
        Column("lon", gettext_lazy("Kinh độ"), width=12, kind=Kind.DECIMAL),
        Column("address_code", gettext_lazy("Mã địa chỉ số"), width=16),
        Column("opening_hours", gettext_lazy("Giờ mở cửa"), width=20),
        Column("price", gettext_lazy("Giá vé, giá dịch vụ"), width=20),
        Column("business_name", gettext_lazy("Đơn vị kinh doanh"), width=26),
        Column("business_phone", gettext_lazy("Điện thoại của cơ sở"), width=14),
        Column("description", gettext_lazy("Giới thiệu"), width=40),
        Column("description_en", gettext_lazy("Giới thiệu (tiếng Anh)"), width=40),
    ],
)


def _row(site):
    return {
        "code": site.code,
        "kind": site.get_kind_display(),
        "name": site.name,
        "name_en": site.name_en,
        "unit_code": site.unit.code,
        "lat": site.lat,
        "lon": site.lon,
        "address_code": site.address_code,
        "opening_hours": site.opening_hours,
        "price": site.price,
        "business_name": site.business_name,
        "business_phone": site.business_phone,
        "description": site.description,
        "description_en": site.description_en,
    }


def build_template():
    return build_workbook(
        (SITES, []),
        template=True,
        instructions=[
            _(
                "Mỗi dòng một điểm du lịch; liên hệ là của cơ sở kinh doanh, không ghi"
                " thông tin cá nhân của hộ gia đình."
            ),
        ],
    )


def export_sites(sites):
    sites = list(sites.select_related("unit"))
    return build_workbook(
        (SITES, [_row(site) for site in sites]),
        demo=any(site.is_demo for site in sites),
    )


class SiteImportError(ImportRefused, TourismError):
    """The file was refused; ``errors`` lists every bad row (nothing saved)."""


def import_sites(file, *, by):
    """Create or update sites from Excel, every row or none."""
    rows = SiteImportError.rows_of(file, SITES)
    codes = {row.number: row.code("code", 40, required=True) for row in rows}
    unit_codes = {row.number: row.code("unit_code", 12, required=True) for row in rows}
    units = {
        u.code: u
        for u in Unit.objects.valid_on().filter(code__in=set(unit_codes.values()))
    }
    existing = {
        s.code: s
        for s in Site.objects.filter(code__in=codes.values()).select_related("unit")
    }
    area = MapArea()
    area.load([u for u in units.values() if u.level == Unit.Level.VILLAGE])

    def parse(row):
        values = {
            "code": codes[row.number],
            "kind": row.choice("kind", required=True),
            "name": row.text("name", 160, required=True),
            "name_en": row.text("name_en", 160),
            "lat": _float(row.decimal("lat", -90, 90)),
            "lon": _float(row.decimal("lon", -180, 180)),
            "address_code": row.text("address_code", 30),
            "opening_hours": row.text("opening_hours", 200),
            "price": row.text("price", 200),
            "business_name": row.text("business_name", 160),
            "business_phone": row.text("business_phone", 20),
            "description": row.text("description", 4000),
            "description_en": row.text("description_en", 4000),
        }
        unit = units.get(unit_codes[row.number])
        if unit is None and unit_codes[row.number]:
            row.error(
                _("Không có đơn vị nào mang mã %(code)s.")
                % {"code": unit_codes[row.number]}
            )
        elif unit is not None and not can_keep_unit(by, unit):
            row.error(_("%(unit)s không thuộc phạm vi bạn quản lý.") % {"unit": unit})
        values["unit"] = unit
        site = existing.get(values["code"])
        if site is not None and not can_keep_unit(by, site.unit):
            row.error(
                _("Điểm du lịch mã %(code)s thuộc đơn vị ngoài phạm vi bạn quản lý.")
                % {"code": values["code"]}
            )
        return values["code"] or None, site, values

    parsed = {row.number: parse(row) for row in rows}
    flag_repeats(
        rows,
        lambda row: parsed[row.number][0],
        _("Mã điểm %(value)s trùng với dòng %(row)s."),
    )
    result = ImportResult()
    with transaction.atomic():
        for row in rows:
            _key, site, values = parsed[row.number]
            if row.messages:
                continue
            try:
                if site is None:
                    create_site(by=by, area=area, **values)
                    result.created += 1
                else:
                    before = site.updated_at
                    saved = update_site(site, by=by, area=area, **values)
                    if saved.updated_at != before:
                        result.updated += 1
                    else:
                        result.unchanged += 1
            except TourismError as error:
                row.error(error)
        if any(row.messages for row in rows):
            transaction.set_rollback(True)
    refuse_bad_rows(rows, SiteImportError)
    return result


def _float(value):
    return float(value) if value is not None else None


# -- the same sites from a map layer (GeoJSON, KML, zipped Shapefile) ----------

# Feature properties read, as the district's GIS files name them.
LAYER_PROPERTIES = {
    "code": "ma",
    "name": "ten",
    "kind": "loai",
    "unit_code": "ma_don_vi",
    "name_en": "ten_en",
    "description": "mo_ta",
}


def import_site_layer(content, filename, *, by, crs=None):
    """Create or update sites from the points of a layer, every one or none.

    Each point names its site by ``ma`` (a known code updates its site),
    ``ten``, ``loai`` (a kind's code or its Vietnamese name, any accents)
    and its unit by ``ma_don_vi``; the point is checked inside its commune
    as a site from the form is. Raises ImportRefused listing every refused
    point by its number in the file.
    """
    features = read_layer(content, filename, crs=crs)
    kinds = {fold(str(label)): value for value, label in Site.Kind.choices}
    kinds.update({fold(value): value for value in Site.Kind.values})
    wanted = {str(f.properties.get("ma_don_vi") or "").strip() for f in features}
    units = {u.code: u for u in Unit.objects.valid_on().filter(code__in=wanted)}
    codes = {str(f.properties.get("ma") or "").strip() for f in features}
    existing = {s.code: s for s in Site.objects.filter(code__in=codes)}
    area = MapArea()
    area.load([u for u in units.values() if u.level == Unit.Level.VILLAGE])
    result, refused, seen = ImportResult(), [], set()
    with transaction.atomic():
        for feature in features:
            try:
                values = _layer_values(feature, kinds, units, by)
                if values["code"] in seen:
                    raise TourismError(
                        _("Mã %(code)s đã có ở một điểm trước trong tệp.")
                        % {"code": values["code"]}
                    )
                seen.add(values["code"])
                site = existing.get(values["code"])
                if site is None:
                    create_site(by=by, area=area, **values)
                    result.created += 1
                elif not can_keep_unit(by, site.unit):
                    raise TourismError(
                        _("Điểm du lịch thuộc đơn vị ngoài phạm vi bạn quản lý.")
                    )
                elif all(getattr(site, k) == v for k, v in values.items()):
                    result.unchanged += 1
                else:
                    update_site(site, by=by, area=area, **values)
                    result.updated += 1
            except TourismError as error:
                refused.append(RowError(feature.number, [f"{feature.label}: {error}"]))
        if refused:
            # Raised inside the block: what the good points wrote is undone.
            raise ImportRefused(
                _("Có %(count)s điểm chưa hợp lệ; chưa lưu điểm nào.")
                % {"count": len(refused)},
                refused,
            )
    return result


def _layer_values(feature, kinds, units, by):
    read = {
        field: str(feature.properties.get(key) or "").strip()
        for field, key in LAYER_PROPERTIES.items()
    }
    if feature.geometry.geom_type != "Point":
        raise TourismError(_("Mỗi điểm du lịch là một điểm (Point) trên bản đồ."))
    if not read["code"] or not read["name"]:
        raise TourismError(_("Thiếu mã (ma) hoặc tên (ten) của điểm."))
    kind = kinds.get(fold(read["kind"]))
    if kind is None:
        raise TourismError(
            _("Loại “%(kind)s” không có; dùng: %(kinds)s.")
            % {"kind": read["kind"], "kinds": ", ".join(map(str, Site.Kind.labels))}
        )
    unit = units.get(read["unit_code"])
    if unit is None:
        raise TourismError(
            _("Không có đơn vị nào mang mã %(code)s (ma_don_vi).")
            % {"code": read["unit_code"] or "∅"}
        )
    if not can_keep_unit(by, unit):
        raise TourismError(
            _("%(unit)s không thuộc phạm vi bạn quản lý.") % {"unit": unit}
        )
    return {
        "code": read["code"],
        "name": read["name"],
        "name_en": read["name_en"],
        "description": read["description"],
        "kind": kind,
        "unit": unit,
        "lat": round(feature.geometry.y, 6),
        "lon": round(feature.geometry.x, 6),
    }
