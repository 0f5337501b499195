"""Importing: the upload field and form, the row-error report, the page.

Imports are all or nothing: every row is checked, and if any is wrong the
import raises ``ImportRefused`` listing every bad row and nothing is saved.
The import page shows that list; the user fixes their file and uploads it
again.
"""

from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..uploads import UploadField
from .reading import SpreadsheetError, read_rows

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
    # Rows an import passes over by its own rule (a value left blank).
    skipped: int = 0

    @property
    def total(self):
        return self.created + self.updated + self.unchanged

    @property
    def message(self):
        """What every import page says once the rows are saved."""
        message = _(
            "Đã nhập %(total)s dòng: %(created)s mới, %(updated)s cập nhật, "
            "%(unchanged)s không đổi."
        ) % {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.skipped:
            message += " " + _("Bỏ qua %(skipped)s dòng để trống.") % {
                "skipped": self.skipped
            }
        return message


class ImportRefused(Exception):
    """The file was refused; ``errors`` lists every bad row (nothing was saved).

    Apps subclass it beside their domain error (``class HouseholdImportError(
    ImportRefused, HouseholdError)``), so the shared import page shows any of
    them.
    """

    def __init__(self, message, errors=()):
        super().__init__(message)
        self.errors = list(errors)

    @classmethod
    def from_file(cls, error):
        """The refusal of a file that could not be read (a SpreadsheetError)."""
        return cls(str(error))

    @classmethod
    def rows_of(cls, file, sheet, **kwargs):
        """``read_rows(file, sheet)``, a file that cannot be read raising ``cls``."""
        try:
            return read_rows(file, sheet, **kwargs)
        except SpreadsheetError as error:
            raise cls.from_file(error) from None


def refuse_bad_rows(rows, error_class=ImportRefused):
    """Raise ``error_class`` listing every row with messages; None when all pass.

    ``rows`` are ``reading.Row`` objects (or anything with ``number`` and
    ``messages``).
    """
    bad = [RowError(row.number, row.messages) for row in rows if row.messages]
    if bad:
        bad.sort(key=lambda error: error.row)
        raise error_class(
            _("Có %(count)s dòng chưa hợp lệ; chưa lưu dòng nào.")
            % {"count": len(bad)},
            bad,
        )


def flag_repeats(rows, key, message=None):
    """Add "trùng với dòng N" to every row repeating an earlier row's ``key(row)``.

    Rows whose key is None (a missing code, already reported) are skipped.
    ``message`` may name the repeated value: it is formatted with
    ``%(value)s`` (the key) and ``%(row)s`` (the first row's number).
    """
    first = {}
    for row in rows:
        value = key(row)
        if value is None:
            continue
        if value in first:
            text = message or _("Trùng với dòng %(row)s.")
            row.error(text % {"value": value, "row": first[value]})
        else:
            first[value] = row.number


class XlsxFileField(UploadField):
    """An .xlsx upload: right extension, within the size limit, a zip
    package (the shared upload rule ``spreadsheet``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Tệp Excel (.xlsx)"))
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": XLSX_ACCEPT})
        )
        super().__init__("spreadsheet", **kwargs)


class ImportForm(forms.Form):
    file = XlsxFileField()


def import_page(
    request,
    *,
    run,
    title,
    template_url,
    done_url,
    back_url=None,
    back_label="",
    steps=(),
    template="core/spreadsheet_import.html",
    context=None,
):
    """The import page of any app: upload, all-or-nothing import, row report.

    ``run(file)`` imports and returns an ImportResult or raises ImportRefused
    (a SpreadsheetError is shown the same way). On success the page
    redirects to ``done_url`` with the result's message; a refused file
    comes back with status 422 and the row-by-row report.
    """
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            result = run(form.cleaned_data["file"])
        except ImportRefused as error:
            report = error
        except SpreadsheetError as error:
            report = ImportRefused.from_file(error)
        else:
            messages.success(request, result.message)
            return redirect(done_url)
    return render(
        request,
        template,
        {
            "form": form,
            "report": report,
            "title": title,
            "template_url": template_url,
            "back_url": back_url,
            "back_label": back_label,
            "steps": steps,
            "upload_max": settings.UPLOAD_MAX_BYTES,
            **(context or {}),
        },
        status=422 if report or form.errors else 200,
    )
