import json
import math
from decimal import Decimal

import pytest
from shapely.geometry import box

from ntm.traceability.geometry import GeometryError, hectares, read_boundary

# WGS84: semi-major axis and flattening.
A = 6378137.0
F = 1 / 298.257223563


def test_hectares_matches_a_hand_computed_box_within_half_a_percent():
    # A 0.01° × 0.01° box at 15.85–15.86° N. By hand, with the ellipsoid's
    # radii of curvature at the middle latitude φ = 15.855°:
    #   e² = f(2 − f) = 0.00669438;  w = 1 − e² sin²φ
    #   M = a(1 − e²) / w^1.5 = 6 340 190.7 m  (north–south)
    #   N = a / w^0.5          = 6 379 731.1 m  (east–west)
    #   area = M·Δφ · N·cos φ·Δλ = 1 106.6 m × 1 071.1 m = 1 185 263 m²
    #        = 118.53 ha
    phi = math.radians(15.855)
    e2 = F * (2 - F)
    w = 1 - e2 * math.sin(phi) ** 2
    meridian = A * (1 - e2) / w**1.5
    normal = A / w**0.5
    by_hand = (
        meridian * math.radians(0.01) * normal * math.cos(phi) * math.radians(0.01)
    )
    assert round(by_hand / 10_000, 2) == 118.53

    measured = hectares(box(108.10, 15.85, 108.11, 15.86))

    assert abs(float(measured) - 118.53) / 118.53 < 0.005


def test_hectares_of_a_polygon_with_a_hole_subtracts_it():
    outer = box(108.10, 15.85, 108.11, 15.86)
    hole = box(108.102, 15.852, 108.104, 15.854)

    measured = hectares(outer.difference(hole))

    assert measured == hectares(outer) - hectares(hole)
    assert measured < Decimal("118.53")


def test_read_boundary_reads_geojson_features_and_bare_geometries():
    polygon = {
        "type": "Polygon",
        "coordinates": [
            [[108.1, 15.85], [108.11, 15.85], [108.11, 15.86], [108.1, 15.85]]
        ],
    }
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": polygon}],
    }

    bare = read_boundary(json.dumps(polygon).encode(), "vung.geojson")
    featured = read_boundary(json.dumps(collection).encode(), "vung.json")

    assert bare.equals(featured)
    assert bare.geom_type == "Polygon"


def test_read_boundary_reads_kml_with_two_plots_as_one_multipolygon():
    kml = b"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><name>Thua 1</name><Polygon><outerBoundaryIs><LinearRing><coordinates>
108.10,15.85,0 108.101,15.85,0 108.101,15.851,0 108.10,15.851,0 108.10,15.85,0
</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
<Placemark><name>Thua 2</name><Polygon><outerBoundaryIs><LinearRing><coordinates>
108.11,15.85 108.111,15.85 108.111,15.851 108.11,15.85
</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
</Document></kml>"""

    geometry = read_boundary(kml, "vung.kml")

    assert geometry.geom_type == "MultiPolygon"
    assert len(geometry.geoms) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "không phải GeoJSON"),
        (b'{"type": "Point", "coordinates": [108.1, 15.8]}', "Không có vùng"),
        (
            # Latitude and longitude swapped: lands in the Arctic Ocean.
            b'{"type": "Polygon", "coordinates": '
            b"[[[15.85, 108.1], [15.86, 108.1], [15.86, 108.11], [15.85, 108.1]]]}",
            "ngoài lãnh thổ",
        ),
        (
            # A bow tie crosses itself.
            b'{"type": "Polygon", "coordinates": [[[108.1, 15.85], [108.11, 15.86], '
            b"[108.11, 15.85], [108.1, 15.86], [108.1, 15.85]]]}",
            "tự cắt",
        ),
    ],
)
def test_read_boundary_refuses_bad_files_with_a_reason(content, message):
    with pytest.raises(GeometryError, match=message):
        read_boundary(content, "vung.geojson")
