"""Geometry for units: approximate demo cells, GeoJSON import, points inside."""

import json

import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import ProjError
from shapely import voronoi_polygons
from shapely.errors import ShapelyError
from shapely.geometry import MultiPoint, Point, box, mapping, shape
from shapely.ops import unary_union

WGS84 = CRS.from_epsg(4326)


def voronoi_cells(points, bounds):
    """One cell per (key, lon, lat) point, clipped to ``bounds`` (a bbox)."""
    frame = box(*bounds)
    cells = voronoi_polygons(MultiPoint([Point(lon, lat) for _, lon, lat in points]))
    result = {}
    for key, lon, lat in points:
        here = Point(lon, lat)
        cell = next(c for c in cells.geoms if c.covers(here))
        result[key] = cell.intersection(frame)
    return result


def union(geometries):
    return unary_union(list(geometries))


def to_geojson(geometry):
    return json.loads(json.dumps(mapping(geometry)))


def from_geojson(geometry):
    return shape(geometry)


class GeometryError(ValueError):
    """A GeoJSON document that cannot be read as features with geometries."""


def read_features(data):
    """The features of a GeoJSON document, reprojected to WGS84 when it names a CRS.

    Returns (properties, shape) pairs; raises GeometryError for a document
    that is not GeoJSON, names an unknown CRS, or has a feature without a
    usable geometry.
    """
    try:
        return list(_read_features(data))
    except (
        AttributeError,
        KeyError,
        TypeError,
        ValueError,
        ShapelyError,
        ProjError,
    ) as e:
        raise GeometryError(str(e) or e.__class__.__name__) from e


def _read_features(data):
    crs_name = (data.get("crs") or {}).get("properties", {}).get("name")
    transformer = None
    if crs_name:
        source = CRS.from_user_input(crs_name)
        if source != WGS84:
            transformer = Transformer.from_crs(source, WGS84, always_xy=True)
    features = data["features"] if data.get("type") == "FeatureCollection" else [data]
    for feature in features:
        geometry = shape(feature["geometry"])
        if transformer is not None:
            geometry = shapely.transform(
                geometry, transformer.transform, interleaved=False
            )
        yield feature.get("properties") or {}, geometry


def random_point_in(geometry, rng, near=None, spread=0.01):
    """A reproducible point inside ``geometry``, around ``near`` when given."""
    minx, miny, maxx, maxy = geometry.bounds
    for _ in range(200):
        if near is not None:
            candidate = Point(rng.gauss(near[0], spread), rng.gauss(near[1], spread))
        else:
            candidate = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if geometry.contains(candidate):
            return candidate
    return geometry.representative_point()
