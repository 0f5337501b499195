"""Excel imports of cooperatives and of linkage models: every row, or none.

A district has tens of cooperatives, so each row goes through the same service
as the form (one rule book) inside one transaction, rolled back when any row
fails; the error report names every bad row.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.core import spreadsheets
from ntm.core.spreadsheets import ImportResult, RowError
from ntm.core.text import fold
from ntm.units.models import Unit

from .exports import COLUMNS, LINKAGE_COLUMNS, SHEET_COOPERATIVES, SHEET_LINKAGES
from .models import Cooperative, DigitalTechnology, LinkageModel
from .permissions import can_keep_commune
from .services import (
    CooperativeError,
    create_cooperative,
    create_linkage_model,
    update_cooperative,
    update_linkage_model,
)

MAX_ROWS = 5000
YES = {"co", "c", "x", "1", "yes", "y", "true"}
NO = {"khong", "k", "0", "no", "n", "false"}


class CooperativeImportError(CooperativeError):
    """The file was refused; ``errors`` lists every bad row (nothing was saved)."""

    def __init__(self, message, errors=()):
        super().__init__(message)
        self.errors = list(errors)


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
    rows = _read_rows(file, COLUMNS, SHEET_COOPERATIVES)
    technologies = {fold(t.name): t for t in DigitalTechnology.objects.all()}
    codes = [_text(raw.get("code")) for _n, raw in rows]
    existing = {
        c.code: c
        for c in Cooperative.objects.filter(code__in=codes).select_related("commune")
    }
    versions = {}
    for unit in Unit.objects.communes().filter(
        code__in={_code(raw.get("commune_code")) for _n, raw in rows}
    ):
        versions.setdefault(unit.code, []).append(unit)

    def row_fields(number, raw, messages):
        values = {
            "code": _text(raw.get("code")),
            "name": _text(raw.get("name")),
            "main_products": _text(raw.get("main_products")),
            "representative": _text(raw.get("representative"))[:120],
            "phone": _text(raw.get("phone"))[:20],
        }
        for key, label in (("code", _("Mã số HTX")), ("name", _("Tên hợp tác xã"))):
            if not values[key]:
                messages.append(_("Thiếu %(column)s.") % {"column": label})
        values["founded_on"] = _date(raw.get("founded_on"), messages)
        values["members"] = _integer(
            raw.get("members"), _("Số thành viên"), messages, blank=0
        )
        values["applies_digital_technology"] = _yes_no(
            raw.get("applies_digital_technology"), False, messages
        )
        values["is_active"] = _yes_no(raw.get("is_active"), True, messages)
        values["technologies"] = _technologies(
            raw.get("technologies"), technologies, messages
        )
        commune_code = _code(raw.get("commune_code"))
        if not commune_code:
            messages.append(_("Thiếu %(column)s.") % {"column": _("Mã xã")})
        else:
            day = values["founded_on"] or timezone.localdate()
            commune = _version_on(versions.get(commune_code, []), day)
            if commune is None:
                messages.append(
                    _("Không có xã nào mang mã %(code)s.") % {"code": commune_code}
                )
            elif not can_keep_commune(by, commune):
                messages.append(
                    _("%(commune)s không thuộc phạm vi bạn quản lý.")
                    % {"commune": commune}
                )
            values["commune"] = commune
        cooperative = existing.get(values["code"])
        if cooperative is not None and not can_keep_commune(by, cooperative.commune):
            messages.append(
                _("Hợp tác xã mã %(code)s thuộc xã ngoài phạm vi bạn quản lý.")
                % {"code": values["code"]}
            )
        return values["code"], cooperative, values

    def save(record, values):
        if record is None:
            return create_cooperative(by=by, **values)
        return update_cooperative(record, by=by, **values)

    return _run(rows, row_fields, save, _("Mã số HTX %(key)s trùng với dòng %(row)s."))


def import_linkage_models(file, *, by):
    """Create or update linkage models from Excel, all rows or none.

    A row names its cooperative by code; the same cooperative and model
    name updates that model. Refused like the cooperative import, plus an
    unknown cooperative code.
    """
    rows = _read_rows(file, LINKAGE_COLUMNS, SHEET_LINKAGES)
    cooperatives = {
        c.code: c
        for c in Cooperative.objects.filter(
            code__in=[_text(raw.get("cooperative_code")) for _n, raw in rows]
        ).select_related("commune")
    }
    existing = {
        (m.cooperative_id, m.name): m
        for m in LinkageModel.objects.filter(cooperative__in=cooperatives.values())
    }

    def row_fields(number, raw, messages):
        code = _text(raw.get("cooperative_code"))
        values = {
            "name": _text(raw.get("name"))[:200],
            "key_product": _text(raw.get("key_product"))[:120],
            "partner": _text(raw.get("partner"))[:200],
            "raw_material_area": _text(raw.get("raw_material_area"))[:255],
        }
        if not code:
            messages.append(_("Thiếu %(column)s.") % {"column": _("Mã số HTX")})
        if not values["name"]:
            messages.append(
                _("Thiếu %(column)s.") % {"column": _("Tên mô hình liên kết")}
            )
        for key, default in (
            ("tied_to_sales", False),
            ("has_raw_material_area", False),
            ("applies_digital_technology", False),
            ("is_active", True),
        ):
            values[key] = _yes_no(raw.get(key), default, messages)
        values["area_ha"] = _decimal(raw.get("area_ha"), _("Diện tích"), messages)
        values["started_year"] = _integer(
            raw.get("started_year"), _("Năm bắt đầu"), messages
        )
        cooperative = cooperatives.get(code)
        if code and cooperative is None:
            messages.append(_("Không có hợp tác xã mã %(code)s.") % {"code": code})
        elif cooperative is not None and not can_keep_commune(by, cooperative.commune):
            messages.append(
                _("Hợp tác xã mã %(code)s thuộc xã ngoài phạm vi bạn quản lý.")
                % {"code": code}
            )
        values["cooperative"] = cooperative
        key = (code, fold(values["name"]))
        record = existing.get((cooperative.pk, values["name"])) if cooperative else None
        return key, record, values

    def save(record, values):
        cooperative = values.pop("cooperative")
        if record is None:
            return create_linkage_model(cooperative=cooperative, by=by, **values)
        return update_linkage_model(record, by=by, **values)

    return _run(rows, row_fields, save, _("Mô hình %(key)s trùng với dòng %(row)s."))


def _run(rows, row_fields, save, repeated):
    """Check every row, save them in one transaction; all rows or none."""
    errors, seen, result = {}, {}, ImportResult()
    with transaction.atomic():
        for number, raw in rows:
            messages = []
            key, record, values = row_fields(number, raw, messages)
            if key and key in seen:
                shown = key if isinstance(key, str) else key[0]
                messages.append(repeated % {"key": shown, "row": seen[key]})
            elif key:
                seen[key] = number
            if messages:
                errors[number] = messages
                continue
            before = record.updated_at if record is not None else None
            try:
                saved = save(record, values)
            except CooperativeError as error:
                errors[number] = [str(error)]
                continue
            if record is None:
                result.created += 1
            elif saved.updated_at != before:
                result.updated += 1
            else:
                result.unchanged += 1
        if errors:
            transaction.set_rollback(True)
    if errors:
        bad = [RowError(n, m) for n, m in sorted(errors.items())]
        raise CooperativeImportError(
            _("Có %(count)s dòng chưa hợp lệ; chưa lưu dòng nào.")
            % {"count": len(bad)},
            bad,
        )
    return result


def _read_rows(file, columns, sheet_name):
    wanted = [(c.key, c.header, c.required) for c in columns if not c.informative]
    try:
        workbook = spreadsheets.open_workbook(file)
        try:
            sheet = spreadsheets.sheet_named(workbook, sheet_name)
            return spreadsheets.data_rows(sheet, wanted, max_rows=MAX_ROWS)
        finally:
            workbook.close()
    except spreadsheets.SpreadsheetError as error:
        raise CooperativeImportError(str(error)) from None


def _text(value):
    return "" if value is None else str(value).strip()


def _code(value):
    # Excel turns a code typed as a number into 20515.0.
    text = _text(value)
    return text[:-2] if text.endswith(".0") else text


def _yes_no(value, default, messages):
    text = fold(_text(value))
    if text == "":
        return default
    if text in YES:
        return True
    if text in NO:
        return False
    messages.append(_("Cột có/không không nhận “%(value)s”.") % {"value": _text(value)})
    return default


def _integer(value, label, messages, *, blank=None):
    text = _text(value)
    if not text:
        return blank
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        number = None
    if number is None or number != int(number) or number < 0:
        messages.append(
            _("%(column)s “%(value)s” không phải số nguyên không âm.")
            % {"column": label, "value": text}
        )
        return 0
    return int(number)


def _decimal(value, label, messages):
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = _text(value)
    if not text:
        return None
    try:
        return Decimal(text.replace(".", "").replace(",", ".") if "," in text else text)
    except InvalidOperation:
        messages.append(
            _("%(column)s “%(value)s” không phải là số.")
            % {"column": label, "value": text}
        )
        return None


def _date(value, messages):
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    try:
        return datetime.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        messages.append(
            _("Ngày “%(value)s” không đúng dạng dd/mm/yyyy.") % {"value": text}
        )
        return None


def _technologies(value, technologies, messages):
    found = []
    for name in _text(value).split(";"):
        if not name.strip():
            continue
        technology = technologies.get(fold(name))
        if technology is None:
            messages.append(
                _("Không có công nghệ số tên “%(name)s”.") % {"name": name.strip()}
            )
        elif technology not in found:
            found.append(technology)
    return found


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
