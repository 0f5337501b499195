"""Spatial layers from files: GeoJSON, KML and zipped Shapefile, in WGS 84 or
VN-2000, read into WGS 84 features. The one reader of every import of shapes
(unit boundaries, growing areas).

VN-2000 files are in a TM-3 zone (transverse Mercator, scale 0.9999, false
easting 500 km) on the province's central meridian, 107°45′ for Quảng Nam
and Đà Nẵng; they are moved to WGS 84 with the seven parameters published
with the datum (Decision 05/2007/QĐ-BTNMT). A GeoJSON ``crs`` member or a
Shapefile's ``.prj`` names the system when the person importing does not.

Every feature is checked on its own: one without a usable shape, outside
Việt Nam, or invalid (a ring that crosses itself) is named with the reason;
invalid shapes are repaired with ``shapely.make_valid`` when the caller
allows it. A file with any refused feature is refused whole (``LayerError``
lists them all), so an import saves all of a file or nothing.
"""

import io
import json
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import shapefile
import shapely
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError, ProjError
from shapely.errors import ShapelyError
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiPolygon,
    Point,
    Polygon,
    shape,
)
from shapely.validation import explain_validity

from .geometry import WGS84, GeometryError

# Seven-parameter shift VN-2000 -> WGS 84 (Decision 05/2007/QĐ-BTNMT).
VN2000_TOWGS84 = (
    "-191.90441429,-39.30318279,-111.45032835,"
    "-0.00928836,0.01975479,-0.00427372,0.252906278"
)


def vn2000_tm3(meridian):
    """VN-2000 in the TM-3 zone of ``meridian`` (decimal degrees)."""
    return CRS.from_proj4(
        f"+proj=tmerc +lat_0=0 +lon_0={meridian} +k=0.9999 +x_0=500000 +y_0=0"
        f" +ellps=WGS84 +towgs84={VN2000_TOWGS84} +units=m +no_defs"
    )


def vn2000_utm(zone):
    return CRS.from_proj4(
        f"+proj=utm +zone={zone} +ellps=WGS84 +towgs84={VN2000_TOWGS84}"
        " +units=m +no_defs"
    )


# The systems a person may pick when importing ("" = as the file says).
SYSTEMS = {
    "wgs84": (gettext_lazy("WGS 84 (kinh độ, vĩ độ)"), lambda: WGS84),
    "vn2000-107.75": (
        gettext_lazy("VN-2000 TM-3, kinh tuyến trục 107°45′ (Quảng Nam, Đà Nẵng)"),
        lambda: vn2000_tm3(107.75),
    ),
    "vn2000-utm48": (gettext_lazy("VN-2000 UTM múi 48"), lambda: vn2000_utm(48)),
    "vn2000-utm49": (gettext_lazy("VN-2000 UTM múi 49"), lambda: vn2000_utm(49)),
}
SYSTEM_CHOICES = [
    ("", gettext_lazy("Theo khai báo trong tệp (không có: WGS 84)")),
    *((key, label) for key, (label, _crs) in SYSTEMS.items()),
]
# Việt Nam with a margin (west, south, east, north): a shape outside it was
# read in the wrong system or with longitude and latitude swapped.
VIETNAM = (101.0, 7.0, 118.0, 24.0)
KML_NS = "{http://www.opengis.net/kml/2.2}"
# Properties that name a feature in messages, first found wins.
NAME_KEYS = ("ma", "code", "ma_vung", "name", "ten", "Name", "TEN", "MA")


class LayerError(GeometryError):
    """A file that cannot be imported; ``problems`` names each refused feature."""

    def __init__(self, message, problems=()):
        self.problems = list(problems)
        if self.problems:
            message = f"{message} " + "; ".join(self.problems)
        super().__init__(message)


@dataclass
class Feature:
    number: int  # 1-based, in file order
    properties: dict
    geometry: object  # shapely, WGS 84
    repaired: str = ""  # why the shape was repaired, if it was

    @property
    def label(self):
        return feature_label(self.number, self.properties)


def feature_label(number, properties):
    """ "#3 (ma=20515)": how messages name a feature."""
    for key in NAME_KEYS:
        value = properties.get(key)
        if value not in (None, ""):
            return f"#{number} ({key}={value})"
    return f"#{number}"


def system(key):
    """The CRS picked under ``key`` of SYSTEMS ("" or None: none picked)."""
    if not key:
        return None
    return SYSTEMS[key][1]()


