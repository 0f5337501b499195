import pytest

from ntm.traceability.digital_link import (
    DigitalLinkError,
    lot_path,
    lot_uri,
    parse,
)

# Examples from the GS1 Digital Link standard (URI syntax 1.2 and its
# earlier editions) and GS1's resolver documentation.
GS1_EXAMPLES = [
    ("https://id.gs1.org/01/09506000134352", "01", "09506000134352", {}),
    (
        "https://id.gs1.org/01/09520123456788/10/ABC123/21/12345?17=180426",
        "01",
        "09520123456788",
        {"10": "ABC123", "21": "12345"},
    ),
    (
        "https://example.com/01/09506000134376/22/2A/10/ABC123/21/12345",
        "01",
        "09506000134376",
        {"22": "2A", "10": "ABC123", "21": "12345"},
    ),
    (
        "https://example.com/01/09506000134352/10/ABC%2F123",
        "01",
        "09506000134352",
        {"10": "ABC/123"},
    ),
    ("https://example.com/gs1/01/09506000134352", "01", "09506000134352", {}),
    ("https://id.gs1.org/414/9520123456788", "414", "9520123456788", {}),
    (
        "https://id.gs1.org/414/9520123456788/254/32a%2Fb",
        "414",
        "9520123456788",
        {"254": "32a/b"},
    ),
    ("https://id.gs1.org/00/106141412345678908", "00", "106141412345678908", {}),
    (
        "https://id.gs1.org/01/09506000134352?linkType=gs1:pip",
        "01",
        "09506000134352",
        {},
    ),
    (
        "http://id.gs1.org/01/00614141123452/21/XYZ",
        "01",
        "00614141123452",
        {"21": "XYZ"},
    ),
]


@pytest.mark.parametrize(("uri", "key", "value", "qualifiers"), GS1_EXAMPLES)
def test_parse_accepts_gs1s_published_examples(uri, key, value, qualifiers):
    link = parse(uri)

    assert (link.key, link.value, link.qualifiers) == (key, value, qualifiers)


def test_parse_reads_data_attributes_and_other_query_keys():
    link = parse(
        "https://id.gs1.org/01/09520123456788/10/ABC123?17=180426&3103=000195"
        "&linkType=gs1:traceability"
    )

    assert link.gtin == "09520123456788"
    assert link.lot == "ABC123"
    assert link.attributes == {"17": "180426", "3103": "000195"}
    assert link.other == {"linkType": "gs1:traceability"}


@pytest.mark.parametrize(
    ("uri", "reason"),
    [
        # Check digit 2 changed to 3.
        ("https://id.gs1.org/01/09506000134353", "Số kiểm tra"),
        ("https://id.gs1.org/414/9520123456789", "Số kiểm tra"),
        # GTIN-13 written without its leading zero, and a zero-suppressed UPC-E.
        ("https://id.gs1.org/01/9506000134352", "14 chữ số"),
        ("https://id.gs1.org/01/01234565", "14 chữ số"),
        # 99x is no AI; 23 is not assigned.
        ("https://id.gs1.org/01/09506000134352/999/ABC", "không có trong GS1"),
        ("https://id.gs1.org/01/09506000134352?23=1", "không có trong GS1"),
        # Qualifiers out of order, or not qualifiers of this key.
        ("https://id.gs1.org/01/09506000134352/21/12345/10/ABC", "không phải bộ"),
        ("https://id.gs1.org/414/9520123456788/10/ABC", "không phải bộ"),
        # A key qualifier belongs in the path, not the query.
        ("https://id.gs1.org/01/09506000134352?10=ABC", "phần truy vấn"),
        # A lot longer than 20 characters; a bad date attribute.
        ("https://id.gs1.org/01/09506000134352/10/" + "A" * 21, "không hợp lệ"),
        ("https://id.gs1.org/01/09506000134352?17=2026-01-01", "không hợp lệ"),
        ("https://id.gs1.org/01/09506000134352/10", "đi kèm một giá trị"),
        ("https://id.gs1.org/gtin/09506000134352", "Không thấy khóa chính"),
        ("ftp://id.gs1.org/01/09506000134352", "http"),
    ],
)
def test_parse_refuses_malformed_links_with_the_reason(uri, reason):
    with pytest.raises(DigitalLinkError, match=reason):
        parse(uri)


def test_our_gtin_links_are_gs1_digital_links():
    uri = lot_uri(
        "https://truyxuat.example.vn/", gtin="08930000000019", local_id="", lot="HN-1"
    )

    link = parse(uri)

    assert uri == "https://truyxuat.example.vn/01/08930000000019/10/HN-1"
    assert (link.gtin, link.lot) == ("08930000000019", "HN-1")


def test_our_local_links_keep_the_shape_but_are_never_read_as_a_gtin():
    path = lot_path(gtin="", local_id="LABCDEFGH2", lot="HN-1")

    assert path == "/sp/LABCDEFGH2/10/HN-1"
    with pytest.raises(DigitalLinkError, match="Không thấy khóa chính"):
        parse("https://truyxuat.example.vn" + path)
