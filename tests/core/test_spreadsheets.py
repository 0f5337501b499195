import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from ntm.core.spreadsheets import (
    ImportResult,
    SpreadsheetError,
    XlsxFileField,
    data_rows,
    open_workbook,
)

COLUMNS = [("code", "Mã hộ", True), ("name", "Họ tên chủ hộ", False)]


def _workbook(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_data_rows_match_headers_without_diacritics_and_skip_empty_rows():
    sheet = open_workbook(
        _workbook(
            [["MA HO (*)", "ho ten chu ho"], ["A1", "An"], [None, ""], ["A2", None]]
        )
    ).active

    assert data_rows(sheet, COLUMNS, max_rows=10) == [
        (2, {"code": "A1", "name": "An"}),
        (4, {"code": "A2", "name": None}),
    ]


def test_data_rows_names_missing_required_columns():
    sheet = open_workbook(_workbook([["Họ tên chủ hộ"], ["An"]])).active

    with pytest.raises(SpreadsheetError, match="Thiếu cột bắt buộc: Mã hộ"):
        data_rows(sheet, COLUMNS, max_rows=10)


def test_data_rows_refuses_too_many_rows_and_empty_files():
    sheet = open_workbook(_workbook([["Mã hộ"], ["A"], ["B"], ["C"]])).active
    empty = open_workbook(_workbook([["Mã hộ"]])).active

    with pytest.raises(SpreadsheetError, match="quá 2 dòng"):
        data_rows(sheet, COLUMNS, max_rows=2)
    with pytest.raises(SpreadsheetError, match="không có dòng dữ liệu"):
        data_rows(empty, COLUMNS, max_rows=2)


def test_open_workbook_refuses_what_is_not_xlsx():
    with pytest.raises(SpreadsheetError, match="không phải là tệp Excel"):
        open_workbook(io.BytesIO(b"ma_ho,ten\nA1,An\n"))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ho.csv", b"a,b", "đuôi .xlsx"),
        ("ho.xlsx", b"not a zip", "không phải là tệp Excel"),
    ],
)
def test_xlsx_field_refuses_wrong_files(name, content, message):
    with pytest.raises(Exception, match=message):
        XlsxFileField().clean(SimpleUploadedFile(name, content))


def test_xlsx_field_accepts_a_workbook():
    upload = SimpleUploadedFile("ho.xlsx", _workbook([["Mã hộ"], ["A"]]).read())

    assert XlsxFileField().clean(upload) is upload


def test_import_result_says_what_was_saved_in_vietnamese():
    result = ImportResult(created=3, updated=2, unchanged=1)

    assert result.message == ("Đã nhập 6 dòng: 3 mới, 2 cập nhật, 1 không đổi.")
