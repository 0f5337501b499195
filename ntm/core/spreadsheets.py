"""Excel uploads shared by every import: checking the file, reading its rows.

Each import keeps its own columns and row rules; this module only opens the
workbook safely, finds the header, and yields the non-empty rows with their
spreadsheet row numbers, so that error reports name the rows people see.
"""

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .text import fold

XLSX_ACCEPT = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class RowError:
    """Everything wrong with one spreadsheet row, as people see its number."""

    row: int
    messages: list[str] = field(default_factory=list)

    @property
    def message(self):
        return " ".join(self.messages)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self):
        return self.created + self.updated + self.unchanged

    @property
    def message(self):
        """What every import page says once the rows are saved."""
        return _(
            "Đã nhập %(total)s dòng: %(created)s mới, %(updated)s cập nhật, "
            "%(unchanged)s không đổi."
        ) % {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


class SpreadsheetError(Exception):
    """The file as a whole cannot be read; the message says why, in Vietnamese."""


class XlsxFileField(forms.FileField):
    """An .xlsx upload: right extension, within the size limit, a zip package."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Tệp Excel (.xlsx)"))
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": XLSX_ACCEPT})
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        file = super().clean(data, initial)
        if not file:
            return file
        if Path(file.name).suffix.lower() != ".xlsx":
            raise forms.ValidationError(_("Chỉ nhận tệp Excel có đuôi .xlsx."))
        if file.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp quá lớn (tối đa %(size)s).")
                % {"size": filesizeformat(settings.UPLOAD_MAX_BYTES)}
            )
        # An .xlsx is a zip package; a renamed .xls or .csv is not.
        is_zip = zipfile.is_zipfile(file)
        file.seek(0)
        if not is_zip:
            raise forms.ValidationError(
                _("Tệp không phải là tệp Excel (.xlsx) hợp lệ.")
            )
        return file


def open_workbook(file):
    """A read-only workbook, or SpreadsheetError for a file that is not one."""
    size = getattr(file, "size", None)
    if size is not None and size > settings.UPLOAD_MAX_BYTES:
        raise SpreadsheetError(_("Tệp quá lớn."))
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise SpreadsheetError(
            _("Tệp không phải là tệp Excel (.xlsx) hợp lệ.")
        ) from None


def sheet_named(workbook, name):
    """The sheet called ``name``, or the first one when it was renamed."""
    name = str(name)
    return workbook[name] if name in workbook.sheetnames else workbook.worksheets[0]


def column_positions(header, columns):
    """{key: index} for ``columns`` = [(key, title, required)] matched on folded titles.

    Titles match without diacritics, case or a trailing "(…)" hint, so that a
    header retyped by hand still matches. Missing required columns raise.
    """
    found = {
        fold(str(title).split("(")[0]): index
        for index, title in enumerate(header)
        if title is not None
    }
    positions, missing = {}, []
    for key, title, required in columns:
        match = fold(str(title).split("(")[0])
        if match in found:
            positions[key] = found[match]
        elif required:
            missing.append(str(title))
    if missing:
        raise SpreadsheetError(
            _("Thiếu cột bắt buộc: %(columns)s. Hãy dùng tệp mẫu.")
            % {"columns": ", ".join(missing)}
        )
    return positions


def data_rows(sheet, columns, *, max_rows):
    """[(row number, {key: cell value})] of the non-empty rows under the header."""
    cells = sheet.iter_rows(values_only=True)
    positions = column_positions(next(cells, None) or (), columns)
    rows = []
    for number, row in enumerate(cells, start=2):
        raw = {key: row[i] if i < len(row) else None for key, i in positions.items()}
        if all(value is None or str(value).strip() == "" for value in raw.values()):
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
