import json

import pytest
from django.core.management import CommandError, call_command
from pyproj import Transformer

from ntm.core.models import ActionLog
from ntm.units.models import Reorganisation, Unit
from tests.factories import BEFORE_2025

pytestmark = pytest.mark.django_db

TO_WEB_MERCATOR = Transformer.from_crs(4326, 3857, always_xy=True)


def square(lon, lat, size=0.01, project=False):
    corners = [
        (lon, lat),
        (lon + size, lat),
        (lon + size, lat + size),
        (lon, lat + size),
        (lon, lat),
    ]
    if project:
        corners = [TO_WEB_MERCATOR.transform(x, y) for x, y in corners]
    return {"type": "Polygon", "coordinates": [[list(xy) for xy in corners]]}


def feature(code, geometry, **properties):
    return {
        "type": "Feature",
        "properties": {"ma": code, **properties},
        "geometry": geometry,
    }


def write_geojson(tmp_path, features, crs=None):
    data = {"type": "FeatureCollection", "features": features}
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    path = tmp_path / "ranh_gioi.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def run(*args):
    lines = []

    class Out:
        def write(self, text):
            lines.append(text)

        def flush(self):
            pass

    call_command(*args, stdout=Out())
    return "".join(lines)


# --- load_units ------------------------------------------------------------


def test_load_units_loads_once_and_says_so(db):
    first = run("load_units")
    count = Unit.objects.count()
    second = run("load_units")

    assert "Đã nạp 26 đơn vị và 7 sự kiện sắp xếp." in first
    assert count == 26
    assert Reorganisation.objects.count() == 7
    assert "đã có sẵn (26 đơn vị); không nạp lại" in second
    assert Unit.objects.count() == count


# --- import_boundaries -----------------------------------------------------


def test_import_boundaries_reprojects_web_mercator_to_lon_lat(tmp_path, units):
    path = write_geojson(
        tmp_path,
        [
            feature("20515", square(108.00, 15.80, project=True)),
            feature("20539", square(107.90, 15.90, project=True)),
        ],
        crs="urn:ogc:def:crs:EPSG::3857",
    )

    output = run(
        "import_boundaries",
        str(path),
        "--code-property",
        "ma",
        "--on",
        "2025-07-01",
        "--source",
        "Sở Nông nghiệp và Môi trường",
    )

    ha_nha = Unit.objects.by_code("20515")
    ring = ha_nha.boundary["coordinates"][0]
    assert "Đã cập nhật ranh giới 2 đơn vị:" in output
    assert "20515 Xã Hà Nha" in output
    assert "20539 Xã Vu Gia" in output
    assert ha_nha.boundary["type"] == "Polygon"
    assert ring[0] == pytest.approx([108.00, 15.80], abs=1e-9)
    assert ring[2] == pytest.approx([108.01, 15.81], abs=1e-9)
    assert ha_nha.boundary_is_approximate is False
    assert ha_nha.source == "Sở Nông nghiệp và Môi trường"
    assert ActionLog.objects.for_object(ha_nha).first().data == {
        "approximate": False,
        "source": "Sở Nông nghiệp và Môi trường",
    }


def test_import_boundaries_reads_codes_at_the_given_date(tmp_path, units):
    path = write_geojson(tmp_path, [feature(20515, square(108.0, 15.8))])

    output = run("import_boundaries", str(path), "--on", BEFORE_2025.isoformat())

    units["dai_dong"].refresh_from_db()
    units["ha_nha"].refresh_from_db()
    assert "20515 Xã Đại Đồng" in output
    assert units["dai_dong"].boundary == square(108.0, 15.8)
    assert units["ha_nha"].boundary_is_approximate is True


def test_import_boundaries_is_all_or_nothing(tmp_path, units):
    before = Unit.objects.by_code("20515").boundary
    path = write_geojson(
        tmp_path,
        [
            feature("20515", square(108.0, 15.8)),
            feature("99999", square(108.1, 15.8)),
            {"type": "Feature", "properties": {}, "geometry": square(108.2, 15.8)},
        ],
    )

    with pytest.raises(CommandError) as error:
        run("import_boundaries", str(path), "--code-property", "ma")

    ha_nha = Unit.objects.by_code("20515")
    assert str(error.value) == "Không tìm thấy đơn vị cho: #2 (ma=99999), #3 (ma=∅)"
    assert ha_nha.boundary == before
    assert ha_nha.boundary_is_approximate is True


def test_import_boundaries_refuses_two_shapes_for_one_unit(tmp_path, units):
    path = write_geojson(
        tmp_path,
        [feature("20515", square(108.0, 15.8)), feature("20515", square(108.1, 15.8))],
    )

    with pytest.raises(CommandError, match="xuất hiện hai lần: #1 và #2"):
        run("import_boundaries", str(path))

    assert Unit.objects.by_code("20515").boundary_is_approximate is True


def test_import_boundaries_reports_a_file_that_is_not_json(tmp_path, units):
    path = tmp_path / "hong.geojson"
    path.write_text("{không phải json", encoding="utf-8")

    with pytest.raises(CommandError, match="không phải JSON hợp lệ"):
        run("import_boundaries", str(path))


def test_import_boundaries_reports_a_feature_without_geometry(tmp_path, units):
    path = write_geojson(tmp_path, [{"type": "Feature", "properties": {"ma": "20515"}}])

    with pytest.raises(CommandError, match="Tệp GeoJSON không đọc được"):
        run("import_boundaries", str(path))


def test_import_boundaries_reports_an_unknown_crs(tmp_path, units):
    path = write_geojson(
        tmp_path, [feature("20515", square(108.0, 15.8))], crs="EPSG:999999"
    )

    with pytest.raises(CommandError, match="Tệp GeoJSON không đọc được"):
        run("import_boundaries", str(path))


def test_import_boundaries_reports_a_missing_file(tmp_path, units):
    with pytest.raises(CommandError, match="Không đọc được tệp"):
        run("import_boundaries", str(tmp_path / "khong-co.geojson"))


def test_import_boundaries_refuses_a_malformed_date(tmp_path, units):
    path = write_geojson(tmp_path, [feature("20515", square(108.0, 15.8))])

    with pytest.raises(CommandError, match="ngày không hợp lệ"):
        run("import_boundaries", str(path), "--on", "31/12/2024")
