"""The one layer reader: GeoJSON, KML, zipped Shapefile; WGS 84 and VN-2000."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pyproj import CRS
from shapely.geometry import Polygon

from ntm.core.uploads import BOUNDARY, check_upload
from ntm.traceability.geometry import read_boundary
from ntm.units import layers
from ntm.units.geometry import GeometryError
from ntm.units.models import Unit
from ntm.units.services import UnitError, import_boundary_file

from ..layers import metres_apart, ring, vn2000, zipped_shapefile

pytestmark = pytest.mark.django_db

# Reference data in WGS 84 (Đại Lộc): a point and a square of about 1 km.
POINT = (108.05, 15.85)
SQUARE = [(108.00, 15.80), (108.01, 15.80), (108.01, 15.81), (108.00, 15.81)]


def test_a_vn2000_point_and_polygon_land_within_a_metre_of_the_wgs84_data():
    content = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"ma": "P"},
                    "geometry": {"type": "Point", "coordinates": vn2000([POINT])[0]},
                },
                {
                    "type": "Feature",
                    "properties": {"ma": "Q"},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [ring(vn2000(SQUARE))],
                    },
                },
            ],
        }
    ).encode()

    point, square = layers.read_layer(
        content, "vn2000.geojson", crs=layers.system("vn2000-107.75")
    )

    assert metres_apart(point.geometry.coords[0], POINT) < 1
    corners = list(square.geometry.exterior.coords)[:4]
    assert max(metres_apart(a, b) for a, b in zip(corners, SQUARE, strict=True)) < 1


def test_a_vn2000_shapefile_with_its_prj_needs_no_choice():
    prj = CRS.from_epsg(5899).to_wkt()
    content = zipped_shapefile([("Q", [ring(vn2000(SQUARE))])], prj=prj)

    (square,) = layers.read_layer(content, "vung.zip")

    corners = list(square.geometry.exterior.coords)[:4]
    assert max(metres_apart(a, b) for a, b in zip(corners, SQUARE, strict=True)) < 1
    assert square.properties == {"ma": "Q", "ten": "Vùng Q"}


def test_vn2000_metres_read_as_wgs84_are_refused_as_outside_vietnam():
    content = zipped_shapefile([("Q", [ring(vn2000(SQUARE))])])

    with pytest.raises(GeometryError, match=r"#1 \(ma=Q\): tọa độ nằm ngoài"):
        layers.read_layer(content, "vung.zip")


def test_a_kml_placemark_keeps_its_name_and_data():
    coordinates = " ".join(f"{lon},{lat},0" for lon, lat in ring(SQUARE))
    content = f"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>
<name>Xã Hà Nha</name><ExtendedData><Data name="ma"><value>20515</value></Data>
</ExtendedData><Polygon><outerBoundaryIs><LinearRing><coordinates>{coordinates}
</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>
""".encode()

    (feature,) = layers.read_layer(content, "ranh-gioi.kml", polygons=True)

    assert feature.properties == {"name": "Xã Hà Nha", "ma": "20515"}
    assert feature.geometry.equals(Polygon(SQUARE))


def test_an_invalid_polygon_is_repaired_when_allowed_and_says_why():
    bow_tie = [(108.0, 15.80), (108.01, 15.81), (108.01, 15.80), (108.0, 15.81)]
    content = zipped_shapefile([("20515", [ring(bow_tie)])])

    (feature,) = layers.read_layer(content, "vung.zip", polygons=True)

    assert feature.geometry.is_valid
    assert feature.geometry.geom_type == "MultiPolygon"
    assert "Self-intersection" in feature.repaired
    with pytest.raises(GeometryError, match="tự cắt"):
        layers.read_layer(content, "vung.zip", polygons=True, repair=False)


def test_a_broken_shapefile_saves_no_boundary_and_names_the_features(units):
    before = {u.code: u.boundary for u in Unit.objects.valid_on().communes()}
    content = zipped_shapefile(
        [
            ("20515", [ring(SQUARE)]),
            ("20539", [[(108.1, 15.8), (108.2, 15.8), (108.1, 15.8)]]),
            ("20530", None),
        ]
    )

    with pytest.raises(UnitError) as error:
        import_boundary_file(
            content, "ranh-gioi.zip", code_property="ma", on=None, by=None
        )

    message = str(error.value)
    assert "không có gì được lưu" in message
    assert "#2 (ma=20539): hình hỏng, không sửa được" in message
    assert "#3 (ma=20530): không có hình" in message
    assert "#1" not in message
    after = {u.code: u.boundary for u in Unit.objects.valid_on().communes()}
    assert after == before


def test_a_vn2000_shapefile_sets_official_boundaries(units):
    content = zipped_shapefile([("20515", [ring(vn2000(SQUARE))])])

    changed, repaired = import_boundary_file(
        content,
        "ranh-gioi.zip",
        code_property="ma",
        on=None,
        by=None,
        crs=layers.system("vn2000-107.75"),
    )

    ha_nha = Unit.objects.by_code("20515")
    assert changed == [ha_nha]
    assert repaired == []
    assert ha_nha.boundary_is_approximate is False
    corners = ha_nha.boundary["coordinates"][0][:4]
    assert max(metres_apart(a, b) for a, b in zip(corners, SQUARE, strict=True)) < 1


def test_a_growing_area_boundary_reads_a_vn2000_shapefile():
    content = zipped_shapefile([("V1", [ring(vn2000(SQUARE))])])

    boundary = read_boundary(
        content, "vung-trong.zip", crs=layers.system("vn2000-107.75")
    )

    assert boundary.geom_type == "Polygon"
    assert abs(boundary.area - Polygon(SQUARE).area) / Polygon(SQUARE).area < 1e-3


def test_a_growing_area_shapefile_with_a_broken_plot_names_it():
    content = zipped_shapefile(
        [
            ("V1", [ring(SQUARE)]),
            ("V2", [[(108.1, 15.8), (108.2, 15.8), (108.1, 15.8)]]),
        ]
    )

    with pytest.raises(GeometryError, match=r"#2 \(ma=V2\)"):
        read_boundary(content, "vung-trong.zip")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04 not really a zip", "không mở được"),
        (b"", "không mở được"),
    ],
)
def test_a_zip_that_is_not_a_shapefile_is_refused(content, message):
    with pytest.raises(GeometryError, match=message):
        layers.read_layer(content, "vung.zip")


def test_a_zip_without_a_dbf_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("lop.shp", b"x")
        archive.writestr("lop.shx", b"x")

    with pytest.raises(GeometryError, match="thiếu tệp .dbf"):
        layers.read_layer(buffer.getvalue(), "vung.zip")


def test_the_upload_checker_takes_a_zipped_shapefile_and_refuses_a_renamed_page():
    good = SimpleUploadedFile("vung.zip", zipped_shapefile([("V", [ring(SQUARE)])]))
    page = SimpleUploadedFile("vung.zip", b"<html><script>alert(1)</script></html>")

    assert check_upload(good, BOUNDARY) is good
    with pytest.raises(Exception, match="trang web"):
        check_upload(page, BOUNDARY)


def test_the_import_command_reads_a_vn2000_shapefile(tmp_path, units):
    from django.core.management import call_command

    path = tmp_path / "ranh-gioi.zip"
    path.write_bytes(zipped_shapefile([("20539", [ring(vn2000(SQUARE))])]))
    output = io.StringIO()

    call_command(
        "import_boundaries", str(path), "--crs", "vn2000-107.75", stdout=output
    )

    assert "20539 Xã Vu Gia" in output.getvalue()
    assert Unit.objects.by_code("20539").boundary_is_approximate is False
