"""Excel workbooks of tourism sites: the template, the export, the import.

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
    Sheet,
    build_workbook,
    flag_repeats,
    refuse_bad_rows,
)
from ntm.households.validation import MapArea
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