def read_layer(content, filename, *, crs=None, polygons=False, repair=True):
    """The features of an uploaded GeoJSON, KML or zipped Shapefile, in WGS 84.

    ``crs`` (a pyproj CRS, or None) overrides what the file declares. With
    ``polygons``, a feature that is not an area is refused; with ``repair``,
    an invalid shape is made valid (and marked ``repaired``), otherwise it is
    refused. Raises LayerError for a file that cannot be read, or naming
    every refused feature.
    """
    suffix = PurePosixPath(filename or "").suffix.lower()
    if suffix == ".zip":
        kind, (declared, raw) = "Shapefile", _read_shapefile(content)
    elif suffix == ".kml" or content.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        kind, (declared, raw) = "KML", (WGS84, _read_kml(content))
    else:
        kind, (declared, raw) = "GeoJSON", _read_geojson(content)
    source = crs or declared or WGS84
    move = None
    if source != WGS84:
        try:
            move = Transformer.from_crs(source, WGS84, always_xy=True)
        except (CRSError, ProjError) as error:
            raise LayerError(
                _("Hệ tọa độ của tệp không dùng được: %s") % error
            ) from error
    features, problems = [], []
    for number, (properties, geometry, fault) in enumerate(raw, start=1):
        label = feature_label(number, properties)
        if fault or geometry is None or geometry.is_empty:
            problems.append(f"{label}: {fault or _('không có hình')}")
            continue
        if move is not None:
            geometry = shapely.transform(geometry, move.transform, interleaved=False)
        checked, reason = _checked(geometry, polygons=polygons, repair=repair)
        if checked is None:
            problems.append(f"{label}: {reason}")
            continue
        features.append(Feature(number, properties, checked, repaired=reason))
    if problems:
        raise LayerError(
            _("Tệp %(kind)s không nhập được, không có gì được lưu:") % {"kind": kind},
            problems,
        )
    if not features:
        raise LayerError(_("Tệp %(kind)s không có đối tượng nào.") % {"kind": kind})
    return features


def read_geojson_data(data, **options):
    """``read_layer`` for a GeoJSON document already parsed."""
    return read_layer(json.dumps(data).encode(), "layer.geojson", **options)


def _checked(geometry, *, polygons, repair):
    """(geometry, "" or the repair made) or (None, why it is refused)."""
    # An invalid shape that is not an area may become one when repaired.
    not_area = polygons and not isinstance(geometry, Polygon | MultiPolygon)
    if not_area and (geometry.is_valid or not repair):
        return None, _("không phải vùng (đa giác) mà là %s") % geometry.geom_type
    reason = ""
    if not geometry.is_valid:
        why = explain_validity(geometry)
        if not repair:
            return None, _("hình tự cắt hoặc không khép kín (%s)") % why
        geometry = shapely.make_valid(geometry)
        if polygons:
            geometry = _polygonal(geometry)
        if geometry is None or geometry.is_empty:
            return None, _("hình hỏng, không sửa được (%s)") % why
        reason = _("đã sửa hình không hợp lệ (%s)") % why
    west, south, east, north = geometry.bounds
    if (
        west < VIETNAM[0]
        or south < VIETNAM[1]
        or east > VIETNAM[2]
        or north > VIETNAM[3]
    ):
        return None, _(
            "tọa độ nằm ngoài lãnh thổ Việt Nam: kiểm tra hệ tọa độ (WGS 84 hay "
            "VN-2000) và thứ tự kinh độ – vĩ độ"
        )
    return geometry, reason


def _polygonal(geometry):
    if isinstance(geometry, Polygon | MultiPolygon):
        return geometry
    if isinstance(geometry, GeometryCollection):
        parts = [g for g in geometry.geoms if isinstance(g, Polygon | MultiPolygon)]
        if parts:
            return shapely.union_all(parts)
    return None


# -- GeoJSON -------------------------------------------------------------------


def _read_geojson(content):
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise LayerError(_("Tệp không phải GeoJSON hoặc KML.")) from error
    if not isinstance(data, dict):
        raise LayerError(_("Tệp không phải GeoJSON hoặc KML."))
    declared = None
    crs_name = ((data.get("crs") or {}).get("properties") or {}).get("name")
    if crs_name:
        try:
            declared = CRS.from_user_input(crs_name)
        except CRSError as error:
            raise LayerError(
                _("Hệ tọa độ %(crs)s khai báo trong tệp không xác định được.")
                % {"crs": crs_name}
            ) from error
    if data.get("type") == "FeatureCollection":
        items = data.get("features") or []
    elif data.get("type") == "Feature":
        items = [data]
    else:
        items = [{"type": "Feature", "properties": {}, "geometry": data}]
    return declared, [_geojson_feature(item) for item in items]


def _geojson_feature(item):
    if not isinstance(item, dict):
        return {}, None, _("không phải một đối tượng GeoJSON")
    properties = item.get("properties") or {}
    if not item.get("geometry"):
        return properties, None, _("không có hình")
    try:
        return properties, shape(item["geometry"]), ""
    except (AttributeError, KeyError, TypeError, ValueError, ShapelyError) as error:
        return properties, None, _("hình không đọc được (%s)") % error


# -- KML -----------------------------------------------------------------------


