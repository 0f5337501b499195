from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from shapely.geometry import shape

from ntm.accounts.models import Role
from ntm.households.models import Facility
from ntm.indicators.models import Indicator
from ntm.ocop.models import Entity
from ntm.units.models import Unit

from ..factories import (
    EntityFactory,
    FacilityFactory,
    HouseholdFactory,
    ProductFactory,
    make_member,
    make_village,
)

pytestmark = pytest.mark.django_db


def _inside(unit):
    centre = shape(unit.boundary).representative_point()
    return Decimal(f"{centre.y:.6f}"), Decimal(f"{centre.x:.6f}")


@pytest.fixture
def placed(units):
    """Two villages of Hà Nha with centres, households with points."""
    lat, lon = _inside(units["ha_nha"])
    one = make_village(units["ha_nha"], 1, lat=lat, lon=lon)
    two = make_village(
        units["ha_nha"], 2, lat=lat + Decimal("0.002"), lon=lon + Decimal("0.002")
    )
    for index in range(3):
        HouseholdFactory(
            village=one,
            lat=lat + Decimal(index) / 10000,
            lon=lon,
            address_code=f"{one.code}-{index + 1:04d}",
        )
    HouseholdFactory(village=two, lat=lat + Decimal("0.002"), lon=lon)
    return {"one": one, "two": two, "lat": float(lat), "lon": float(lon)}


def _layer(client, placed, zoom):
    bbox = "{},{},{},{}".format(
        placed["lon"] - 0.05,
        placed["lat"] - 0.05,
        placed["lon"] + 0.05,
        placed["lat"] + 0.05,
    )
    response = client.get(reverse("maps:household-layer"), {"bbox": bbox, "z": zoom})
    assert response.status_code == 200
    return response, response.json()


def test_public_household_layer_counts_households_at_village_centres(client, placed):
    response, layer = _layer(client, placed, 18)

    clusters = sorted(
        (
            f["properties"]["village"],
            f["properties"]["count"],
            f["geometry"]["coordinates"],
        )
        for f in layer["features"]
    )
    assert clusters == [
        (placed["one"].code, 3, [float(placed["one"].lon), float(placed["one"].lat)]),
        (placed["two"].code, 1, [float(placed["two"].lon), float(placed["two"].lat)]),
    ]
    text = response.content.decode()
    assert "HGD" not in text and "-0001" not in text
    assert {f["properties"]["kind"] for f in layer["features"]} == {"cluster"}
    assert response["Cache-Control"] == "public, max-age=300"


def test_public_household_layer_merges_villages_when_zoomed_out(client, placed):
    _response, layer = _layer(client, placed, 9)

    assert [f["properties"]["count"] for f in layer["features"]] == [4]
    assert layer["features"][0]["properties"]["label"] == "2 thôn"


def test_village_head_sees_own_households_points_and_others_as_clusters(client, placed):
    head = make_member(placed["one"], Role.VILLAGE_HEAD)
    client.force_login(head)

    response, layer = _layer(client, placed, 17)

    points = sorted(
        f["properties"]["address_code"]
        for f in layer["features"]
        if f["properties"]["kind"] == "household"
    )
    clusters = [
        (f["properties"]["village"], f["properties"]["count"])
        for f in layer["features"]
        if f["properties"]["kind"] == "cluster"
    ]
    assert points == [f"{placed['one'].code}-{n:04d}" for n in (1, 2, 3)]
    assert clusters == [(placed["two"].code, 1)]
    assert response["Cache-Control"] == "private, no-store"


