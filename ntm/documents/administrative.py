"""Word documents in the administrative layout of Decree 30/2020/NĐ-CP.

One builder for every official document the platform writes (self-assessment
and appraisal reports today, yearly reports later): the header table with the
issuing body and the national title, number and symbol, place and date, the
document type and title, the body, and the recipients and signature blocks.
Times New Roman on A4 with the decree's margins.
"""

import datetime
import io
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
HEADER_SIZE = Pt(13)
# Decree 30 allows 12–13 pt; at 12 pt the title holds on one line, as in the
# models of its appendix.
NATIONAL_TITLE_SIZE = Pt(12)
RECIPIENTS_LABEL_SIZE = Pt(12)
RECIPIENTS_SIZE = Pt(11)
TABLE_SIZE = Pt(12)
# Decree 30, Appendix I: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
A4 = (Mm(210), Mm(297))
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
UNSIGNED = "(Ký, ghi rõ họ tên, đóng dấu)"
# The text area of A4 less the margins: 165 mm, split about 36/64.
LEFT_COLUMN, RIGHT_COLUMN = Mm(60), Mm(105)


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Table:
    header: list
    rows: list
    # Relative column widths; equal when empty.
    widths: list = field(default_factory=list)


def build_document(
    *,
    issuer,
    number_symbol,
    place,
    date,
    kind,
    title,
    body,
    recipients,
    signer_authority,
    signer_position,
    signer_name="",
):
    """The .docx bytes of one administrative document.

    ``issuer`` is the issuing body ("UBND XÃ HÀ NHA"); a line break in it puts
    the superior body above ("UBND THÀNH PHỐ ĐÀ NẴNG\\nHỘI ĐỒNG THẨM ĐỊNH"),
    upright, and the issuing body below, bold. ``body`` is a list of
    ``Paragraph``, ``Heading`` and ``Table`` blocks. Without ``signer_name``
    the signature block leaves room for the hand signature and says so.
    """
    document = Document()
    _set_up_page(document)
    _header(
        document, issuer=issuer, number_symbol=number_symbol, place=place, date=date
    )
    _title(document, kind=kind, title=title)
    for block in body:
        if isinstance(block, Heading):
            _paragraph(document, block.text, bold=True, first_line=True)
        elif isinstance(block, Table):
            _table(document, block)
        else:
            _paragraph(
                document,
                block.text,
                bold=block.bold,
                italic=block.italic,
                first_line=True,
                justify=True,
            )
    _closing(
        document,
        recipients=recipients,
        authority=signer_authority,
        position=signer_position,
        name=signer_name,
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def date_line(place, day):
    """ "Hà Nha, ngày 28 tháng 11 năm 2026" (days and months below 10 with a
    leading zero only for 1 and 2, as the decree asks)."""
    day_text = f"{day.day:02d}" if day.day < 3 else str(day.day)
    month_text = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day_text} tháng {month_text} năm {day.year}"


def _set_up_page(document):
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = A4
    section.top_margin = MARGINS["top"]
    section.bottom_margin = MARGINS["bottom"]
    section.left_margin = MARGINS["left"]
    section.right_margin = MARGINS["right"]
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    # Vietnamese letters fall back to the East Asian slot in some Word builds.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)


def _header(document, *, issuer, number_symbol, place, date):
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _set_columns(table)
    left, right = table.rows[0].cells
    lines = [line.strip() for line in issuer.splitlines() if line.strip()]
    superior, body_name = lines[:-1], lines[-1]
    first = left.paragraphs[0]
    for index, line in enumerate(superior):
        target = first if index == 0 else left.add_paragraph()
        _run(target, line.upper(), size=HEADER_SIZE)
        target.alignment = WD_ALIGN_PARAGRAPH.CENTER
    target = first if not superior else left.add_paragraph()
    _run(target, body_name.upper(), size=HEADER_SIZE, bold=True)
    target.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _rule(left, width_share=0.35)
    number = left.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number.paragraph_format.space_before = Pt(6)
    _run(number, number_symbol, size=HEADER_SIZE)

    title = right.paragraphs[0]
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, NATIONAL_TITLE, size=NATIONAL_TITLE_SIZE, bold=True)
    motto = right.add_paragraph()
    motto.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(motto, MOTTO, size=BODY_SIZE, bold=True)
    _rule(right, width_share=0.55)
    dated = right.add_paragraph()
    dated.alignment = WD_ALIGN_PARAGRAPH.CENTER
    dated.paragraph_format.space_before = Pt(6)
    day = date if isinstance(date, datetime.date) else datetime.date.fromisoformat(date)
    _run(dated, date_line(place, day), size=BODY_SIZE, italic=True)


