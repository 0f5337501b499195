"""Writing workbooks: templates, exports and the tables officials look at.

Every workbook the platform hands out is made here, in openpyxl's
write-only mode (a district register is tens of thousands of rows): a
styled, frozen header row with the columns' widths, numbers and dates as
numbers and dates with Vietnamese-readable formats, and text that can never
run as a formula when an official opens the file. Templates add the
columns' hints on their headers and drop-downs of the accepted values.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import NO_LABEL, YES_LABEL, Kind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="1B6B3A")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=13)
MUTED_FILL = PatternFill("solid", fgColor="EEEEEE")
NUMBER_FORMATS = {
    Kind.INTEGER: "#,##0",
    Kind.MONEY: "#,##0",
    # Whole numbers; DECIMAL_FORMAT for the others (see typed_cell).
    Kind.DECIMAL: "#,##0",
    Kind.PERCENT: "0.00%",
    Kind.DATE: "DD/MM/YYYY",
}
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
# Up to two decimals shown ("#,##0.##" would show 12 as "12."); the cell
# keeps every digit.
DECIMAL_FORMAT = "#,##0.0#"
# A text starting with one of these is a formula to Excel and LibreOffice
# (CSV/formula injection): such cells are written as quoted text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTED = "quoted text"
GENERAL = "General"
DEMO_LABEL = gettext_lazy("Dữ liệu minh họa")
DEMO_NOTE = gettext_lazy(
    "Có: số liệu tạo ra để giới thiệu và thử hệ thống, không phải số liệu thật."
)


PERSONAL_DATA_LABEL = gettext_lazy("DỮ LIỆU CÁ NHÂN")
PERSONAL_DATA_NOTE = gettext_lazy(
    "Tệp có dữ liệu cá nhân (%(what)s), được bảo vệ theo Nghị định "
    "13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân."
)
PERSONAL_DATA_RULE = gettext_lazy(
    "Chỉ dùng đúng mục đích đã ghi; không chia sẻ, gửi qua mạng xã hội, sao chép "
    "hay công bố cho người không có thẩm quyền; xóa tệp khi không còn cần."
)
# Printed on every page of a personal-data sheet (Excel's page header).
PERSONAL_DATA_HEADER = gettext_lazy("Dữ liệu cá nhân – Nghị định 13/2023/NĐ-CP")


@dataclass(frozen=True)
class PersonalData:
    """Who took personal data out of the platform, and why (Decree 13/2023).

    Given to ``build_workbook``, it marks the workbook as personal data: the
    first lines of its "Thông tin" sheet say so, name who exported it and
    the purpose they gave, and ask not to share it; the data sheets carry
    the marking in their printed page header and the file in its properties.
    """

    exported_by: str
    purpose: str
    # What personal data the file holds: "họ tên chủ hộ, số điện thoại".
    what: str

    def notes(self):
        return [
            (PERSONAL_DATA_LABEL, PERSONAL_DATA_NOTE % {"what": self.what}),
            (_("Người xuất"), self.exported_by),
            (_("Mục đích sử dụng"), self.purpose),
            (_("Lưu ý"), PERSONAL_DATA_RULE),
        ]


def build_workbook(
    *parts,
    instructions=None,
    notes=None,
    demo=False,
    template=False,
    personal_data=None,
):
    """The bytes of a workbook with one sheet per ``(sheet, rows)`` part.

    ``rows`` are lists in the sheet's column order (or dicts by column key,
    or ``Line`` objects wrapping either), of plain Python values: dates,
    numbers, Decimals, booleans, text. ``instructions`` (lines) become a
    "Hướng dẫn" sheet listing the columns of the first sheet; ``notes``
    (label, value) pairs a "Thông tin" sheet (what the table is, for which
    unit and year, when it was exported), which says "Dữ liệu minh họa"
    when ``demo``. A ``template`` is a first sheet meant to be filled in:
    its headers carry their columns' hints and its cells offer drop-downs
    (yes/no, choices, the values of a lookup sheet given as a later part).
    ``personal_data`` (a ``PersonalData``) marks a file holding names,
    phones or ID numbers as personal data.
    """
    workbook = Workbook(write_only=True)
    written = {}
    for index, (sheet, rows) in enumerate(parts):
        written[str(sheet.name)] = write_sheet(
            workbook,
            sheet,
            rows,
            comments=template and index == 0,
            header=personal_data and PERSONAL_DATA_HEADER,
        )
    first = parts[0][0]
    if template:
        add_drop_downs(written[str(first.name)], first, written)
    if instructions is not None:
        lines = list(instructions)
        if first.columns:
            lines += ["", _("Các cột:")]
            for column in first.columns:
                lines.append(f"• {column.title}: {column.hint}".rstrip(": "))
        write_lines(workbook, _("Hướng dẫn"), lines)
    if personal_data is not None:
        notes = [*personal_data.notes(), *(notes or [])]
        workbook.properties.subject = str(PERSONAL_DATA_HEADER)
        workbook.properties.keywords = str(PERSONAL_DATA_LABEL)
    if notes is not None or demo:
        notes = list(notes or [])
        if demo:
            notes.append((DEMO_LABEL, DEMO_NOTE))
        write_notes(workbook, notes)
    return workbook_bytes(workbook)


@dataclass
class Line:
    """A row written with more than its values.

    ``muted`` rows are greyed out (a value that can no longer be changed);
    ``options`` gives some cells a drop-down of their own ({column key:
    [choices]}), for a column whose accepted values differ row by row.
    """

    values: list | dict
    muted: bool = False
    options: dict = field(default_factory=dict)


def write_sheet(workbook, sheet, rows, *, comments=False, header=None):
    """Append ``sheet`` with its header and ``rows`` to a write-only workbook.

    With ``comments``, each header cell carries its column's hint (templates);
    ``header`` is printed at the top of every page.
    Returns the worksheet; its ``rows_written`` counts the data rows.
    """
    data = workbook.create_sheet(str(sheet.name)[:31])
    if header:
        data.oddHeader.center.text = str(header)
    for index, column in enumerate(sheet.columns, start=1):
        data.column_dimensions[get_column_letter(index)].width = column.width
    data.freeze_panes = sheet.freeze
    header = []
    for column in sheet.columns:
        cell = WriteOnlyCell(data, value=column.title)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        if comments and column.hint:
            cell.comment = Comment(column.hint, "NTM Số", width=300, height=120)
        header.append(cell)
    data.append(header)
    columns = sheet.columns
    make = _Cells(data)
    drop_downs = {}
    count = 0
    for count, row in enumerate(rows, start=1):
        line = row if isinstance(row, Line) else None
        values = line.values if line else row
        if isinstance(values, dict):
            values = [values.get(column.key) for column in columns]
        cells = [
            make.cell(column, value)
            for column, value in zip(columns, values, strict=True)
        ]
        if line is not None:
            if line.muted:
                cells = [make.muted(cell) for cell in cells]
            for key, choices in line.options.items():
                drop_downs.setdefault(tuple(choices), []).append(
                    f"{sheet.letter(key)}{count + 1}"
                )
        data.append(cells)
    for choices, cells in drop_downs.items():
        _add_list(data, choices, " ".join(cells))
    data.rows_written = count
    return data


def add_drop_downs(worksheet, sheet, written):
    """Drop-downs on a template's columns that have a known set of values.

    Yes/no columns offer có / không and choice columns their labels (as
    hints: the import reads other spellings too); a column with a
    ``lookup`` lists the first column of that sheet, and Excel refuses
    anything else.
    """
    last = max(worksheet.rows_written, settings.SPREADSHEET_MAX_ROWS) + 1
    for column in sheet.columns:
        cells = f"{sheet.letter(column.key)}2:{sheet.letter(column.key)}{last}"
        if column.lookup:
            name = str(column.lookup)
            end = max(written[name].rows_written + 1, 2)
            validation = DataValidation(
                type="list",
                formula1="'{}'!$A$2:$A${}".format(name[:31].replace("'", "''"), end),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=_("Giá trị không có trong danh sách"),
                error=_("Chọn một giá trị ở trang “%(sheet)s”.") % {"sheet": name},
            )
            validation.sqref = MultiCellRange(cells)
            worksheet.data_validations.append(validation)
        elif column.kind == Kind.YES_NO:
            _add_list(worksheet, [YES_LABEL, NO_LABEL], cells)
        elif column.kind == Kind.CHOICE and column.choices is not None:
            labels = [label for _value, label in column.choices.choices]
            _add_list(worksheet, labels, cells)


def _add_list(worksheet, choices, cells):
    """A drop-down of ``choices`` on ``cells``, when they fit in a formula.

    Excel keeps a written list to 255 characters, separated by commas: a
    longer list, or one with a comma in a choice, gets no drop-down.
    """
    labels = [str(choice) for choice in choices]
    formula = ",".join(labels)
    if len(formula) > 255 or any("," in label or '"' in label for label in labels):
        return
    validation = DataValidation(
        type="list", formula1=f'"{formula}"', allow_blank=True, showErrorMessage=False
    )
    validation.sqref = MultiCellRange(cells)
    worksheet.data_validations.append(validation)


class _Cells:
    """The cells of one worksheet, as their columns want them.

    Plain text goes in as it is; numbers and dates go in cells whose style
    is made once per number format and copied, since a register export is
    hundreds of thousands of cells. Text that Excel would run as a formula
    is written as quoted text: shown as typed, still text once edited.
    """

    def __init__(self, worksheet):
        self.worksheet = worksheet
        self.styles = {}
        self.words = {True: str(YES_LABEL), False: str(NO_LABEL)}

    def cell(self, column, value):
        if isinstance(value, bool):
            return self.words[value]
        value = cell_value(column, value)
        if value is None:
            return None
        if isinstance(value, str):
            if not value.startswith(FORMULA_STARTS):
                return value
            cell = self._styled(value, QUOTED)
            cell.data_type = "s"
            return cell
        if isinstance(value, datetime.datetime):
            return self._styled(value, DATETIME_FORMAT)
        if isinstance(value, datetime.date):
            return self._styled(value, NUMBER_FORMATS[Kind.DATE])
        style = column.number_format or _number_format(column.kind, value)
        if style in (None, GENERAL):
            return value
        return self._styled(value, style)

    def muted(self, cell):
        """``cell`` (or a plain value) on a grey background."""
        if not isinstance(cell, Cell):
            cell = WriteOnlyCell(self.worksheet, value=cell)
        cell.fill = MUTED_FILL
        return cell

    def _styled(self, value, style):
        if style not in self.styles:
            probe = WriteOnlyCell(self.worksheet)
            if style is QUOTED:
                probe.quotePrefix = True
            else:
                probe.number_format = style
            self.styles[style] = probe._style
        return Cell(
            self.worksheet, row=1, column=1, value=value, style_array=self.styles[style]
        )


def _number_format(kind, value):
    """The format a number needs, or None when Excel's General shows it the
    same (a small whole number): such cells go in unstyled, which is what
    keeps a 40,000-row export fast."""
    if kind == Kind.PERCENT:
        return NUMBER_FORMATS[kind]
    if kind not in (Kind.INTEGER, Kind.MONEY, Kind.DECIMAL):
        return None
    whole = value == int(value)
    if whole and -1000 < value < 1000:
        return None
    return NUMBER_FORMATS[Kind.INTEGER] if whole else DECIMAL_FORMAT


def cell_value(column, value):
    """``value`` as a cell holds it (None stays empty)."""
    if value is None or isinstance(value, str):
        return value
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
    if isinstance(value, bool):
        return str(YES_LABEL if value else NO_LABEL)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.date | int | float | Decimal):
        return value
    return _safe_text(value)