def test_village_head_zoomed_out_gets_own_villages_counts(client, placed):
    HouseholdFactory(village=placed["one"], left_on="2025-01-01")  # not counted
    client.force_login(make_member(placed["one"], Role.VILLAGE_HEAD))

    _response, layer = _layer(client, placed, 12)

    register = [f for f in layer["features"] if f["properties"]["register"]]
    others = [f for f in layer["features"] if not f["properties"]["register"]]
    assert [f["properties"]["count"] for f in register] == [3]
    assert register[0]["geometry"]["coordinates"] == [
        float(placed["one"].lon),
        float(placed["one"].lat),
    ]
    assert [f["properties"]["count"] for f in others] == [1]
    assert all(f["properties"]["kind"] == "cluster" for f in layer["features"])


def test_village_head_below_point_zoom_gets_grid_clusters_of_the_points(client, placed):
    client.force_login(make_member(placed["one"], Role.VILLAGE_HEAD))

    _response, layer = _layer(client, placed, 14)

    register = [f for f in layer["features"] if f["properties"]["register"]]
    assert sum(f["properties"]["count"] for f in register) == 3
    assert all(f["properties"]["village"] == "" for f in register)
    assert all(f["properties"]["kind"] == "cluster" for f in layer["features"])


def test_household_layer_refuses_a_malformed_bbox(client):
    response = client.get(reverse("maps:household-layer"), {"bbox": "1,2,3", "z": 5})

    assert response.status_code == 422
    assert "bbox" in response.json()["errors"]


@pytest.fixture
def smart_set(db):
    from ntm.indicators.services import CRITERIA_DIR, load_criteria_file

    return load_criteria_file(CRITERIA_DIR / "10_thon_thong_minh_dai_loc.json")[0]


def test_unit_layer_colours_villages_by_an_indicator_in_classes(
    client, placed, smart_set
):
    placed["one"].households.update(has_fibre=True)
    fibre = Indicator.objects.get(code="SV.FIBRE")

    response = client.get(
        reverse("maps:unit-layer"),
        {"cap": "thon", "nam": 2026, "chi-tieu": fibre.code},
    )

    layer = response.json()
    by_code = {f["properties"]["code"]: f["properties"] for f in layer["features"]}
    assert by_code[placed["one"].code]["value"] == 100.0
    assert by_code[placed["two"].code]["value"] == 0.0
    assert by_code[placed["one"].code]["status"] == "class1"
    assert by_code[placed["two"].code]["status"] == "class0"
    assert [item["status"] for item in layer["legend"]] == ["class0", "class1"]
    # Villages have no boundary: drawn at their centre.
    assert by_code[placed["one"].code]["url"] == placed["one"].get_absolute_url()
    geometry = next(
        f["geometry"]
        for f in layer["features"]
        if f["properties"]["code"] == placed["one"].code
    )
    assert geometry["type"] == "Point"


def test_unit_layer_colours_villages_by_a_criteria_set_status(
    client, placed, smart_set
):
    response = client.get(
        reverse("maps:unit-layer"), {"cap": "thon", "nam": 2026, "bo": smart_set.code}
    )

    layer = response.json()
    statuses = {
        f["properties"]["code"]: f["properties"]["status"] for f in layer["features"]
    }
    assert set(statuses) == {placed["one"].code, placed["two"].code}
    assert statuses[placed["two"].code] != "met"
    assert [item["status"] for item in layer["legend"]] == ["met", "not_met", "no_data"]


def test_unit_layer_refuses_an_indicator_of_another_level(client, placed, smart_set):
    response = client.get(
        reverse("maps:unit-layer"), {"cap": "xa", "nam": 2026, "chi-tieu": "SV.FIBRE"}
    )

    assert response.status_code == 404


def test_search_ignores_diacritics(client, placed):
    response = client.get(reverse("maps:search"), {"q": "ha nha"})

    names = [r["name"] for r in response.json()["results"]]
    assert names[0] == "Xã Hà Nha"


def test_search_finds_a_facility_by_folded_name(client, placed):
    FacilityFactory(
        village=placed["one"],
        name="Nhà văn hóa Thôn Một",
        lat=placed["one"].lat,
        lon=placed["one"].lon,
    )

    response = client.get(reverse("maps:search"), {"q": "nha van hoa mot"})

    assert [r["name"] for r in response.json()["results"]] == ["Nhà văn hóa Thôn Một"]


