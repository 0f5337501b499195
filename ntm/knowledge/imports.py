"""The Excel import of the managers' roster: every row is saved, or none.

A roster is a few hundred rows a year, so each row goes through the same
service as the form (one rule book); rows are checked first, then saved in
one transaction that is rolled back if any row fails.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from ntm.core.spreadsheets import (
    ImportRefused,
    ImportResult,
    flag_repeats,
    refuse_bad_rows,
)
from ntm.units.models import Unit

from .exports import STAFF
from .models import ProgramStaff
from .permissions import can_edit_staff
from .services import KnowledgeError, create_staff, unit_in_year, update_staff


class StaffImportError(ImportRefused, KnowledgeError):
    """The file was refused; ``errors`` lists every bad row (nothing was saved)."""


def import_staff(file, *, by):
    """Create or update roster entries from Excel, all rows or none.

    A (year, staff code) already on record updates that entry; a new one is
    added. Rows are refused for missing required cells, a year that is not a
    number, a unit code that named no district, commune or village in that
    year, a unit outside the importer's units, an existing entry outside
    them, a yes/no cell that is neither, a (year, code) repeated in the file,
    and any rule of the roster services. Raises StaffImportError naming
    every bad row; nothing is saved then.
    """
    rows = StaffImportError.rows_of(file, STAFF)
    parsed = {row.number: _parse(row) for row in rows}
    versions = _unit_versions({v["unit_code"] for v in parsed.values()})
    existing = _existing(
        {(v["year"], v["code"]) for v in parsed.values() if v["year"] and v["code"]}
    )
    flag_repeats(
        rows,
        lambda row: _key(parsed[row.number]),
        _("Mã cán bộ %(value)s trùng với dòng %(row)s."),
    )
    result = ImportResult()
    with transaction.atomic():
        for row in rows:
            values = parsed[row.number]
            staff = existing.get((values["year"], values["code"]))
            if staff is not None and not can_edit_staff(by, staff.unit):
                row.error(
                    _("Cán bộ mã %(code)s thuộc đơn vị ngoài phạm vi bạn quản lý.")
                    % {"code": values["code"]}
                )
            unit = None
            if values["unit_code"] and values["year"]:
                unit = _unit_in_year(
                    versions.get(values["unit_code"], []), values["year"]
                )
                if unit is None:
                    row.error(
                        _(
                            "Không có huyện, xã hoặc thôn mang mã %(code)s "
                            "trong năm %(year)s."
                        )
                        % {"code": values["unit_code"], "year": values["year"]}
                    )
                elif not can_edit_staff(by, unit):
                    row.error(
                        _("%(unit)s không thuộc phạm vi bạn quản lý.") % {"unit": unit}
                    )
            if row.messages:
                continue
            fields = {
                "full_name": values["full_name"],
                "position": values["position"],
                "unit": unit,
                "is_active": not values["has_left"],
            }
            try:
                if staff is None:
                    create_staff(
                        year=values["year"], code=values["code"], by=by, **fields
                    )
                    result.created += 1
                else:
                    before = staff.updated_at
                    update_staff(staff, by=by, **fields)
                    if staff.updated_at != before:
                        result.updated += 1
                    else:
                        result.unchanged += 1
            except KnowledgeError as error:
                row.error(error)
        if any(row.messages for row in rows):
            transaction.set_rollback(True)
    refuse_bad_rows(rows, StaffImportError)
    return result


def _parse(row):
    return {
        "year": row.integer("year", 2000, 2100, required=True),
        "code": row.code("code", 20, required=True),
        "full_name": row.text("full_name", 120, required=True),
        "position": row.text("position", 120),
        "unit_code": row.code("unit_code", 12, required=True),
        "has_left": row.yes_no("has_left"),
    }


def _key(values):
    """(year, code) as the repeat message names it: "CB1 năm 2024"."""
    if not (values["year"] and values["code"]):
        return None
    return _("%(code)s năm %(year)s") % values


def _unit_versions(codes):
    versions = {}
    units = Unit.objects.filter(
        code__in=list(codes),
        level__in=[Unit.Level.DISTRICT, Unit.Level.COMMUNE, Unit.Level.VILLAGE],
    ).defer("boundary")
    for unit in units:
        versions.setdefault(unit.code, []).append(unit)
    return versions


def _unit_in_year(units, year):
    """The version valid at the year's end, else the last one valid in it."""
    end = datetime.date(year, 12, 31)
    during = [u for u in units if unit_in_year(u, year)]
    for unit in during:
        if unit.is_valid_on(end):
            return unit
    return max(during, key=lambda u: u.valid_to, default=None)


def _existing(keys):
    if not keys:
        return {}
    entries = ProgramStaff.objects.filter(
        year__in={y for y, _c in keys}, code__in={c for _y, c in keys}
    ).select_related("unit")
    return {(s.year, s.code): s for s in entries}
