"""The Excel import of the managers' roster: every row is saved, or none.

A roster is a few hundred rows a year, so each row goes through the same
service as the form (one rule book); rows are checked first, then saved in
one transaction that is rolled back if any row fails.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from ntm.core import spreadsheets
from ntm.core.spreadsheets import ImportResult, RowError
from ntm.core.text import fold
from ntm.units.models import Unit

from .exports import COLUMNS, SHEET_STAFF
from .models import ProgramStaff
from .permissions import can_edit_staff
from .services import KnowledgeError, create_staff, unit_in_year, update_staff

MAX_ROWS = 5000
YES = {"co", "c", "x", "1", "yes", "y", "true", ""}
NO = {"khong", "k", "0", "no", "n", "false"}


class StaffImportError(KnowledgeError):
    """The file was refused; ``errors`` lists every bad row (nothing was saved)."""

    def __init__(self, message, errors=()):
        super().__init__(message)
        self.errors = list(errors)


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
    rows = _read_rows(file)
    parsed, errors = [], {}
    for number, raw in rows:
        values, messages = _parse(raw)
        parsed.append((number, values, messages))
    versions = _unit_versions(
        {v["unit_code"] for _n, v, _m in parsed if "unit_code" in v}
    )
    existing = _existing(
        {(v["year"], v["code"]) for _n, v, _m in parsed if "year" in v and "code" in v}
    )
    seen = {}
    result = ImportResult()
    with transaction.atomic():
        for number, values, messages in parsed:
            if "year" in values and "code" in values:
                key = (values["year"], values["code"])
                if key in seen:
                    messages.append(
                        _("Mã cán bộ %(code)s năm %(year)s trùng với dòng %(row)s.")
                        % {"code": key[1], "year": key[0], "row": seen[key]}
                    )
                else:
                    seen[key] = number
                staff = existing.get(key)
                if staff is not None and not can_edit_staff(by, staff.unit):
                    messages.append(
                        _("Cán bộ mã %(code)s thuộc đơn vị ngoài phạm vi bạn quản lý.")
                        % {"code": key[1]}
                    )
            unit = None
            if "unit_code" in values and "year" in values:
                unit = _unit_in_year(
                    versions.get(values["unit_code"], []), values["year"]
                )
                if unit is None:
                    messages.append(
                        _(
                            "Không có huyện, xã hoặc thôn mang mã %(code)s "
                            "trong năm %(year)s."
                        )
                        % {"code": values["unit_code"], "year": values["year"]}
                    )
                elif not can_edit_staff(by, unit):
                    messages.append(
                        _("%(unit)s không thuộc phạm vi bạn quản lý.") % {"unit": unit}
                    )
            if messages:
                errors[number] = messages
                continue
            fields = {
                "full_name": values["full_name"],
                "position": values["position"],
                "unit": unit,
                "is_active": values["is_active"],
            }
            staff = existing.get((values["year"], values["code"]))
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
                errors[number] = [str(error)]
        if errors:
            transaction.set_rollback(True)
    if errors:
        bad = [RowError(n, m) for n, m in sorted(errors.items())]
        raise StaffImportError(
            _("Có %(count)s dòng chưa hợp lệ; chưa lưu dòng nào.")
            % {"count": len(bad)},
            bad,
        )
    return result


def _read_rows(file):
    columns = [(c.key, c.header, c.required) for c in COLUMNS if not c.informative]
    try:
        workbook = spreadsheets.open_workbook(file)
        try:
            sheet = spreadsheets.sheet_named(workbook, SHEET_STAFF)
            return spreadsheets.data_rows(sheet, columns, max_rows=MAX_ROWS)
        finally:
            workbook.close()
    except spreadsheets.SpreadsheetError as error:
        raise StaffImportError(str(error)) from None


def _parse(raw):
    values, messages = {}, []
    text = {
        key: "" if value is None else str(value).strip() for key, value in raw.items()
    }
    for key, label in (
        ("year", _("Năm")),
        ("code", _("Mã cán bộ")),
        ("full_name", _("Họ và tên")),
        ("unit_code", _("Mã đơn vị")),
    ):
        if not text.get(key):
            messages.append(_("Thiếu %(column)s.") % {"column": label})
    if text.get("year"):
        try:
            values["year"] = int(float(text["year"]))
        except ValueError:
            messages.append(
                _("Năm “%(value)s” không phải là số.") % {"value": text["year"]}
            )
    if text.get("code"):
        values["code"] = text["code"][:20]
    if text.get("unit_code"):
        # Excel turns a code typed as a number into 20515.0.
        code = text["unit_code"]
        values["unit_code"] = code[:-2] if code.endswith(".0") else code
    values["full_name"] = text.get("full_name", "")[:120]
    values["position"] = text.get("position", "")[:120]
    active = fold(text.get("is_active", ""))
    if active in YES:
        values["is_active"] = True
    elif active in NO:
        values["is_active"] = False
    else:
        messages.append(
            _("Cột Đang đảm nhiệm nhận có/không, không nhận “%(value)s”.")
            % {"value": text["is_active"]}
        )
    return values, messages


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
