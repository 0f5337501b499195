"""Excel files for the import tests, laid out like the template."""

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from ntm.households.exports import HOUSEHOLDS


def row(code, village_code, **values):
    return {
        "code": code,
        "village_code": village_code,
        "head_name": "Trần Thị Bình",
        "members": 4,
        **values,
    }


def xlsx(rows, *, columns=None, name="ho-gia-dinh.xlsx"):
    columns = columns or HOUSEHOLDS.columns
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Hộ gia đình"
    sheet.append([column.title for column in columns])
    for values in rows:
        sheet.append([values.get(column.key) for column in columns])
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())
