"""The Excel import of a unit's entered values: every row is saved, or none.

A unit enters a few dozen values a year, so each row goes through
``save_value`` (one audit entry per change); the whole file runs in one
transaction and any bad row rolls everything back.
"""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from ntm.core.spreadsheets import (
    ImportRefused,
    ImportResult,
    SpreadsheetError,
    flag_repeats,
    read_notes,
    read_rows,
    refuse_bad_rows,
)
from ntm.core.text import fold

from .exports import UNIT_CODE, VALUES, YEAR, current_values
from .models import Indicator
from .services import WorkflowError, save_value

# What IndicatorValue.value holds (18 digits, 4 of them decimals).
LARGEST = Decimal("99999999999999.9999")


class ValueImportError(ImportRefused):
    """The file was refused; ``errors`` lists every bad row (nothing was saved)."""


def import_values(file, *, unit, period, indicators, by):
    """Save the values of a filled-in template as drafts, all rows or none.

    Rows are checked first: known indicator code (one of ``indicators``, the
    unit's entered indicators), not repeated, a number that fits the
    indicator (có/không in the one vocabulary for yes/no, 0–100 for
    percents, not negative). A row with an empty value is skipped; a row
    equal to the current value is left alone. Then every row is saved with
    ``save_value`` in one transaction; a refusal there (a locked value) is
    reported on its row and rolls back the whole file.
    """
    try:
        rows = read_rows(file, VALUES)
        notes = read_notes(file)
    except SpreadsheetError as error:
        raise ValueImportError.from_file(error) from None
    _check_notes(notes, unit, period)
    by_code = {indicator.code: indicator for indicator in indicators}
    existing = current_values(unit, period, by_code.values())
    parsed, codes = [], {}
    for row in rows:
        code = codes[row.number] = row.code("code", 40, required=True)
        indicator = by_code.get(code)
        if code and indicator is None:
            row.error(
                _("Chỉ tiêu %(code)s không phải chỉ tiêu nhập của %(unit)s.")
                % {"code": code, "unit": unit.name}
            )
        value = _value(row, indicator) if indicator else None
        note = row.text("note", 4000)
        parsed.append((row, indicator, value, note))
    flag_repeats(
        rows,
        lambda row: codes[row.number] or None,
        _("Chỉ tiêu %(value)s trùng với dòng %(row)s."),
    )
    refuse_bad_rows(rows, ValueImportError)

    result = ImportResult()
    with transaction.atomic():
        for row, indicator, value, note in parsed:
            if value is None:
                result.skipped += 1
                continue
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
                row.error(f"{indicator.code}: {error}")
            else:
                if entry is None:
                    result.created += 1
                else:
                    result.updated += 1
        # Raising inside the block rolls back the rows already saved.
        refuse_bad_rows(rows, ValueImportError)
    return result


def _value(row, indicator):
    """The cell as a Decimal that fits the indicator, or None when empty."""
    if row.cell("value") is None:
        return None
    if indicator.measure == Indicator.Measure.BOOLEAN:
        answer = row.yes_no("value")
        return None if answer is None else Decimal(int(answer))
    high = 100 if indicator.measure == Indicator.Measure.PERCENT else LARGEST
    return row.decimal("value", 0, high, places=4)


def _check_notes(notes, unit, period):
    """A template downloaded for another unit or year is refused as a whole."""
    code = _text(notes.get(fold(str(UNIT_CODE))))
    year = _text(notes.get(fold(str(YEAR))))
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
    return "" if value is None else str(value).strip()