def test_thematic_layer_draws_located_wifi_points_only(client, placed):
    FacilityFactory(
        village=placed["one"],
        kind=Facility.Kind.WIFI_POINT,
        name="Wi-Fi chợ",
        lat=placed["one"].lat,
        lon=placed["one"].lon,
    )
    FacilityFactory(
        village=placed["two"], kind=Facility.Kind.WIFI_POINT, name="Chưa định vị"
    )

    response = client.get(reverse("maps:thematic-layer", args=["wifi"]))

    assert [f["properties"]["name"] for f in response.json()["features"]] == [
        "Wi-Fi chợ"
    ]


def test_ocop_layer_withholds_household_business_names(client, placed, make_evaluation):
    entity = EntityFactory(
        unit=placed["one"].parent,
        kind=Entity.Kind.HOUSEHOLD_BUSINESS,
        name="Hộ kinh doanh Nguyễn Văn An",
    )
    make_evaluation(ProductFactory(entity=entity))
    make_evaluation(
        ProductFactory(entity=EntityFactory(unit=placed["one"].parent)), until="approve"
    )

    response = client.get(reverse("maps:thematic-layer", args=["ocop"]))

    features = response.json()["features"]
    assert [f["properties"]["name"] for f in features] == [""]
    assert "Nguyễn Văn An" not in response.content.decode()
    assert features[0]["properties"]["approximate"] is True


def test_unknown_layer_is_not_found(client):
    assert client.get(reverse("maps:thematic-layer", args=["xyz"])).status_code == 404


def test_map_page_lists_layers_with_records_and_the_tile_url(client, placed):
    FacilityFactory(village=placed["one"], lat=placed["one"].lat, lon=placed["one"].lon)

    response = client.get(reverse("maps:map"))

    keys = [layer.key for layer in response.context["layers"]]
    assert keys == ["wifi", "nha-van-hoa"]
    assert b'data-tile-url="https://tile.openstreetmap.org/' in response.content


@override_settings(MAP_TILE_URL="")
def test_map_page_without_tiles_uses_boundaries_as_base(client, placed):
    response = client.get(reverse("maps:map"))
    base = client.get(reverse("maps:base-layer")).json()

    assert b'data-tile-url=""' in response.content
    assert b'id="map-no-tiles" checked disabled' in response.content
    assert {f["properties"]["code"] for f in base["features"]} == set(
        Unit.objects.valid_on().communes().values_list("code", flat=True)
    )


def test_places_layer_draws_agencies_and_heritage_with_their_page(client, placed):
    from ntm.households.addresses import create_place
    from ntm.households.models import Place

    create_place(
        village=placed["one"],
        kind=Place.Kind.AGENCY,
        name="UBND xã Hà Nha",
        address_code="HN-UB",
        lat=placed["one"].lat,
        lon=placed["one"].lon,
        by=None,
    )

    layer = client.get(reverse("maps:thematic-layer", args=["co-quan"])).json()
    found = client.get(reverse("maps:search"), {"q": "ubnd ha nha"}).json()

    [feature] = layer["features"]
    assert feature["properties"]["url"] == "/dc/HN-UB/"
    assert found["results"][0]["name"] == "UBND xã Hà Nha"


def test_map_page_opens_on_the_year_of_the_day_asked(client, units):
    from django.utils import timezone

    this_year = timezone.localdate().year
    url = reverse("maps:map")

    then = client.get(url, {"ngay": f"{this_year - 2}-12-31"})
    now = client.get(url)
    too_old = client.get(url, {"ngay": "1990-01-01"})

    assert then.context["chosen_year"] == this_year - 2
    assert f'<option value="{this_year - 2}" selected>' in then.content.decode()
    assert now.context["chosen_year"] == this_year
    assert too_old.context["chosen_year"] == this_year
