import datetime
import io
import os
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from ntm.documents.administrative import (
    Heading,
    Paragraph,
    Table,
    build_document,
    date_line,
)


def build(**overrides):
    fields = {
        "issuer": "UBND XÃ HÀ NHA",
        "number_symbol": "Số: 12/BC-UBND",
        "place": "Hà Nha",
        "date": datetime.date(2026, 11, 28),
        "kind": "Báo cáo",
        "title": "Kết quả tự đánh giá\nxã nông thôn mới năm 2026",
        "body": [
            Heading("I. KẾT QUẢ"),
            Paragraph("Xã tự đánh giá đạt 19/19 tiêu chí."),
            Table(["TT", "Tiêu chí", "Kết quả"], [[1, "Quy hoạch", "Đạt"]]),
        ],
        "recipients": ["UBND thành phố (để thẩm định);", "Lưu: VT."],
        "signer_authority": "TM. Ủy ban nhân dân",
        "signer_position": "Chủ tịch",
        "signer_name": "",
        **overrides,
    }
    return Document(io.BytesIO(build_document(**fields)))


def runs(document):
    """Every run of the document, in the body and in table cells."""
    found = [run for p in document.paragraphs for run in p.runs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                found += [run for p in cell.paragraphs for run in p.runs]
    return found


def run_with(document, text):
    return next(run for run in runs(document) if run.text == text)


def test_build_document_sets_a4_and_decree_30_margins():
    section = build().sections[0]

    # Word stores twentieths of a point: compare in whole millimetres.
    sizes = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    assert [round(size.mm) for size in sizes] == [210, 297, 20, 20, 30, 15]


def test_build_document_uses_times_new_roman_13_to_14():
    document = build()

    assert {run.font.name for run in runs(document)} == {"Times New Roman"}
    body = run_with(document, "Xã tự đánh giá đạt 19/19 tiêu chí.")
    assert body.font.size == Pt(14)
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_build_document_header_has_issuer_left_and_national_title_right():
    document = build()
    left, right = document.tables[0].rows[0].cells

    assert [p.text for p in left.paragraphs if p.text] == [
        "UBND XÃ HÀ NHA",
        "Số: 12/BC-UBND",
    ]
    assert [p.text for p in right.paragraphs if p.text] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nha, ngày 28 tháng 11 năm 2026",
    ]
    assert run_with(document, "UBND XÃ HÀ NHA").bold is True
    assert run_with(document, "Độc lập - Tự do - Hạnh phúc").bold is True
    assert run_with(document, "Hà Nha, ngày 28 tháng 11 năm 2026").italic is True


def test_build_document_draws_lines_under_issuer_and_motto():
    left, right = build().tables[0].rows[0].cells

    for cell in (left, right):
        borders = [p._p.find(f".//{qn('w:pBdr')}") for p in cell.paragraphs]
        assert len([b for b in borders if b is not None]) == 1


def test_build_document_puts_the_superior_body_above_upright():
    document = build(issuer="UBND THÀNH PHỐ ĐÀ NẴNG\nHội đồng thẩm định")
    left = document.tables[0].rows[0].cells[0]

    assert [p.text for p in left.paragraphs if p.text][:2] == [
        "UBND THÀNH PHỐ ĐÀ NẴNG",
        "HỘI ĐỒNG THẨM ĐỊNH",
    ]
    assert run_with(document, "UBND THÀNH PHỐ ĐÀ NẴNG").bold is False
    assert run_with(document, "HỘI ĐỒNG THẨM ĐỊNH").bold is True


def test_build_document_centres_kind_and_title_in_bold():
    document = build()
    texts = [p.text for p in document.paragraphs]
    kind = document.paragraphs[texts.index("BÁO CÁO")]

    assert texts[texts.index("BÁO CÁO") + 1] == "Kết quả tự đánh giá"
    assert kind.alignment == 1  # centre
    assert kind.runs[0].bold is True


def test_build_document_tables_have_bold_header_and_borders():
    table = build().tables[1]

    assert table.style.name == "Table Grid"
    assert [c.text for c in table.rows[0].cells] == ["TT", "Tiêu chí", "Kết quả"]
    assert all(c.paragraphs[0].runs[0].bold for c in table.rows[0].cells)
    assert [c.text for c in table.rows[1].cells] == ["1", "Quy hoạch", "Đạt"]


def test_build_document_closes_with_recipients_and_signature():
    document = build()
    left, right = document.tables[-1].rows[0].cells

    label = run_with(document, "Nơi nhận:")
    assert (label.bold, label.italic, label.font.size) == (True, True, Pt(12))
    assert run_with(document, "- Lưu: VT.").font.size == Pt(11)
    assert [p.text for p in right.paragraphs if p.text] == [
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "(Ký, ghi rõ họ tên, đóng dấu)",
    ]


def test_build_document_prints_the_signer_name_when_given():
    right = build(signer_name="Nguyễn Văn A").tables[-1].rows[0].cells[1]

    assert [p.text for p in right.paragraphs if p.text][-1] == "Nguyễn Văn A"


def test_date_line_pads_days_and_months_below_three():
    assert date_line("Hà Nha", datetime.date(2026, 1, 2)) == (
        "Hà Nha, ngày 02 tháng 01 năm 2026"
    )
    assert date_line("Hà Nha", datetime.date(2026, 3, 9)) == (
        "Hà Nha, ngày 9 tháng 3 năm 2026"
    )


# Runs wherever LibreOffice is installed; CI installs it and must not skip.
@pytest.mark.skipif(
    shutil.which("soffice") is None and os.environ.get("CI") != "true",
    reason="no LibreOffice (apt-get install libreoffice-writer-nogui)",
)
def test_build_document_opens_in_libreoffice(tmp_path):
    source = tmp_path / "bao-cao.docx"
    build().save(source)

    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp_path, source],
        check=True,
        timeout=120,
        capture_output=True,
    )

    assert (tmp_path / "bao-cao.pdf").stat().st_size > 0
