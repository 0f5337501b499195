"""Growing-area boundaries: read from GeoJSON, KML or the map, measured on the
ellipsoid.

Areas are computed with ``pyproj.Geod(ellps="WGS84")`` (Karney's geodesic
polygon area), not in degrees or a projected plane: a hectare is a hectare
wherever the area lies.
"""

import json
import xml.etree.ElementTree as ET
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from pyproj import Geod
from shapely.errors import ShapelyError
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.ops import unary_union

from ntm.units.geometry import GeometryError, read_features

GEOD = Geod(ellps="WGS84")
# Vietnam's extent with a margin: a boundary outside it has its
# coordinates swapped or in a projected system.
VIETNAM = (101.0, 7.0, 118.0, 24.0)
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
KML_NS = "{http://www.opengis.net/kml/2.2}"


def hectares(geometry):
    """The geodesic area of a (multi)polygon in hectares, 4 decimals."""
    area, _perimeter = GEOD.geometry_area_perimeter(geometry)
    return Decimal(abs(area) / 10_000).quantize(
        Decimal("0.0001"), rounding=ROUND_HALF_UP
    )


def to_geojson(geometry):
    return json.loads(json.dumps(mapping(geometry)))


def from_geojson(data):
    return shape(data)


def read_boundary(content, filename=""):
    """A (multi)polygon from an uploaded GeoJSON or KML file, or GeometryError.

    Several polygons in the file make one MultiPolygon (a growing area may
    be several plots). Refuses files without polygons, invalid rings and
    coordinates outside Vietnam.
    """
    if len(content) > MAX_UPLOAD_BYTES:
        raise GeometryError(_("Tệp lớn hơn 2 MB."))
    text = content.decode("utf-8-sig", errors="replace").lstrip()
    if filename.lower().endswith(".kml") or text.startswith("<"):
        polygons = _kml_polygons(text)
    else:
        try:
            data = json.loads(text)
        except ValueError as error:
            raise GeometryError(_("Tệp không phải GeoJSON hoặc KML.")) from error
        if isinstance(data, dict) and data.get("type") not in (
            "Feature",
            "FeatureCollection",
        ):
            data = {"type": "Feature", "properties": {}, "geometry": data}
        polygons = [geometry for _props, geometry in read_features(data)]
    return clean_boundary(polygons)


def read_drawn(text):
    """The geometry posted by the map's draw tool (a GeoJSON geometry)."""
    try:
        data = json.loads(text)
        if data.get("type") == "Feature":
            data = data["geometry"]
        if data.get("type") == "FeatureCollection":
            return clean_boundary(
                [geometry for _props, geometry in read_features(data)]
            )
        return clean_boundary([shape(data)])
    except (AttributeError, KeyError, TypeError, ValueError, ShapelyError) as e:
        if isinstance(e, GeometryError):
            raise
        raise GeometryError(_("Hình vẽ trên bản đồ không đọc được.")) from e


def clean_boundary(geometries):
    polygons = []
    for geometry in geometries:
        if isinstance(geometry, Polygon):
            polygons.append(geometry)
        elif isinstance(geometry, MultiPolygon):
            polygons.extend(geometry.geoms)
    if not polygons:
        raise GeometryError(_("Không có vùng (đa giác) nào trong tệp."))
    for polygon in polygons:
        if not polygon.is_valid:
            raise GeometryError(
                _("Đa giác tự cắt hoặc không khép kín; hãy vẽ lại ranh giới.")
            )
    merged = unary_union(polygons)
    west, south, east, north = merged.bounds
    if (
        west < VIETNAM[0]
        or south < VIETNAM[1]
        or east > VIETNAM[2]
        or (north > VIETNAM[3])
    ):
        raise GeometryError(
            _(
                "Tọa độ nằm ngoài lãnh thổ Việt Nam: cần kinh độ, vĩ độ WGS84 "
                "(kiểm tra thứ tự kinh độ – vĩ độ)."
            )
        )
    return merged


def _kml_polygons(text):
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        raise GeometryError(_("Tệp KML không đọc được.")) from error
    polygons = []
    for element in root.iter():
        if _local(element.tag) != "Polygon":
            continue
        outer = [
            _ring(ring)
            for boundary in element
            if _local(boundary.tag) == "outerBoundaryIs"
            for ring in boundary.iter()
            if _local(ring.tag) == "coordinates"
        ]
        inner = [
            _ring(ring)
            for boundary in element
            if _local(boundary.tag) == "innerBoundaryIs"
            for ring in boundary.iter()
            if _local(ring.tag) == "coordinates"
        ]
        if outer:
            polygons.append(Polygon(outer[0], inner))
    return polygons


def _ring(element):
    points = []
    for item in (element.text or "").split():
        values = item.split(",")
        try:
            points.append((float(values[0]), float(values[1])))
        except (IndexError, ValueError) as error:
            raise GeometryError(_("Tọa độ trong KML không hợp lệ.")) from error
    if len(points) < 4:
        raise GeometryError(_("Một vòng ranh giới trong KML có ít hơn 4 điểm."))
    return points


def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
