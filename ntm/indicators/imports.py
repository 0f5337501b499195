"""The Excel import of a unit's entered values: every row is saved, or none.

A unit enters a few dozen values a year, so each row goes through
``save_value`` (one audit entry per change); the whole file runs in one
transaction and any bad row rolls everything back.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from ntm.core import spreadsheets
from ntm.core.spreadsheets import RowError
from ntm.core.text import fold

from .exports import COLUMNS, SHEET_INFO, SHEET_VALUES, current_values
from .models import Indicator
from .services import WorkflowError, save_value

MAX_ROWS = 1000
YES = {"co", "1", "x", "yes", "true"}
NO = {"khong", "0", "no", "false"}


@dataclass
class ImportResult:
    saved: int = 0
    unchanged: int = 0
    skipped: int = 0


class ValueImportError(Exception):
    """The file was refused; ``errors`` lists every bad row (nothing was saved)."""

    def __init__(self, message, errors=()):
        super().__init__(message)
        self.errors = list(errors)


def import_values(file, *, unit, period, indicators, by):
    """Save the values of a filled-in template as drafts, all rows or none.

    Rows are checked first: known indicator code (one of ``indicators``, the
    unit's entered indicators), not repeated, a number that fits the
    indicator (0/1 or Có/Không for yes/no, 0–100 for percents, not negative).
    A row with an empty value is skipped; a row equal to the current value is
    left alone. Then every row is saved with ``save_value`` in one
    transaction; a refusal there (a locked value) is reported on its row and
    rolls back the whole file.
    """
    rows, info = _read(file)
    _check_info(info, unit, period)
    by_code = {indicator.code: indicator for indicator in indicators}
    existing = current_values(unit, period, by_code.values())
    errors, parsed, first_row = {}, [], {}
    for number, raw in rows:
        messages = []
        code = _text(raw.get("code"))
        indicator = by_code.get(code)
        if not code:
            messages.append(_("Thiếu mã chỉ tiêu."))
        elif indicator is None:
            messages.append(
                _("Chỉ tiêu %(code)s không phải chỉ tiêu nhập của %(unit)s.")
                % {"code": code, "unit": unit.name}
            )
        elif code in first_row:
            messages.append(
                _("Chỉ tiêu %(code)s trùng với dòng %(row)s.")
                % {"code": code, "row": first_row[code]}
            )
        else:
            first_row[code] = number
        value = _number(raw.get("value"), indicator, messages)
        note = _text(raw.get("note"))
        if len(note) > 4000:
            messages.append(_("Thuyết minh dài quá 4000 ký tự."))
        if messages:
            errors[number] = messages
        elif value is not None:
            parsed.append((number, indicator, value, note))

    if errors:
        _refuse(errors)
    result = ImportResult(skipped=len(rows) - len(parsed))
    with transaction.atomic():
        for number, indicator, value, note in parsed:
            entry = existing.get(indicator.pk)
            if entry is not None and entry.value == value and entry.note == note:
                result.unchanged += 1
                continue
            try:
                save_value(
                    indicator=indicator,
                    unit=unit,
                    period=period,
                    value=value,
                    note=note,
                    by=by,
                )
            except WorkflowError as error:
                errors[number] = [f"{indicator.code}: {error}"]
            else:
                result.saved += 1
        if errors:
            # Raising inside the block rolls back the rows already saved.
            _refuse(errors)
    return result


def _refuse(errors):
    bad = [RowError(number, messages) for number, messages in sorted(errors.items())]
    raise ValueImportError(
        _("Có %(count)s dòng chưa hợp lệ; chưa lưu dòng nào.") % {"count": len(bad)},
        bad,
    )


def _read(file):
    """(row number, {column key: value}) for non-empty rows, and the info sheet."""
    columns = [(key, title, key in ("code", "value")) for key, title, _width in COLUMNS]
    try:
        workbook = spreadsheets.open_workbook(file)
        try:
            sheet = spreadsheets.sheet_named(workbook, SHEET_VALUES)
            rows = spreadsheets.data_rows(sheet, columns, max_rows=MAX_ROWS)
            info = {}
            if str(SHEET_INFO) in workbook.sheetnames:
                lines = workbook[str(SHEET_INFO)].iter_rows(max_row=3, values_only=True)
                for line in lines:
                    if len(line) >= 2 and line[0]:
                        info[fold(line[0])] = line[1]
        finally:
            workbook.close()
    except spreadsheets.SpreadsheetError as error:
        raise ValueImportError(str(error)) from None
    return rows, info


def _check_info(info, unit, period):
    """A template downloaded for another unit or year is refused as a whole."""
    code = _text(info.get(fold(_("Mã đơn vị"))))
    year = _text(info.get(fold(_("Năm"))))
    if code and code != unit.code:
        raise ValueImportError(
            _("Tệp mẫu này của đơn vị mã %(code)s, không phải %(unit)s.")
            % {"code": code, "unit": unit.name}
        )
    if year and year != period.code:
        raise ValueImportError(
            _("Tệp mẫu này của năm %(year)s, không phải năm %(this)s.")
            % {"year": year, "this": period.code}
        )


def _text(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else " ".join(str(value).split())


def _number(value, indicator, messages):
    """The cell as a Decimal that fits the indicator, or None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if indicator is None:
        return None
    if indicator.measure == Indicator.Measure.BOOLEAN and isinstance(value, str):
        word = fold(value)
        if word in YES:
            return Decimal(1)
        if word in NO:
            return Decimal(0)
    if isinstance(value, bool):
        value = int(value)
    text = str(value).strip().replace(" ", "")
    if isinstance(value, str) and "," in text:
        # Vietnamese writing: "1.234,5".
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
        if not number.is_finite():
            raise InvalidOperation
        number = number.quantize(Decimal("0.0001"))
    except InvalidOperation:
        messages.append(
            _("Giá trị “%(value)s” của %(code)s không phải là số.")
            % {"value": value, "code": indicator.code}
        )
        return None
    if indicator.measure == Indicator.Measure.BOOLEAN and number not in (0, 1):
        messages.append(
            _("%(code)s là chỉ tiêu có/không: nhập 1 (có) hoặc 0 (không).")
            % {"code": indicator.code}
        )
    elif indicator.measure == Indicator.Measure.PERCENT and not 0 <= number <= 100:
        messages.append(
            _("%(code)s là tỷ lệ: giá trị phải từ 0 đến 100.")
            % {"code": indicator.code}
        )
    elif number < 0:
        messages.append(
            _("%(code)s: giá trị không được âm.") % {"code": indicator.code}
        )
    else:
        return number
    return None
