"""QR codes of lots and printable label sheets (SVG and PDF).

The QR code (segno, always a full QR symbol, error correction M) encodes
the lot's link exactly as printed beneath it. A sheet is one lot's label
repeated over a sheet of common label paper; each layout is data
(``LAYOUTS``). PDF sheets are drawn with fpdf2 (pure Python): the QR as
filled rectangles from the same module matrix as the SVG, the text in
DejaVu Sans for the Vietnamese letters.
"""

import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.utils.formats import date_format
from fpdf import FPDF

QUIET_ZONE = 4  # modules, as ISO/IEC 18004 asks
PAGE = (210.0, 297.0)  # A4, mm


@dataclass(frozen=True)
class Layout:
    key: str
    label: str
    columns: int
    rows: int
    width: float  # one label, mm
    height: float
    left: float  # page margins, mm
    top: float
    gap_x: float = 0.0
    gap_y: float = 0.0

    @property
    def per_sheet(self):
        return self.columns * self.rows

    def origin(self, index):
        row, column = divmod(index, self.columns)
        return (
            self.left + column * (self.width + self.gap_x),
            self.top + row * (self.height + self.gap_y),
        )


LAYOUTS = {
    # Decal A4 24 nhãn (Tomy, Avery 3474 and the like).
    "a4-3x8": Layout("a4-3x8", "A4 – 24 nhãn 70 × 37 mm (3 × 8)", 3, 8, 70, 37, 0, 0.5),
    # Decal A4 10 nhãn (Avery 3425 and the like).
    "a4-2x5": Layout("a4-2x5", "A4 – 10 nhãn 105 × 57 mm (2 × 5)", 2, 5, 105, 57, 0, 6),
}


@dataclass(frozen=True)
class LabelText:
    uri: str
    product: str
    lot: str
    produced_on: object
    area_code: str
    entity: str

    def lines(self):
        return [
            self.product,
            f"Lô: {self.lot}",
            f"Thu hoạch: {date_format(self.produced_on, 'SHORT_DATE_FORMAT')}",
            f"Mã vùng trồng: {self.area_code}",
            self.entity,
        ]


def qr_code(uri):
    return segno.make_qr(uri, error="m", boost_error=False)


def qr_svg(uri, *, scale=4):
    buffer = io.BytesIO()
    qr_code(uri).save(
        buffer, kind="svg", scale=scale, border=QUIET_ZONE, xmldecl=False, title=uri
    )
    return buffer.getvalue().decode()


def qr_png(uri, *, scale=8):
    buffer = io.BytesIO()
    qr_code(uri).save(buffer, kind="png", scale=scale, border=QUIET_ZONE)
    return buffer.getvalue()


def dark_runs(uri):
    """(row, first column, length) of each horizontal run of dark modules,
    quiet zone included in the coordinates; and the symbol's full width."""
    matrix = list(qr_code(uri).matrix_iter(border=QUIET_ZONE))
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        cells = list(row)
        while x < len(cells):
            if cells[x]:
                start = x
                while x < len(cells) and cells[x]:
                    x += 1
                runs.append((y, start, x - start))
            else:
                x += 1
    return runs, len(matrix)


def _geometry(layout):
    """Where things sit inside one label, in mm from its top left corner."""
    pad = 2.0
    uri_band = 4.0
    qr = min(layout.height - 2 * pad - uri_band, layout.width * 0.45)
    return pad, qr, uri_band


# -- SVG -------------------------------------------------------------------------


def sheet_svg(text, layout, *, count=None):
    """One A4 sheet of ``count`` labels (a full sheet by default) as SVG (mm)."""
    count = min(count or layout.per_sheet, layout.per_sheet)
    runs, size = dark_runs(text.uri)
    pad, qr, _band = _geometry(layout)
    module = qr / size
    path = " ".join(f"M{x},{y}h{n}v1h-{n}z" for y, x, n in runs)
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{PAGE[0]}mm" height="{PAGE[1]}mm" viewBox="0 0 {PAGE[0]} {PAGE[1]}">',
        '<rect width="100%" height="100%" fill="#fff"/>',
        f'<defs><path id="qr" d="{path}" fill="#000"/></defs>',
    ]
    size_main = 3.2 if layout.height > 45 else 2.6
    for index in range(count):
        x0, y0 = layout.origin(index)
        parts.append(f'<g class="label" transform="translate({x0:.2f},{y0:.2f})">')
        parts.append(
            f'<use href="#qr" transform="translate({pad},{pad}) scale({module:.5f})"/>'
        )
        tx = pad + qr + 1.5
        for line_no, line in enumerate(text.lines()):
            weight = ' font-weight="bold"' if line_no == 0 else ""
            parts.append(
                f'<text x="{tx:.2f}" y="{pad + 3.5 + line_no * (size_main + 1.2):.2f}" '
                f'font-family="DejaVu Sans, Arial, sans-serif" '
                f'font-size="{size_main}"{weight}>{escape(_fit(line, 28))}</text>'
            )
        width = layout.width - 2 * pad
        parts.append(
            f'<text class="uri" x="{pad}" y="{pad + qr + 2.6:.2f}" '
            f'font-family="DejaVu Sans Mono, monospace" font-size="2" '
            f'textLength="{width:.2f}" lengthAdjust="spacingAndGlyphs">'
            f"{escape(text.uri)}</text>"
        )
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def _fit(line, limit):
    return line if len(line) <= limit else line[: limit - 1] + "…"


# -- PDF -------------------------------------------------------------------------


def _font_path():
    path = Path(settings.LABEL_FONT)
    return path if path.is_file() else None


def _ascii(text):
    # Without a Unicode font the core fonts only know Latin-1: keep the
    # letters, drop the diacritics.
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def sheet_pdf(text, layout, *, count=None):
    """One A4 page of labels as PDF bytes (same layout as ``sheet_svg``)."""
    count = min(count or layout.per_sheet, layout.per_sheet)
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.add_page()
    font = _font_path()
    if font:
        pdf.add_font("DejaVu", fname=str(font))
        family, clean = "DejaVu", str
    else:
        family, clean = "helvetica", _ascii
    runs, size = dark_runs(text.uri)
    pad, qr, _band = _geometry(layout)
    module = qr / size
    size_main = 9 if layout.height > 45 else 7.2  # points
    pdf.set_fill_color(0, 0, 0)
    for index in range(count):
        x0, y0 = layout.origin(index)
        for y, x, n in runs:
            pdf.rect(
                x0 + pad + x * module,
                y0 + pad + y * module,
                n * module,
                module,
                style="F",
            )
        tx = x0 + pad + qr + 1.5
        for line_no, line in enumerate(text.lines()):
            pdf.set_font(family, size=size_main)
            pdf.set_xy(tx, y0 + pad + 1 + line_no * (size_main * 0.3528 + 1.2))
            pdf.cell(
                layout.width - (tx - x0) - pad,
                size_main * 0.3528,
                clean(_fit(line, 28)),
            )
        width = layout.width - 2 * pad
        font_size = 6.0
        pdf.set_font(family, size=font_size)
        while pdf.get_string_width(text.uri) > width and font_size > 3.5:
            font_size -= 0.25
            pdf.set_font(family, size=font_size)
        pdf.set_xy(x0 + pad, y0 + pad + qr + 0.8)
        pdf.cell(width, 2.4, text.uri)
    return bytes(pdf.output())