def _read_kml(content):
    try:
        root = ET.fromstring(content)
    except ET.ParseError as error:
        raise LayerError(_("Tệp KML không đọc được.")) from error
    rows = []
    for placemark in root.iter(f"{KML_NS}Placemark"):
        properties = {}
        name = placemark.find(f"{KML_NS}name")
        if name is not None and name.text:
            properties["name"] = name.text.strip()
        for data in placemark.iter(f"{KML_NS}Data"):
            value = data.find(f"{KML_NS}value")
            properties[data.get("name")] = value.text if value is not None else ""
        for data in placemark.iter(f"{KML_NS}SimpleData"):
            properties[data.get("name")] = data.text or ""
        try:
            parts = [_kml_shape(element) for element in _kml_geometries(placemark)]
        except ValueError as error:
            rows.append((properties, None, str(error)))
            continue
        if not parts:
            rows.append((properties, None, ""))
        elif len(parts) == 1:
            rows.append((properties, parts[0], ""))
        elif all(isinstance(p, Polygon) for p in parts):
            rows.append((properties, MultiPolygon(parts), ""))
        else:
            rows.append((properties, GeometryCollection(parts), ""))
    return rows


def _kml_geometries(placemark):
    for element in placemark.iter():
        if element.tag in (f"{KML_NS}Polygon", f"{KML_NS}Point", f"{KML_NS}LineString"):
            yield element


def _kml_shape(element):
    if element.tag == f"{KML_NS}Point":
        return Point(_kml_coordinates(element.find(f"{KML_NS}coordinates"))[0])
    if element.tag == f"{KML_NS}LineString":
        return LineString(_kml_coordinates(element.find(f"{KML_NS}coordinates")))
    rings = {"outer": [], "inner": []}
    for side, tag in (("outer", "outerBoundaryIs"), ("inner", "innerBoundaryIs")):
        for boundary in element.findall(f"{KML_NS}{tag}"):
            for coordinates in boundary.iter(f"{KML_NS}coordinates"):
                ring = _kml_coordinates(coordinates)
                if len(ring) < 4:
                    raise ValueError(_("một vòng ranh giới có ít hơn 4 điểm"))
                rings[side].append(ring)
    if not rings["outer"]:
        raise ValueError(_("vùng không có vòng ngoài"))
    return Polygon(rings["outer"][0], rings["inner"])


def _kml_coordinates(element):
    points = []
    for item in ((element.text if element is not None else "") or "").split():
        values = item.split(",")
        try:
            points.append((float(values[0]), float(values[1])))
        except (IndexError, ValueError):
            raise ValueError(_("tọa độ không hợp lệ: %s") % item) from None
    if not points:
        raise ValueError(_("không có tọa độ"))
    return points


# -- Shapefile (zipped) ----------------------------------------------------------


def _read_shapefile(content):
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = {PurePosixPath(n).suffix.lower(): n for n in archive.namelist()}
        shp = [n for n in archive.namelist() if n.lower().endswith(".shp")]
    except zipfile.BadZipFile as error:
        raise LayerError(_("Tệp .zip không mở được.")) from error
    if len(shp) != 1:
        raise LayerError(
            _("Tệp .zip phải chứa đúng một lớp Shapefile (.shp, .shx, .dbf).")
        )
    stem = shp[0][: -len(".shp")]
    parts = {}
    for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        member = next(
            (n for n in archive.namelist() if n.lower() == f"{stem}{suffix}".lower()),
            names.get(suffix) if suffix in (".prj", ".cpg") else None,
        )
        if member is not None:
            parts[suffix] = archive.read(member)
    missing = [s for s in (".shx", ".dbf") if s not in parts]
    if missing:
        raise LayerError(_("Shapefile thiếu tệp %s.") % ", ".join(missing))
    declared = None
    if ".prj" in parts:
        try:
            declared = CRS.from_wkt(parts[".prj"].decode("utf-8", "replace"))
        except CRSError as error:
            raise LayerError(_("Tệp .prj không đọc được hệ tọa độ.")) from error
    encoding = (parts.get(".cpg") or b"utf-8").decode("ascii", "replace").strip()
    try:
        reader = shapefile.Reader(
            shp=io.BytesIO(parts[".shp"]),
            shx=io.BytesIO(parts[".shx"]),
            dbf=io.BytesIO(parts[".dbf"]),
            encoding=encoding or "utf-8",
            encodingErrors="replace",
        )
        count = len(reader)
    except (shapefile.ShapefileException, ValueError, OSError, LookupError) as error:
        raise LayerError(_("Shapefile không đọc được: %s") % error) from error
    rows = []
    for index in range(count):
        try:
            record = reader.record(index).as_dict()
        except Exception as error:  # a damaged row of a file made elsewhere
            rows.append(({}, None, _("bản ghi thuộc tính hỏng (%s)") % error))
            continue
        try:
            found = reader.shape(index)
            geometry = (
                None
                if found.shapeType == shapefile.NULL
                else shape(found.__geo_interface__)
            )
        except Exception as error:  # a damaged shape of a file made elsewhere
            rows.append((record, None, _("hình không đọc được (%s)") % error))
            continue
        rows.append((record, geometry, ""))
    return declared, rows
