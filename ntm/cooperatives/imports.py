"""Excel imports of cooperatives and of linkage models: every row, or none.

A district has tens of cooperatives, so each row goes through the same service
as the form (one rule book) inside one transaction, rolled back when any row
fails; the error report names every bad row.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.core.spreadsheets import (
    ImportRefused,
    ImportResult,
    flag_repeats,
    refuse_bad_rows,
)
from ntm.core.text import fold
from ntm.units.models import Unit

from .exports import COOPERATIVES, LINKAGES
from .models import Cooperative, DigitalTechnology, LinkageModel
from .permissions import can_keep_commune
from .services import (
    CooperativeError,
    create_cooperative,
    create_linkage_model,
    update_cooperative,
    update_linkage_model,
)

# Members of a cooperative, and the years a linkage model may start in.
MAX_MEMBERS = 1_000_000
YEARS = (1990, 2100)


class CooperativeImportError(ImportRefused, CooperativeError):
    """The file was refused; ``errors`` lists every bad row (nothing was saved)."""


def import_cooperatives(file, *, by):
    """Create or update cooperatives from Excel, all rows or none.

    A known code updates that cooperative; a new one registers it. The
    commune code is read on the founding date (today without one), so an
    old cooperative lands in its old commune. Rows are refused for missing
    required cells, malformed dates, numbers or yes/no cells, unknown
    technologies, an unknown commune, a commune (or existing cooperative)
    the importer does not keep, a code repeated in the file, and any rule
    of the services.
    """
    rows = CooperativeImportError.rows_of(file, COOPERATIVES)
    technologies = {fold(t.name): t for t in DigitalTechnology.objects.all()}
    codes = {row.number: row.code("code", 30, required=True) for row in rows}
    communes = {row.number: row.code("commune_code", 12, required=True) for row in rows}
    existing = {
        c.code: c
        for c in Cooperative.objects.filter(code__in=codes.values()).select_related(
            "commune"
        )
    }
    versions = {}
    for unit in Unit.objects.communes().filter(code__in=set(communes.values())):
        versions.setdefault(unit.code, []).append(unit)

    def parse(row):
        values = {
            "code": codes[row.number],
            "name": row.text("name", 200, required=True),
            "main_products": row.text("main_products", 300),
            "representative": row.text("representative", 120),
            "phone": row.text("phone", 20),
            "founded_on": row.date("founded_on"),
            "members": row.integer("members", 0, MAX_MEMBERS, blank=0),
            "applies_digital_technology": row.yes_no("applies_digital_technology"),
            "is_active": not row.yes_no("closed"),
            "technologies": row.names("technologies", technologies),
        }
        # A blank date keeps the one on record (or today, when the answer
        # beside it changes: services.py); only a given one is passed on.
        for name in ("digital_since", "dissolved_on"):
            day = row.date(name)
            if day is not None:
                values[name] = day
        commune_code = communes[row.number]
        if commune_code:
            day = values["founded_on"] or timezone.localdate()
            commune = _version_on(versions.get(commune_code, []), day)
            if commune is None:
                row.error(
                    _("Không có xã nào mang mã %(code)s.") % {"code": commune_code}
                )
            elif not can_keep_commune(by, commune):
                row.error(
                    _("%(commune)s không thuộc phạm vi bạn quản lý.")
                    % {"commune": commune}
                )
            values["commune"] = commune
        cooperative = existing.get(values["code"])
        if cooperative is not None and not can_keep_commune(by, cooperative.commune):
            row.error(
                _("Hợp tác xã mã %(code)s thuộc xã ngoài phạm vi bạn quản lý.")
                % {"code": values["code"]}
            )
        return values["code"] or None, cooperative, values

    def save(record, values):
        if record is None:
            return create_cooperative(by=by, **values)
        return update_cooperative(record, by=by, **values)

    return _run(rows, parse, save, _("Mã số HTX %(value)s trùng với dòng %(row)s."))


def import_linkage_models(file, *, by):
    """Create or update linkage models from Excel, all rows or none.

    A row names its cooperative by code; the same cooperative and model
    name updates that model. Refused like the cooperative import, plus an
    unknown cooperative code.
    """
    rows = CooperativeImportError.rows_of(file, LINKAGES)
    codes = {
        row.number: row.code("cooperative_code", 30, required=True) for row in rows
    }
    cooperatives = {
        c.code: c
        for c in Cooperative.objects.filter(code__in=codes.values()).select_related(
            "commune"
        )
    }
    existing = {
        (m.cooperative_id, m.name): m
        for m in LinkageModel.objects.filter(cooperative__in=cooperatives.values())
    }

    def parse(row):
        code = codes[row.number]
        values = {
            "name": row.text("name", 200, required=True),
            "key_product": row.text("key_product", 120),
            "partner": row.text("partner", 200),
            "raw_material_area": row.text("raw_material_area", 255),
            "tied_to_sales": row.yes_no("tied_to_sales"),
            "has_raw_material_area": row.yes_no("has_raw_material_area"),
            "applies_digital_technology": row.yes_no("applies_digital_technology"),
            "is_active": not row.yes_no("closed"),
            "area_ha": row.decimal("area_ha", 0, 9_999_999, places=2),
            "started_year": row.integer("started_year", *YEARS),
        }
        for name in ("digital_since_year", "ended_year"):
            year = row.integer(name, *YEARS)
            if year is not None:
                values[name] = year
        cooperative = cooperatives.get(code)
        if code and cooperative is None:
            row.error(_("Không có hợp tác xã mã %(code)s.") % {"code": code})
        elif cooperative is not None and not can_keep_commune(by, cooperative.commune):
            row.error(
                _("Hợp tác xã mã %(code)s thuộc xã ngoài phạm vi bạn quản lý.")
                % {"code": code}
            )
        values["cooperative"] = cooperative
        key = f"{code} / {values['name']}" if code and values["name"] else None
        record = existing.get((cooperative.pk, values["name"])) if cooperative else None
        return key, record, values

    def save(record, values):
        cooperative = values.pop("cooperative")
        if record is None:
            return create_linkage_model(cooperative=cooperative, by=by, **values)
        return update_linkage_model(record, by=by, **values)

    return _run(rows, parse, save, _("Mô hình %(value)s trùng với dòng %(row)s."))


def _run(rows, parse, save, repeated):
    """Check every row, save them in one transaction; all rows or none."""
    parsed = {row.number: parse(row) for row in rows}
    flag_repeats(rows, lambda row: parsed[row.number][0], repeated)
    result = ImportResult()
    with transaction.atomic():
        for row in rows:
            _key, record, values = parsed[row.number]
            if row.messages:
                continue
            before = record.updated_at if record is not None else None
            try:
                saved = save(record, values)
            except CooperativeError as error:
                row.error(error)
                continue
            if record is None:
                result.created += 1
            elif saved.updated_at != before:
                result.updated += 1
            else:
                result.unchanged += 1
        if any(row.messages for row in rows):
            transaction.set_rollback(True)
    refuse_bad_rows(rows, CooperativeImportError)
    return result


def _version_on(units, day):
    """The commune carrying the code on ``day``, else its latest version."""
    for unit in units:
        if unit.is_valid_on(day):
            return unit
    return max(
        units,
        key=lambda u: u.valid_from or datetime.date.min,
        default=None,
    )
