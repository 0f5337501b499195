"""Reading uploaded workbooks: limits first, then typed cells row by row.

Each import keeps its own columns and row rules; this module opens the
workbook safely (size, uncompressed size and row limits hold before and
while parsing), finds the header, and yields the non-empty rows with their
spreadsheet row numbers, so that error reports name the rows people see.
``Row`` turns cells into typed values with one rule per kind, shared by
every import: the same yes/no words, the same blank rule, the same number
and date readings.
"""

import datetime
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..text import fold
from .columns import parse_yes_no

# A header wider than this is not one of ours.
MAX_HEADER_COLUMNS = 200
# The worksheets of a package, and the start tags of their rows and cells,
# without a namespace prefix (<row r="2">) and with one (<x:c r="A2">); a
# <rowBreaks> counts as a row too, which is one too many at worst.
WORKSHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
ROW_TAGS = (b"<row", b":row ", b":row>", b":row/>")
CELL_TAGS = (b"<c ", b"<c>", b"<c/>", b":c ", b":c>", b":c/>")
SCAN_CHUNK = 1024 * 1024
# Lines of a "Thông tin" sheet read back.
MAX_NOTES = 50
# An .xlsx holds a few dozen parts; thousands are a crafted package.
MAX_PACKAGE_MEMBERS = 1000
# Blank rows tolerated between data rows, beyond the data rows allowed: a
# sheet formatted down to row 1,048,576 ends there instead of being read.
MAX_BLANK_ROWS = 10_000
# What openpyxl raises on a broken package or broken XML inside it.
UNREADABLE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    InvalidFileException,
    KeyError,
    OSError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    SyntaxError,  # xml.etree.ElementTree.ParseError and lxml's errors
    EOFError,
)


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; the message says why, in Vietnamese."""


def not_a_workbook():
    return SpreadsheetError(_("Tệp không phải là tệp Excel (.xlsx) hợp lệ."))


def check_package(file, *, max_rows=None):
    """Refuse a file over the limits before openpyxl parses any of it.

    A few megabytes of .xlsx can unpack into gigabytes of XML (a "zip
    bomb", or 20 million empty rows): the unpacked size is read from the
    zip directory, then the rows and cells of each worksheet are counted
    on the raw XML (far faster than parsing it: openpyxl reads a whole
    sheet that does not declare its size before it yields one row).
    """
    size = getattr(file, "size", None)
    if size is not None and size > settings.UPLOAD_MAX_BYTES:
        raise SpreadsheetError(_("Tệp quá lớn."))
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as package:
            members = package.infolist()
    except UNREADABLE:
        raise not_a_workbook() from None
    finally:
        file.seek(0)
    # The sizes come from the zip directory; a member that unpacks to more
    # than it declares fails its CRC check once its declared size is read,
    # so the declared total bounds what parsing can unpack.
    unpacked = sum(member.file_size for member in members)
    if (
        len(members) > MAX_PACKAGE_MEMBERS
        or unpacked > settings.SPREADSHEET_MAX_UNPACKED_BYTES
    ):
        raise SpreadsheetError(
            _(
                "Tệp chứa quá nhiều dữ liệu khi giải nén; hãy xóa các dòng, cột"
                " và định dạng thừa hoặc chia thành nhiều tệp."
            )
        )
    _check_sheet_sizes(file, members, max_rows or settings.SPREADSHEET_MAX_ROWS)


def _check_sheet_sizes(file, members, max_rows):
    limits = (max_rows + MAX_BLANK_ROWS + 1, settings.SPREADSHEET_MAX_CELLS)
    try:
        with zipfile.ZipFile(file) as package:
            for member in members:
                if WORKSHEET_PART.fullmatch(member.filename):
                    _count_rows_and_cells(package, member, limits, max_rows)
    except UNREADABLE:
        raise not_a_workbook() from None
    finally:
        file.seek(0)


def _count_rows_and_cells(package, member, limits, max_rows):
    """Count a worksheet's <row> and <c> start tags; refuse at a limit.

    Plain substring counts (with and without a namespace prefix) over the
    decompressed stream, stopping as soon as a limit is passed: a crafted
    sheet of millions of rows costs the first megabytes only.
    """
    most_rows, most_cells = limits
    rows = cells = 0
    carry = b""
    with package.open(member) as part:
        while True:
            chunk = part.read(SCAN_CHUNK)
            data = carry + chunk
            # A tag cut at the chunk's end is counted with the next chunk: a
            # start tag is a few bytes, so only a late "<" can begin one.
            cut = data.rfind(b"<", max(0, len(data) - 64)) if chunk else -1
            if cut == -1:
                cut = len(data)
            body, carry = data[:cut], data[cut:]
            rows += sum(body.count(tag) for tag in ROW_TAGS)
            cells += sum(body.count(tag) for tag in CELL_TAGS)
            if rows > most_rows:
                raise SpreadsheetError(
                    _(
                        "Tệp có hơn %(max)s dòng (kể cả dòng trống đã định dạng);"
                        " hãy xóa các dòng thừa hoặc chia thành nhiều tệp."
                    )
                    % {"max": max_rows}
                )
            if cells > most_cells:
                raise SpreadsheetError(
                    _(
                        "Tệp có hơn %(max)s ô dữ liệu; hãy xóa các cột thừa hoặc"
                        " chia thành nhiều tệp."
                    )
                    % {"max": most_cells}
                )
            if not chunk:
                return rows, cells


def open_workbook(file, *, max_rows=None):
    """A read-only (streaming) workbook, or SpreadsheetError."""
    check_package(file, max_rows=max_rows)
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except UNREADABLE:
        raise not_a_workbook() from None


def check_readable(file):
    """Read every sheet of a (small) workbook to its end, or SpreadsheetError.

    For files another library parses afterwards (pyxform reads XLSForms):
    a broken part gets the one Vietnamese answer instead of that library's.
    """
    workbook = open_workbook(file)
    try:
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()
            for _values in sheet.iter_rows(values_only=True):
                pass
    except UNREADABLE:
        raise not_a_workbook() from None
    finally:
        workbook.close()
        file.seek(0)


def sheet_named(workbook, name):
    """The sheet called ``name``, or the first one when it was renamed."""
    name = str(name)
    return workbook[name] if name in workbook.sheetnames else workbook.worksheets[0]


def column_positions(header, columns):
    """{key: index} of ``columns`` matched on folded titles.

    Titles match without diacritics, case or a trailing "(…)" hint, so that a
    header retyped by hand still matches. Missing required columns raise.
    """
    found = {}
    for index, title in enumerate(header):
        if title is not None:
            found.setdefault(fold(str(title).split("(")[0]), index)
    positions, missing = {}, []
    for column in columns:
        match = fold(str(column.header).split("(")[0])
        retired = fold(str(column.replaces)) if column.replaces else None
        if match not in found and retired in found:
            raise SpreadsheetError(
                _(
                    "Cột “%(old)s” nay là cột “%(new)s” (nghĩa ngược lại): hãy"
                    " tải tệp mẫu mới hoặc xuất lại danh sách."
                )
                % {"old": column.replaces, "new": column.header}
            )
        if match in found:
            positions[column.key] = found[match]
        elif column.required:
            missing.append(str(column.header))
    if missing:
        raise SpreadsheetError(
            _("Thiếu cột bắt buộc: %(columns)s. Hãy dùng tệp mẫu.")
            % {"columns": ", ".join(missing)}
        )
    return positions


def read_rows(file, sheet, *, max_rows=None):
    """[Row] of the non-empty rows of ``sheet`` in an uploaded workbook.

    Raises SpreadsheetError when the file is not a workbook, is over a limit,
    lacks a required column or has no data row. Informative columns are not
    read.
    """
    max_rows = max_rows or settings.SPREADSHEET_MAX_ROWS
    workbook = open_workbook(file, max_rows=max_rows)
    try:
        data = sheet_named(workbook, sheet.name)
        # Read to the last row, not to the size the file declares: a wrong
        # declaration would drop rows silently (the limits hold regardless).
        data.reset_dimensions()
        return [
            Row(number, raw, sheet)
            for number, raw in _data_rows(data, sheet.readable, max_rows)
        ]
    except UNREADABLE:
        raise not_a_workbook() from None
    finally:
        workbook.close()
        file.seek(0)


def read_notes(file):
    """{folded label: value} of the "Thông tin" sheet ``build_workbook`` wrote.

    A template can name what it was made for (a unit, a year) there, and the
    import check it; a workbook without the sheet gives {}.
    """
    workbook = open_workbook(file)
    try:
        name = str(_("Thông tin"))
        if name not in workbook.sheetnames:
            return {}
        notes = {}
        for values in workbook[name].iter_rows(
            max_row=MAX_NOTES, max_col=2, values_only=True
        ):
            if len(values) == 2 and values[0] is not None:
                notes[fold(str(values[0]))] = values[1]
        return notes
    except UNREADABLE:
        raise not_a_workbook() from None
    finally:
        workbook.close()
        file.seek(0)


def _data_rows(data, columns, max_rows):
    header = next(
        data.iter_rows(
            min_row=1, max_row=1, max_col=MAX_HEADER_COLUMNS, values_only=True
        ),
        (),
    )
    positions = column_positions(header, columns)
    width = max(positions.values(), default=0) + 1
    rows = []
    cells = data.iter_rows(min_row=2, max_col=width, values_only=True)
    for number, values in enumerate(cells, start=2):
        raw = {
            key: values[i] if i < len(values) else None for key, i in positions.items()
        }
        if all(value is None or str(value).strip() == "" for value in raw.values()):
            if number - len(rows) > max_rows + MAX_BLANK_ROWS:
                break
            continue
        rows.append((number, raw))
        if len(rows) > max_rows:
            raise SpreadsheetError(
                _("Tệp có quá %(max)s dòng; hãy chia thành nhiều tệp.")
                % {"max": max_rows}
            )
    if not rows:
        raise SpreadsheetError(_("Tệp không có dòng dữ liệu nào."))
    return rows


@dataclass
class Row:
    """One spreadsheet row: its number, raw cells, and typed readings.

    Each reading adds a message to ``messages`` for a bad or missing cell and
    returns None (or the blank value), so that a row reports everything
    wrong with it at once.
    """

    number: int
    raw: dict
    sheet: object
    messages: list = field(default_factory=list)

    def cell(self, key):
        """The raw value, None for a blank cell; text with spaces collapsed."""
        value = self.raw.get(key)
        if isinstance(value, str):
            value = " ".join(value.split())
        return None if value in (None, "") else value

    def missing(self, key):
        self.messages.append(
            _("Thiếu %(column)s.") % {"column": self.sheet.header(key).lower()}
        )

    def error(self, message):
        self.messages.append(str(message))

    def text(self, key, max_length, *, required=False):
        value = self.cell(key)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, datetime.datetime | datetime.date):
            value = value.strftime("%d/%m/%Y")
        text = "" if value is None else str(value)
        if required and not text:
            self.missing(key)
        elif len(text) > max_length:
            self.messages.append(
                _("%(column)s dài quá %(max)s ký tự.")
                % {"column": self.sheet.header(key), "max": max_length}
            )
        return text

    def code(self, key, max_length, *, required=False):
        """A code (unit, household): text, and 20515.0 read as "20515"."""
        return self.text(key, max_length, required=required)

    def integer(self, key, low, high, *, required=False, blank=None):
        value = self.cell(key)
        if value is None:
            if required:
                self.missing(key)
            return blank
        number = _number(value, grouped=True)
        if (
            number is None
            or number != number.to_integral_value()
            or not low <= number <= high
        ):
            self.messages.append(
                _("%(column)s phải là số nguyên từ %(low)s đến %(high)s.")
                % {"column": self.sheet.header(key), "low": low, "high": high}
            )
            return None
        return int(number)

    def decimal(self, key, low, high, *, places=6, required=False, blank=None):
        value = self.cell(key)
        if value is None:
            if required:
                self.missing(key)
            return blank
        number = _number(value, grouped=False)
        if number is None or not low <= number <= high:
            self.messages.append(
                _("%(column)s phải là số từ %(low)s đến %(high)s.")
                % {"column": self.sheet.header(key), "low": low, "high": high}
            )
            return None
        return number.quantize(Decimal(1).scaleb(-places))

    def money(self, key, *, maximum, required=False, blank=Decimal(0)):
        value = self.cell(key)
        if value is None:
            if required:
                self.missing(key)
                return None
            return blank
        number = _number(value, grouped=True)
        if number is None or number < 0 or number >= maximum:
            self.messages.append(
                _("%(column)s phải là số tiền (đồng) không âm.")
                % {"column": self.sheet.header(key)}
            )
            return None
        return number.quantize(Decimal(1))

    def date(self, key, *, required=False):
        value = self.cell(key)
        if value is None:
            if required:
                self.missing(key)
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.datetime.strptime(str(value), "%d/%m/%Y").date()
        except ValueError:
            self.messages.append(
                _("%(column)s phải là ngày dạng dd/mm/yyyy.")
                % {"column": self.sheet.header(key)}
            )
            return None

    def yes_no(self, key, *, required=False):
        """True / False from the one vocabulary; blank is "no" unless required."""
        value = self.cell(key)
        if value is None and required:
            self.missing(key)
            return None
        answer = parse_yes_no(value)
        if answer is None:
            self.messages.append(
                _(
                    "%(column)s chỉ nhận có/không (hoặc x, 1, 0), không nhận"
                    " “%(value)s”."
                )
                % {"column": self.sheet.header(key), "value": value}
            )
        return answer

    def choice(self, key, choices=None, *, required=False):
        """The code of the choice written as its code or its label."""
        choices = choices or self.sheet.column(key).choices
        value = self.cell(key)
        if value is None:
            if required:
                self.missing(key)
            return ""
        found = match_choice(str(value), choices)
        if found is None:
            self.messages.append(
                _("%(column)s “%(value)s” không có trong danh sách.")
                % {"column": self.sheet.header(key), "value": value}
            )
            return ""
        return found

    def choices(self, key, choices=None):
        """Several choices separated by ";", without repeats."""
        choices = choices or self.sheet.column(key).choices
        found = []
        for part in str(self.cell(key) or "").split(";"):
            if not part.strip():
                continue
            value = match_choice(part, choices)
            if value is None:
                self.messages.append(
                    _("%(column)s “%(value)s” không có trong danh sách.")
                    % {"column": self.sheet.header(key), "value": part.strip()}
                )
            elif value not in found:
                found.append(value)
        return found

    def names(self, key, known):
        """Records named in a ";"-separated cell; ``known`` = {folded name: record}."""
        found = []
        for part in str(self.cell(key) or "").split(";"):
            if not part.strip():
                continue
            record = known.get(fold(part))
            if record is None:
                self.messages.append(
                    _("%(column)s “%(value)s” không có trong hệ thống.")
                    % {"column": self.sheet.header(key), "value": part.strip()}
                )
            elif record not in found:
                found.append(record)
        return found


def match_choice(text, choices):
    """The choice whose code or label is ``text`` (without diacritics)."""
    wanted = fold(text)
    for value, label in choices.choices:
        if wanted in (fold(value), fold(str(label))):
            return value
    return None


def _number(value, *, grouped):
    """A Decimal from a number cell or text written the Vietnamese way.

    "1.250.000" is one million two hundred and fifty thousand and "15,85"
    is fifteen point eight five; with ``grouped`` false (coordinates,
    shares) a lone "." is a decimal point, as in "15.85".
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif grouped or text.count(".") > 1:
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
