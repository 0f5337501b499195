import json
from decimal import Decimal

import pytest
from django.urls import reverse
from shapely.geometry import shape

from ntm.accounts.models import Role
from ntm.core.models import ActionLog
from ntm.households.addresses import (
    assign_village_addresses,
    create_place,
    public_address,
    serpentine,
    set_address_point,
)
from ntm.households.models import Facility, Household, Place
from ntm.households.services import HouseholdError, archive_household

from ..factories import FacilityFactory, make_member

pytestmark = pytest.mark.django_db

PARIS = (Decimal("48.856600"), Decimal("2.352200"))


@pytest.fixture
def centre(units):
    """A point well inside Xã Hà Nha (lat, lon)."""
    inside = shape(units["ha_nha"].boundary).representative_point()
    return Decimal(f"{inside.y:.6f}"), Decimal(f"{inside.x:.6f}")


def _at(centre, north, east):
    """``centre`` moved ``north`` and ``east`` steps of about 100 m."""
    step = Decimal("0.001")
    return {"lat": centre[0] + north * step, "lon": centre[1] + east * step}


def test_a_point_in_paris_is_refused_for_thon_1(villages, make_household):
    with pytest.raises(HouseholdError) as error:
        make_household(villages["hn1"], lat=PARIS[0], lon=PARIS[1])

    assert "nằm ngoài Xã Hà Nha" in str(error.value)
    assert not Household.objects.exists()


def test_set_address_point_refuses_a_point_outside_the_commune_and_keeps_the_old(
    villages, make_household, centre
):
    household = make_household(villages["hn1"], **_at(centre, 0, 0))

    with pytest.raises(HouseholdError, match="nằm ngoài"):
        set_address_point(household, lat=PARIS[0], lon=PARIS[1], by=None)

    household.refresh_from_db()
    assert (household.lat, household.lon) == centre


def test_set_address_point_moves_the_point_and_logs_it(
    villages, make_household, centre
):
    household = make_household(villages["hn1"])

    set_address_point(household, by=None, **_at(centre, 1, 1))

    household.refresh_from_db()
    assert household.lat == centre[0] + Decimal("0.001")
    entry = ActionLog.objects.get(action="households.household.point_set")
    assert entry.data["old"] == [None, None]


