"""The rules of a household's facts, one copy for the form, the API and the
Excel import: the same input is refused everywhere with the same message.

Each rule raises ``ValidationError`` with a Vietnamese message; the form
attaches it to its field, the import to the row.
"""

import re
from decimal import Decimal

import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.errors import ShapelyError
from shapely.geometry import Point, shape

from ntm.units.models import Unit

# Whole-number facts and the values a household can have. A village head
# types them on a phone: 50 is a large household, not a typo to store.
COUNTS = {
    "members": (1, 50),
    "smartphones": (0, 50),
    "health_app_members": (0, 50),
}
# Mobile numbers have ten digits (03, 05, 07, 08, 09), landlines eleven
# (02 and the province's code: 0235 for Quảng Nam); +84 stands for the 0.
PHONE = re.compile(r"0(?:[35789]\d{8}|2\d{9})")
PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
MARKUP = re.compile(r"[<>\x00-\x1f\x7f]")
# Where a point may lie when no boundary of the commune or the district is
# on record: mainland Việt Nam and its near islands (latitude, longitude).
VIETNAM = (Decimal(8), Decimal(24), Decimal(102), Decimal(110))
# A point this far outside a boundary (in degrees, about 1 km and 100 m) is
# still accepted: drawn boundaries are approximate, a GPS reading is not
# exact, and a house on the edge belongs to the commune.
TOLERANCE = {True: 0.01, False: 0.001}


def check_count(name, value, *, label):
    """``value`` within the range of the count ``name`` (COUNTS)."""
    low, high = COUNTS[name]
    if value is not None and not low <= value <= high:
        raise ValidationError(count_message(name, label))


class CountRange:
    """A form field's validator: ``check_count`` with the field's label."""

    def __init__(self, name, label):
        self.name, self.label = name, label

    def __call__(self, value):
        check_count(self.name, value, label=self.label)


def count_message(name, label):
    low, high = COUNTS[name]
    return _("%(column)s phải là số nguyên từ %(low)s đến %(high)s.") % {
        "column": label,
        "low": low,
        "high": high,
    }


def clean_phone(text):
    """A Vietnamese phone number written with digits only ("0905123456").

    Spaces, dots, dashes and brackets are dropped and +84 becomes 0; an
    empty value stays empty.
    """
    digits = PHONE_SEPARATORS.sub("", text or "")
    if not digits:
        return ""
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not PHONE.fullmatch(digits):
        raise ValidationError(
            _(
                "Số điện thoại “%(value)s” không đúng: số di động có 10 chữ số"
                " (ví dụ 0905 123 456), số cố định 11 chữ số (ví dụ 0235 3"
                "812 345)."
            )
            % {"value": text}
        )
    return digits


def check_plain_text(text, *, label):
    """Refuse markup and control characters in a name or an address."""
    if text and MARKUP.search(text):
        raise ValidationError(
            _("%(column)s không được chứa các ký tự < > hay ký tự điều khiển.")
            % {"column": label}
        )


class MapArea:
    """Where the map points of households may lie, commune by commune.

    A point must be inside its village's commune, read from the commune's
    boundary (or the district's, when the commune has none on record); with
    no boundary at all, inside Việt Nam. Boundaries are read once per
    commune, so an import checks thousands of points with a few queries.
    """

    def __init__(self):
        self._areas = {}

    def check(self, village, lat, lon):
        """Raise ValidationError unless (lat, lon) may be ``village``'s point."""
        if lat is None and lon is None:
            return
        if lat is None or lon is None:
            raise ValidationError(
                _("Nhập cả vĩ độ và kinh độ của hộ, hoặc để trống cả hai.")
            )
        name, geometry = self._area(village)
        if geometry is None:
            low_lat, high_lat, low_lon, high_lon = VIETNAM
            inside = low_lat <= lat <= high_lat and low_lon <= lon <= high_lon
        else:
            inside = geometry.covers(Point(float(lon), float(lat)))
        if not inside:
            raise ValidationError(
                _(
                    "Điểm trên bản đồ (vĩ độ %(lat)s, kinh độ %(lon)s) nằm ngoài"
                    " %(area)s; kiểm tra lại vĩ độ và kinh độ (có thể đã viết"
                    " đổi chỗ cho nhau)."
                )
                % {"lat": _written(lat), "lon": _written(lon), "area": name}
            )

    def load(self, villages):
        """Read the boundaries of ``villages``' communes and districts at once."""
        wanted = {v.parent_id for v in villages if v.parent_id not in self._areas}
        if not wanted:
            return
        communes = {
            pk: (name, boundary, approximate, parent_id)
            for pk, name, boundary, approximate, parent_id in Unit.objects.filter(
                pk__in=wanted
            ).values_list("pk", "name", "boundary", "boundary_is_approximate", "parent")
        }
        parents = {row[3] for row in communes.values() if not row[1] and row[3]}
        districts = {
            pk: (name, boundary, approximate)
            for pk, name, boundary, approximate in Unit.objects.filter(
                pk__in=parents
            ).values_list("pk", "name", "boundary", "boundary_is_approximate")
        }
        for pk in wanted:
            name, boundary, approximate, parent_id = communes.get(
                pk, ("", None, True, None)
            )
            if not boundary and parent_id in districts:
                name, boundary, approximate = districts[parent_id]
            geometry = _geometry(boundary, approximate)
            self._areas[pk] = (name if geometry else _("lãnh thổ Việt Nam"), geometry)

    def _area(self, village):
        if village.parent_id not in self._areas:
            self.load([village])
        return self._areas[village.parent_id]


def check_point(village, lat, lon):
    """One household's map point (the form's check; imports keep a MapArea)."""
    MapArea().check(village, lat, lon)


def _written(number):
    """15.850000 as "15,85": the figure as people type it. A float (tourism
    sites, layer imports) is read as its shortest text, not its binary value
    (Decimal(21.03) is 21.0300000000000011368…)."""
    return f"{Decimal(str(number)).normalize():f}".replace(".", ",")


def _geometry(boundary, approximate):
    if not boundary:
        return None
    try:
        geometry = shape(boundary).buffer(TOLERANCE[bool(approximate)])
    except (ShapelyError, KeyError, TypeError, ValueError, AttributeError):
        # A boundary that cannot be read leaves the coarser check in place.
        return None
    shapely.prepare(geometry)
    return geometry