def _rule(cell, *, width_share):
    """A short centred solid line under the cell's last line (Decree 30)."""
    paragraph = cell.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    margin = int(cell.width * (1 - width_share) / 2) if cell.width else Mm(20)
    paragraph.paragraph_format.left_indent = margin
    paragraph.paragraph_format.right_indent = margin
    # A one-point-high paragraph whose bottom border is the line.
    paragraph.paragraph_format.line_spacing = Pt(1)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1")):
        bottom.set(qn(key), value)
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    return paragraph


def _title(document, *, kind, title):
    kind_paragraph = document.add_paragraph()
    kind_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    kind_paragraph.paragraph_format.space_before = Pt(18)
    _run(kind_paragraph, kind.upper(), size=BODY_SIZE, bold=True)
    for line in title.splitlines():
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, line, size=BODY_SIZE, bold=True)
    document.paragraphs[-1].paragraph_format.space_after = Pt(12)


def _paragraph(
    document, text, *, bold=False, italic=False, first_line=False, justify=False
):
    paragraph = document.add_paragraph()
    if justify:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    formatting = paragraph.paragraph_format
    if first_line:
        formatting.first_line_indent = Mm(10)
    formatting.space_after = Pt(6)
    _run(paragraph, text, size=BODY_SIZE, bold=bold, italic=italic)
    return paragraph


def _table(document, block):
    columns = len(block.header)
    table = document.add_table(rows=1, cols=columns)
    table.style = "Table Grid"  # single borders on every cell
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    weights = block.widths or [1] * columns
    total = sum(weights)
    widths = [int(Mm(165) * weight / total) for weight in weights]
    for index, text in enumerate(block.header):
        cell = table.rows[0].cells[index]
        cell.width = widths[index]
        _cell_text(cell, text, bold=True, centre=True)
    _repeat_as_header(table.rows[0])
    for row in block.rows:
        cells = table.add_row().cells
        for index, value in enumerate(row):
            cells[index].width = widths[index]
            _cell_text(cells[index], "" if value is None else str(value))
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(6)
    return table


def _repeat_as_header(row):
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _cell_text(cell, text, *, bold=False, centre=False):
    lines = text.splitlines() or [""]
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        if centre:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, line, size=TABLE_SIZE, bold=bold)


def _closing(document, *, recipients, authority, position, name):
    document.add_paragraph()
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    _set_columns(table)
    left, right = table.rows[0].cells
    label = left.paragraphs[0]
    _run(label, "Nơi nhận:", size=RECIPIENTS_LABEL_SIZE, bold=True, italic=True)
    for recipient in recipients:
        _run(left.add_paragraph(), f"- {recipient}", size=RECIPIENTS_SIZE)

    first = right.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(first, authority.upper(), size=BODY_SIZE, bold=True)
    if position:
        paragraph = right.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, position.upper(), size=BODY_SIZE, bold=True)
    if not name:
        note = right.add_paragraph()
        note.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(note, UNSIGNED, size=BODY_SIZE, italic=True)
    for _blank in range(3):
        right.add_paragraph()
    if name:
        signed = right.add_paragraph()
        signed.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(signed, name, size=BODY_SIZE, bold=True)


def _run(paragraph, text, *, size, bold=False, italic=False):
    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = size
    run.bold = bold
    run.italic = italic
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), FONT)
    return run


def _set_columns(table):
    """Issuer and title columns of Decree 30's layout, on cells and grid alike.

    Word reads the cells' widths, LibreOffice the table grid: without both the
    national title wraps onto two lines when converted to PDF.
    """
    table.columns[0].width, table.columns[1].width = LEFT_COLUMN, RIGHT_COLUMN
    left, right = table.rows[0].cells
    left.width, right.width = LEFT_COLUMN, RIGHT_COLUMN