def test_the_api_refuses_a_point_in_paris(client, villages, make_household):
    head = make_member(villages["hn1"], Role.VILLAGE_HEAD)
    client.force_login(head, backend="django.contrib.auth.backends.ModelBackend")
    household = make_household(villages["hn1"], code="HN0001")

    response = client.patch(
        f"/api/v1/households/{household.code}",
        json.dumps({"lat": str(PARIS[0]), "lon": str(PARIS[1])}),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert "nằm ngoài" in json.dumps(response.json(), ensure_ascii=False)
    household.refresh_from_db()
    assert household.lat is None


def test_serpentine_reads_bands_north_to_south_in_alternating_directions():
    class Spot:
        def __init__(self, name, lat, lon):
            self.name, self.lat, self.lon = name, lat, lon

    spots = [
        Spot("south-west", 0, 0),
        Spot("north-east", 1, 2),
        Spot("south-east", 0, 2),
        Spot("north-west", 1, 0),
        Spot("north-middle", 1, 1),
        Spot("south-middle", 0, 1),
    ]

    ordered = serpentine(spots, rows=2)

    assert [s.name for s in ordered] == [
        "north-west",
        "north-middle",
        "north-east",
        "south-east",
        "south-middle",
        "south-west",
    ]


def test_assign_village_addresses_numbers_by_position_after_the_highest_code(
    villages, make_household, centre
):
    village = villages["hn1"]
    make_household(village, code="A", address_code=f"{village.code}-0007")
    south = make_household(village, code="B", **_at(centre, 0, 0))
    north_east = make_household(village, code="C", **_at(centre, 5, 3))
    north_west = make_household(village, code="D", **_at(centre, 5, 0))
    unplaced = make_household(village, code="E")
    hall = FacilityFactory(village=village, name="Nhà văn hóa", **_at(centre, 0, 3))
    other_village = make_household(villages["hn2"], code="F", **_at(centre, 1, 1))

    coded = assign_village_addresses(village, by=None)

    code = village.code
    assert [(type(h).__name__, h.pk) for h in coded] == [
        ("Household", north_west.pk),
        ("Household", north_east.pk),
        ("Facility", hall.pk),
        ("Household", south.pk),
        ("Household", unplaced.pk),
    ]
    assert dict(
        Household.objects.filter(village=village).values_list("code", "address_code")
    ) == {
        "A": f"{code}-0007",
        "D": f"{code}-0008",
        "C": f"{code}-0009",
        "B": f"{code}-0011",
        "E": f"{code}-0012",
    }
    assert Facility.objects.get(pk=hall.pk).address_code == f"{code}-0010"
    other_village.refresh_from_db()
    assert other_village.address_code is None
    # The code is searchable in the register at once.
    assert Household.objects.matching(f"{code}-0008").get().code == "D"
    assert (
        ActionLog.objects.filter(action="households.household.address_assigned").count()
        == 4
    )
    assert assign_village_addresses(village, by=None) == []


def test_assign_village_addresses_refuses_a_village_that_ended(units):
    from ..factories import make_village

    old = make_village(units["dai_dong"], 9, valid_to=units["dai_dong"].valid_to)

    with pytest.raises(HouseholdError):
        assign_village_addresses(old, by=None)


def test_a_code_is_unique_across_households_and_places(
    villages, make_household, centre
):
    make_household(villages["hn1"], address_code="X-1")

    with pytest.raises(HouseholdError, match="X-1"):
        create_place(
            village=villages["hn1"],
            kind=Place.Kind.AGENCY,
            name="UBND xã Hà Nha",
            address_code="X-1",
            by=None,
            **_at(centre, 0, 0),
        )

    assert not Place.objects.exists()


def test_create_place_refuses_a_point_outside_the_commune(villages):
    with pytest.raises(HouseholdError, match="nằm ngoài"):
        create_place(
            village=villages["hn1"],
            kind=Place.Kind.HERITAGE,
            name="Đình làng",
            lat=PARIS[0],
            lon=PARIS[1],
            by=None,
        )


def test_public_address_of_a_household_names_no_one_and_gives_the_village_centre(
    villages, make_household, centre
):
    village = villages["hn1"]
    village.lat, village.lon = centre
    village.save()
    make_household(
        village,
        head_name="Nguyễn Văn Riêng Tư",
        phone="0905123456",
        address_code="HN-1",
        **_at(centre, 3, 3),
    )

    address = public_address("HN-1")

    assert address["name"] == ""
    assert (address["lat"], address["lon"]) == centre
    assert address["approximate"] is True
    assert address["village"] == "Thôn 1"
    assert address["commune"] == "Xã Hà Nha"


def test_public_address_of_a_household_that_left_is_gone(villages, make_household):
    household = make_household(villages["hn1"], address_code="HN-2")
    archive_household(household, by=None, reason="Chuyển đi")

    assert public_address("HN-2") is None


def test_address_page_and_api_show_no_personal_data(client, villages, make_household):
    make_household(
        villages["hn1"],
        head_name="Trần Thị Bí Mật",
        phone="0905999888",
        address_code="HN-3",
    )

    page = client.get(reverse("addresses:address-page", args=["HN-3"]))
    api = client.get("/api/v1/addresses/HN-3")

    assert page.status_code == 200
    assert api.status_code == 200
    for body in (page.content.decode(), api.content.decode()):
        assert "Bí Mật" not in body and "0905999888" not in body
    assert api.json()["kind"] == "Hộ gia đình"
    assert api.json()["url"].endswith("/dc/HN-3/")
    assert client.get("/api/v1/addresses/KHONG-CO").status_code == 404
    assert (
        client.get(reverse("addresses:address-page", args=["KHONG"])).status_code == 404
    )


def test_address_api_gives_a_place_its_own_point(client, villages, centre):
    create_place(
        village=villages["hn1"],
        kind=Place.Kind.HERITAGE,
        name="Đình làng Hà Nha",
        address_code="HN-9",
        by=None,
        **_at(centre, 0, 0),
    )

    body = client.get("/api/v1/addresses/HN-9").json()

    assert body["name"] == "Đình làng Hà Nha"
    assert Decimal(str(body["lat"])) == centre[0]
    assert body["approximate"] is False


def test_village_head_assigns_codes_from_the_page(
    client, villages, village_head, make_household, centre
):
    make_household(villages["hn1"], code="HN0001", **_at(centre, 0, 0))
    client.force_login(
        village_head, backend="django.contrib.auth.backends.ModelBackend"
    )

    response = client.post(
        reverse("households:address-assign", args=[villages["hn1"].code])
    )

    assert response.status_code == 302
    assert (
        Household.objects.get(code="HN0001").address_code
        == f"{villages['hn1'].code}-0001"
    )


def test_another_village_head_may_not_assign_or_print(client, villages, make_household):
    make_household(villages["hn1"], code="HN0001")
    outsider = make_member(villages["vg1"], Role.VILLAGE_HEAD)
    client.force_login(outsider, backend="django.contrib.auth.backends.ModelBackend")
    code = villages["hn1"].code

    assigned = client.post(reverse("households:address-assign", args=[code]))
    plates = client.get(reverse("households:address-plates", args=[code]))

    assert assigned.status_code == 403
    assert plates.status_code == 403
    assert Household.objects.get(code="HN0001").address_code is None


def test_plates_carry_the_code_and_a_qr_of_the_public_page_but_no_name(
    client, villages, village_head, make_household
):
    make_household(villages["hn1"], head_name="Lê Văn Kín", address_code="HN-5")
    client.force_login(
        village_head, backend="django.contrib.auth.backends.ModelBackend"
    )

    response = client.get(
        reverse("households:address-plates", args=[villages["hn1"].code])
    )

    [plate] = response.context["plates"]
    assert plate["code"] == "HN-5"
    assert plate["url"] == "http://testserver/dc/HN-5/"
    assert plate["qr"].startswith("<svg")
    assert "Lê Văn Kín" not in response.content.decode()


def test_map_search_finds_an_address_code_and_answers_with_the_village(
    client, villages, make_household, centre
):
    village = villages["hn1"]
    village.lat, village.lon = centre
    village.save()
    make_household(village, address_code=f"{village.code}-0042", **_at(centre, 2, 2))

    results = client.get(reverse("maps:search"), {"q": f"{village.code}-0042"}).json()[
        "results"
    ]

    assert results[0]["name"] == f"{village.code}-0042"
    assert (results[0]["lat"], results[0]["lon"]) == (
        float(centre[0]),
        float(centre[1]),
    )
    assert results[0]["url"] == f"/dc/{village.code}-0042/"


def test_village_head_adds_a_heritage_site_from_the_page(
    client, villages, village_head, centre
):
    client.force_login(
        village_head, backend="django.contrib.auth.backends.ModelBackend"
    )
    url = reverse("households:place-create", args=[villages["hn1"].code])

    refused = client.post(
        url,
        {"kind": "heritage", "name": "Đình làng", "lat": "48.8566", "lon": "2.3522"},
    )
    added = client.post(
        url,
        {"kind": "heritage", "name": "Đình làng", "lat": centre[0], "lon": centre[1]},
    )

    assert refused.status_code == 200
    assert "nằm ngoài" in refused.content.decode()
    assert added.status_code == 302
    assert list(Place.objects.values_list("name", "name_folded")) == [
        ("Đình làng", "dinh lang")
    ]


def test_an_office_reader_may_not_add_a_place(client, villages, units):
    from ntm.accounts.models import Office

    reader = make_member(units["city"], Role.OFFICE_STAFF, office=Office.CULTURE)
    client.force_login(reader, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(
        reverse("households:place-create", args=[villages["hn1"].code])
    )

    assert response.status_code == 403


def test_plates_and_the_lookup_api_point_at_the_published_address_host(
    client, villages, village_head, make_household, settings
):
    """Plates printed in an office must not carry its intranet host name."""
    settings.ADDRESS_BASE_URL = "https://diachi.dailoc.example.vn"
    make_household(villages["hn1"], address_code="HN-5")
    client.force_login(village_head)

    page = client.get(reverse("households:address-plates", args=["2051501"]))
    api = client.get("/api/v1/addresses/HN-5").json()

    assert page.status_code == 200
    (plate,) = page.context["plates"]
    assert plate["url"] == "https://diachi.dailoc.example.vn/dc/HN-5/"
    assert api["url"] == "https://diachi.dailoc.example.vn/dc/HN-5/"
