import io
import re
import xml.etree.ElementTree as ET

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from ntm.traceability.labels import LAYOUTS, LabelText, qr_png, sheet_pdf, sheet_svg

from .conftest import TODAY

URIS = [
    "https://truyxuat.example.vn/01/08930000000019/10/HN-2026-001",
    "http://127.0.0.1:8000/sp/LABCDEFGH2/10/A-1",
]


def _text(uri):
    return LabelText(
        uri=uri,
        product="Rau cải ngọt Hà Nha",
        lot="HN-2026-001",
        produced_on=TODAY,
        area_code="VN-48-20515-01-26",
        entity="HTX Rau an toàn Hà Nha",
    )


@pytest.mark.parametrize("uri", URIS)
def test_qr_png_decodes_with_zxing_to_exactly_the_uri(uri):
    image = Image.open(io.BytesIO(qr_png(uri)))

    (barcode,) = zxingcpp.read_barcodes(image)

    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    assert barcode.text == uri


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=list(LAYOUTS))
def test_sheet_svg_prints_the_uri_beneath_every_qr(layout):
    svg = sheet_svg(_text(URIS[0]), layout)

    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    labels = root.findall(f"{ns}g")
    printed = [g.find(f"{ns}text[@class='uri']").text for g in labels]
    assert printed == [URIS[0]] * layout.per_sheet
    assert root.get("viewBox") == "0 0 210.0 297.0"


def test_sheet_svg_labels_stay_inside_the_page():
    for layout in LAYOUTS.values():
        x, y = layout.origin(layout.per_sheet - 1)
        assert x + layout.width <= 210.0 and y + layout.height <= 297.0


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=list(LAYOUTS))
def test_sheet_pdf_prints_the_uri_and_the_vietnamese_text(layout):
    pdf = PdfReader(io.BytesIO(sheet_pdf(_text(URIS[0]), layout, count=2)))

    (page,) = pdf.pages
    text = page.extract_text()
    assert text.count(URIS[0]) == 2
    assert "Rau cải ngọt Hà Nha" in text
    assert re.search(r"Thu hoạch: \d\d/\d\d/\d{4}", text)
