"""Writing workbooks: templates, exports and the tables officials look at.

Every workbook the platform hands out is made here, in openpyxl's
write-only mode (a district register is tens of thousands of rows): a
styled, frozen header row with the columns' widths, numbers and dates as
numbers and dates with Vietnamese-readable formats, and text that can never
run as a formula when an official opens the file.
"""

import datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from .columns import NO_LABEL, YES_LABEL, Kind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="1B6B3A")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=13)
NUMBER_FORMATS = {
    Kind.INTEGER: "#,##0",
    Kind.MONEY: "#,##0",
    Kind.DECIMAL: "#,##0.##",
    Kind.PERCENT: "0.00%",
    Kind.DATE: "DD/MM/YYYY",
}
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
# A text starting with one of these is a formula to Excel and LibreOffice
# (CSV/formula injection): such cells are written as quoted text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def build_workbook(*parts, instructions=None, notes=None):
    """The bytes of a workbook with one sheet per ``(sheet, rows)`` part.

    ``rows`` are lists in the sheet's column order (or dicts by column key),
    of plain Python values: dates, numbers, Decimals, booleans, text.
    ``instructions`` (lines) become a "Hướng dẫn" sheet listing the columns
    of the first sheet; ``notes`` (label, value) pairs a "Thông tin" sheet
    (what the table is, for which unit and year, when it was exported).
    """
    workbook = Workbook(write_only=True)
    for sheet, rows in parts:
        write_sheet(workbook, sheet, rows)
    if instructions is not None:
        lines = list(instructions)
        first = parts[0][0]
        if first.columns:
            lines += ["", _("Các cột:")]
            for column in first.columns:
                lines.append(f"• {column.title}: {column.hint}".rstrip(": "))
        write_lines(workbook, _("Hướng dẫn"), lines)
    if notes is not None:
        write_notes(workbook, notes)
    return workbook_bytes(workbook)


def write_sheet(workbook, sheet, rows, *, comments=False):
    """Append ``sheet`` with its header and ``rows`` to a write-only workbook.

    With ``comments``, each header cell carries its column's hint (templates).
    Returns the worksheet, so that a template can add drop-downs.
    """
    data = workbook.create_sheet(str(sheet.name)[:31])
    for index, column in enumerate(sheet.columns, start=1):
        data.column_dimensions[get_column_letter(index)].width = column.width
    data.freeze_panes = "A2"
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(data, value=column.title)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        if comments and column.hint:
            cell.comment = Comment(column.hint, "NTM Số", width=300, height=120)
        header.append(cell)
    data.append(header)
    columns = sheet.columns
    for row in rows:
        if isinstance(row, dict):
            row = [row.get(column.key) for column in columns]
        data.append(
            [
                typed_cell(data, column, value)
                for column, value in zip(columns, row, strict=True)
            ]
        )
    return data


def typed_cell(worksheet, column, value):
    """One cell as ``column`` wants it: numbers as numbers, safe text."""
    value = cell_value(column, value)
    cell = WriteOnlyCell(worksheet, value=value)
    if isinstance(value, str):
        if value.startswith(FORMULA_STARTS):
            # Kept as text, shown as typed, and still text once edited.
            cell.data_type = "s"
            cell.quotePrefix = True
        return cell
    if isinstance(value, datetime.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        cell.number_format = NUMBER_FORMATS[Kind.DATE]
    elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        cell.number_format = column.number_format or NUMBER_FORMATS.get(
            column.kind, "General"
        )
    return cell


def cell_value(column, value):
    """``value`` as a cell holds it (None stays empty)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(YES_LABEL if value else NO_LABEL)
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: the district's local time, as on screen.
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.date | int | float | Decimal):
        if column.kind == Kind.PERCENT and not isinstance(value, datetime.date):
            return Decimal(str(value)) / 100
        return value
    if isinstance(value, list | tuple | set):
        return "; ".join(str(item) for item in value)
    return str(value)


def write_lines(workbook, title, lines):
    """A one-column sheet of text lines (instructions); the first is a title."""
    sheet = workbook.create_sheet(str(title)[:31])
    sheet.column_dimensions["A"].width = 110
    for index, line in enumerate(lines):
        cell = WriteOnlyCell(sheet, value=_safe_text(line))
        if index == 0:
            cell.font = TITLE_FONT
        sheet.append([cell])
    return sheet


def write_notes(workbook, notes):
    """A "Thông tin" sheet: what the table is, its filters, when it was made."""
    sheet = workbook.create_sheet(str(_("Thông tin")))
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 80
    rows = [*notes, (_("Xuất lúc"), timezone.localtime())]
    for label, value in rows:
        label_cell = WriteOnlyCell(sheet, value=_safe_text(label))
        label_cell.font = Font(bold=True)
        value_cell = WriteOnlyCell(sheet, value=_note_value(value))
        if isinstance(value_cell.value, datetime.datetime):
            value_cell.number_format = DATETIME_FORMAT
        elif isinstance(value_cell.value, datetime.date):
            value_cell.number_format = NUMBER_FORMATS[Kind.DATE]
        sheet.append([label_cell, value_cell])
    return sheet


def workbook_bytes(workbook):
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(stem):
    """ "ho-gia-dinh-20261201.xlsx": the stem and today's date."""
    return f"{stem}-{date_format(timezone.localdate(), 'Ymd')}.xlsx"


def xlsx_response(content, stem):
    """A download of ``content`` named after ``stem`` and today's date.

    Never stored by a browser or a proxy: exports often carry personal data.
    """
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(stem)}"'
    response["Cache-Control"] = "no-store"
    return response


def _safe_text(value):
    text = "" if value is None else str(value)
    # A leading apostrophe-free guard for lines: a space is invisible enough.
    return f" {text}" if text.startswith(FORMULA_STARTS) else text


def _note_value(value):
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.date | int | float | Decimal) and not isinstance(
        value, bool
    ):
        return value
    return _safe_text(value)
