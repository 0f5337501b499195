"""GS1 Digital Link URIs: the links our QR codes carry, and a parser for any.

A lot of a product with a GTIN is ``https://<host>/01/<GTIN-14>/10/<lot>``
(GS1 Digital Link 1.2: primary key 01, qualifier 10). A product without a
GTIN (most small producers have no GS1 company prefix) gets the same shape
under a first segment that is not a GS1 Application Identifier:
``https://<host>/sp/<local id>/10/<lot>``. GS1 resolvers and parsers look
for numeric AIs, so they never read ``sp/…`` as a GTIN (``parse`` itself
refuses it); our own URLs serve both. See docs/decisions.md.

``parse`` accepts the URI forms of the GS1 Digital Link standard: any host
and path prefix, a primary key with its check digit, its qualifiers in the
standard order, and data attributes in the query string; it refuses a wrong
check digit, a GTIN that is not written with 14 digits (zero-suppressed or
short forms), unknown AIs and qualifiers out of place.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from django.utils.translation import gettext as _

from ntm.ocop.gs1 import has_valid_check_digit

LOCAL_SEGMENT = "sp"
# Lots we issue use a URL-safe subset of GS1's character set 82.
LOT_PATTERN = re.compile(r"^[A-Za-z0-9-]{1,20}$")
LOCAL_ID_PATTERN = re.compile(r"^L[A-Z2-7]{9}$")
# GS1 character set 82 (GS1 General Specifications, figure 7.11-1).
CSET82 = re.compile(r"^[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$")


@dataclass(frozen=True)
class AI:
    """An Application Identifier: its name, value pattern and check digit.

    ``check_length`` is how many leading digits carry a mod-10 check digit
    (the whole value when it equals the length).
    """

    code: str
    title: str
    pattern: str
    check_length: int = 0


def _ai(code, title, pattern, check_length=0):
    return code, AI(code, title, pattern, check_length)


_X = r"[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]"
AIS = dict(
    [
        _ai("00", "SSCC", r"\d{18}", 18),
        _ai("01", "GTIN", r"\d{14}", 14),
        _ai("10", "BATCH/LOT", _X + "{1,20}"),
        _ai("11", "PROD DATE", r"\d{6}"),
        _ai("13", "PACK DATE", r"\d{6}"),
        _ai("15", "BEST BEFORE", r"\d{6}"),
        _ai("16", "SELL BY", r"\d{6}"),
        _ai("17", "USE BY / EXPIRY", r"\d{6}"),
        _ai("21", "SERIAL", _X + "{1,20}"),
        _ai("22", "CPV", _X + "{1,20}"),
        _ai("235", "TPX", _X + "{1,28}"),
        _ai("253", "GDTI", r"\d{13}" + _X + "{0,17}", 13),
        _ai("254", "GLN EXTENSION", _X + "{1,20}"),
        _ai("255", "GCN", r"\d{13}\d{0,12}", 13),
        _ai("30", "VAR. COUNT", r"\d{1,8}"),
        _ai("37", "COUNT", r"\d{1,8}"),
        _ai("401", "GINC", _X + "{1,30}"),
        _ai("402", "GSIN", r"\d{17}", 17),
        _ai("414", "LOC No.", r"\d{13}", 13),
        _ai("417", "PARTY", r"\d{13}", 13),
        _ai("422", "ORIGIN", r"\d{3}"),
        _ai("7040", "UIC+EXT", r"\d[!-~]{3}"),
        _ai("8003", "GRAI", r"\d{14}" + _X + "{0,16}", 14),
        _ai("8004", "GIAI", _X + "{1,30}"),
        _ai("8006", "ITIP", r"\d{18}", 14),
        _ai("8010", "CPID", r"[#\-/0-9A-Z]{1,30}"),
        _ai("8011", "CPID SERIAL", r"\d{1,12}"),
        _ai("8013", "GMN", _X + "{1,25}"),
        _ai("8017", "GSRN - PROVIDER", r"\d{18}", 18),
        _ai("8018", "GSRN - RECIPIENT", r"\d{18}", 18),
        _ai("8019", "SRIN", r"\d{1,10}"),
    ]
)
# Net weights and measures, 310n–369n: six digits, n decimals.
MEASURE_AI = re.compile(r"^3[1-6]\d\d$")
# Company-internal information, 91–99.
INTERNAL_AI = re.compile(r"^9[1-9]$")

# Primary keys and the qualifier sequences allowed after them, in order
# (GS1 Digital Link standard 1.2, table of key qualifiers).
QUALIFIERS = {
    "01": [("22", "10", "21"), ("235",)],
    "8006": [("22", "10", "21")],
    "414": [("254",), ("7040",)],
    "417": [("7040",)],
    "8010": [("8011",)],
    "8017": [("8019",)],
    "8018": [("8019",)],
    "00": [],
    "253": [],
    "255": [],
    "401": [],
    "402": [],
    "8003": [],
    "8004": [("7040",)],
    "8013": [],
}


class DigitalLinkError(ValueError):
    """A URI that is not a valid GS1 Digital Link URI, with the reason."""


@dataclass(frozen=True)
class DigitalLink:
    key: str  # the primary key's AI, "01"
    value: str
    qualifiers: dict = field(default_factory=dict)  # AI: value, in path order
    attributes: dict = field(default_factory=dict)  # AI: value from the query
    other: dict = field(default_factory=dict)  # linkType and other non-AI keys

    @property
    def gtin(self):
        return self.value if self.key == "01" else None

    @property
    def lot(self):
        return self.qualifiers.get("10")


def ai_definition(code):
    if code in AIS:
        return AIS[code]
    if MEASURE_AI.match(code):
        return AI(code, "MEASURE", r"\d{6}")
    if INTERNAL_AI.match(code):
        return AI(code, "INTERNAL", _X + "{1,90}")
    return None


def check_value(code, value):
    """Raise DigitalLinkError unless ``value`` is valid for AI ``code``."""
    definition = ai_definition(code)
    if definition is None:
        raise DigitalLinkError(_("Mã AI “%(ai)s” không có trong GS1.") % {"ai": code})
    if code == "01" and value.isdigit() and len(value) != 14:
        raise DigitalLinkError(
            _(
                "GTIN trong GS1 Digital Link phải viết đủ 14 chữ số "
                "(thêm số 0 ở đầu), không phải %(n)d chữ số."
            )
            % {"n": len(value)}
        )
    if not re.fullmatch(definition.pattern, value):
        raise DigitalLinkError(
            _("Giá trị “%(value)s” không hợp lệ cho AI (%(ai)s) %(title)s.")
            % {"value": value, "ai": code, "title": definition.title}
        )
    if definition.check_length and not has_valid_check_digit(
        value[: definition.check_length]
    ):
        raise DigitalLinkError(
            _("Số kiểm tra của %(title)s %(value)s không đúng.")
            % {"title": definition.title, "value": value[: definition.check_length]}
        )


def parse(uri):
    """The DigitalLink in ``uri``, or DigitalLinkError with the reason."""
    parts = urlsplit(uri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DigitalLinkError(_("Đường dẫn phải bắt đầu bằng http:// hoặc https://."))
    segments = [unquote(s) for s in parts.path.split("/") if s != ""]
    if parts.path.endswith("/") and segments:
        raise DigitalLinkError(_("Đường dẫn không được kết thúc bằng dấu “/”."))
    start = next(
        (
            i
            for i in range(len(segments) - 1)
            if segments[i] in QUALIFIERS and ai_definition(segments[i])
        ),
        None,
    )
    if start is None:
        raise DigitalLinkError(
            _(
                "Không thấy khóa chính GS1 (01 GTIN, 414 GLN, 00 SSCC …) "
                "trong đường dẫn."
            )
        )
    key, value = segments[start], segments[start + 1]
    check_value(key, value)
    rest = segments[start + 2 :]
    if len(rest) % 2:
        raise DigitalLinkError(_("Mỗi mã AI trong đường dẫn phải đi kèm một giá trị."))
    pairs = list(zip(rest[::2], rest[1::2], strict=True))
    for code, _value in pairs:
        if ai_definition(code) is None:
            raise DigitalLinkError(
                _("Mã AI “%(ai)s” không có trong GS1.") % {"ai": code}
            )
    codes = tuple(code for code, _value in pairs)
    if codes and not any(
        _is_ordered_subsequence(codes, allowed) for allowed in QUALIFIERS[key]
    ):
        raise DigitalLinkError(
            _("Các mã AI %(codes)s không phải bộ định danh phụ hợp lệ của (%(key)s).")
            % {"codes": ", ".join(codes), "key": key}
        )
    qualifiers = {}
    for code, qualifier in pairs:
        check_value(code, qualifier)
        qualifiers[code] = qualifier
    attributes, other = {}, {}
    path_only = {code for allowed in QUALIFIERS[key] for code in allowed}
    for name, data in parse_qsl(parts.query, keep_blank_values=True):
        if name.isdigit():
            if name in QUALIFIERS or name in path_only:
                raise DigitalLinkError(
                    _("AI (%(ai)s) không được đặt trong phần truy vấn.") % {"ai": name}
                )
            check_value(name, data)
            attributes[name] = data
        else:
            other[name] = data
    return DigitalLink(key, value, qualifiers, attributes, other)


def _is_ordered_subsequence(codes, allowed):
    position = 0
    for code in codes:
        try:
            position = allowed.index(code, position) + 1
        except ValueError:
            return False
    return True


# -- our links -------------------------------------------------------------


def lot_path(*, gtin, local_id, lot):
    """The path of a lot: ``/01/<gtin>/10/<lot>`` or ``/sp/<local id>/10/<lot>``."""
    if gtin:
        return f"/01/{gtin}/10/{quote(lot, safe='')}"
    return f"/{LOCAL_SEGMENT}/{local_id}/10/{quote(lot, safe='')}"


def lot_uri(base, *, gtin, local_id, lot):
    return base.rstrip("/") + lot_path(gtin=gtin, local_id=local_id, lot=lot)


def is_lot_number(text):
    return bool(LOT_PATTERN.match(text or ""))
