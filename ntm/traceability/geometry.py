"""Growing-area boundaries: read from a file (GeoJSON, KML, Shapefile) or the
map, measured on the ellipsoid.

Areas are computed with ``pyproj.Geod(ellps="WGS84")`` (Karney's geodesic
polygon area), not in degrees or a projected plane: a hectare is a hectare
wherever the area lies.
"""

import json
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from pyproj import Geod
from shapely.errors import ShapelyError
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.ops import unary_union

from ntm.units.geometry import GeometryError, read_features
from ntm.units.layers import read_layer

GEOD = Geod(ellps="WGS84")
# Vietnam's extent with a margin: a boundary outside it has its
# coordinates swapped or in a projected system.
VIETNAM = (101.0, 7.0, 118.0, 24.0)


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


def read_boundary(content, filename="", *, crs=None):
    """A (multi)polygon from an uploaded GeoJSON, KML or zipped Shapefile.

    Read by the one layer reader (``ntm.units.layers``), in WGS 84 or VN-2000
    (``crs``, or what the file declares). Several polygons in the file make
    one MultiPolygon (a growing area may be several plots). An invalid ring
    is refused, not repaired: the area's extent is what its code certifies,
    so the producer redraws it. Refuses files without polygons and
    coordinates outside Vietnam.
    """
    features = read_layer(content, filename, crs=crs, repair=False)
    return clean_boundary([feature.geometry for feature in features])


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
