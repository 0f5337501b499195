"""The household register page, the API and the unit page as of a past day."""

import pytest
from django.urls import reverse
from freezegun import freeze_time

from ntm.accounts.models import Role
from ntm.households.services import create_household, update_household
from tests.factories import make_member, make_moved_village

pytestmark = pytest.mark.django_db
LIST = reverse("households:household-list")


@pytest.fixture
def world(units):
    """Two households of Thôn 1 of Đại Đồng since 2024 (carried into Hà Nha in
    2025), one of them given fibre in 2026, and one registered only in 2026."""
    old, new = make_moved_village(units)
    with freeze_time("2024-03-01 09:00:00+07:00"):
        first = create_household(
            village=old, code="DD0001", head_name="Lê Văn Ba", by=None
        )
        create_household(village=old, code="DD0002", head_name="Hồ Thị Tư", by=None)
    with freeze_time("2025-07-01 08:00:00+07:00"):
        for household in old.households.all():
            update_household(household, village=new, by=None)
    first.refresh_from_db()
    with freeze_time("2026-05-04 10:00:00+07:00"):
        update_household(first, has_fibre=True, by=None)
        create_household(village=new, code="HN0003", head_name="Đỗ Văn Năm", by=None)
    officer = make_member(units["ha_nha"], Role.COMMUNE_OFFICER, username="canbo")
    return {"old": old, "new": new, "officer": officer}


def _codes(response):
    return [h.code for h in response.context["page"]]


def test_the_register_of_31_12_2024_shows_that_days_households_and_units(
    client, login, world
):
    login(world["officer"])

    today = client.get(LIST)
    then = client.get(LIST, {"ngay": "2024-12-31"})

    assert _codes(today) == ["DD0001", "DD0002", "HN0003"]
    # The officer of the 2025 commune reads the 2024 villages that became hers.
    assert _codes(then) == ["DD0001", "DD0002"]
    assert {h.village.name for h in then.context["page"]} == {"Thôn 1"}
    communes = [c.name for c in then.context["form"].fields["commune"].queryset]
    assert communes == ["Xã Đại Đồng"]
    body = then.content.decode()
    assert "Ngày 31/12/2024 có 2 hộ" in body
    assert 'data-as-of="2024-12-31"' in body
    # A past day is read, not written, and not exported.
    assert not then.context["can_edit"] and not then.context["can_export"]
    assert reverse("households:household-create") not in body


def test_the_register_of_a_past_day_filters_on_that_days_facts(client, login, world):
    login(world["officer"])

    no_fibre = client.get(LIST, {"ngay": "31/12/2025", "fibre": "khong"})
    by_old_commune = client.get(LIST, {"ngay": "2024-12-31", "commune": "20515"})
    by_name = client.get(LIST, {"ngay": "2024-12-31", "q": "le van"})

    assert _codes(no_fibre) == ["DD0001", "DD0002"]
    assert _codes(by_old_commune) == ["DD0001", "DD0002"]
    assert _codes(by_name) == ["DD0001"]


def test_a_malformed_or_future_day_shows_todays_register(client, login, world):
    login(world["officer"])

    assert _codes(client.get(LIST, {"ngay": "31/02/2024"})) == [
        "DD0001",
        "DD0002",
        "HN0003",
    ]
    assert len(_codes(client.get(LIST, {"ngay": "2099-01-01"}))) == 3


def test_the_api_lists_the_register_of_a_past_day(client, login, world):
    login(world["officer"])

    then = client.get("/api/v1/households", {"on": "2025-12-31"}).json()
    today = client.get("/api/v1/households").json()
    village = client.get(
        "/api/v1/households", {"on": "2024-12-31", "village": world["old"].code}
    ).json()
    bad = client.get("/api/v1/households", {"on": "31/12/2024"})

    assert [(h["code"], h["has_fibre"]) for h in then["results"]] == [
        ("DD0001", False),
        ("DD0002", False),
    ]
    assert then["results"][0]["ecommerce_platforms"] is None
    assert [h["code"] for h in today["results"]] == ["DD0001", "DD0002", "HN0003"]
    assert [h["village_name"] for h in village["results"]] == ["Thôn 1", "Thôn 1"]
    assert bad.status_code == 422
    assert "2024-12-31" in bad.json()["detail"]


def test_the_unit_page_counts_the_households_of_its_day(client, world, units):
    old_commune = client.get(
        reverse("units:unit-detail", args=["20515"]), {"ngay": "2024-12-31"}
    )
    new_commune = client.get(reverse("units:unit-detail", args=["20515"]))

    (then,) = old_commune.context["panels"]
    (now,) = new_commune.context["panels"]
    assert (then["title"], then["value"]) == ("Hộ gia đình ngày 31/12/2024", 2)
    assert (now["title"], now["value"]) == ("Hộ gia đình", 3)
    assert "Lê Văn Ba" not in old_commune.content.decode()


def test_the_home_page_of_31_12_2024_shows_that_days_communes_and_households(
    client, world
):
    response = client.get(reverse("home"), {"ngay": "2024-12-31"})

    summary = response.context["summary"]
    names = [c.name for c in summary["communes"]]
    assert "Xã Đại Đồng" in names and "Xã Hà Nha" not in names
    assert summary["household_count"] == 2
    assert summary["village_count"] == 1
    assert client.get(reverse("home")).context["summary"]["household_count"] == 3
    assert "Xã, thị trấn ngày 31/12/2024" in response.content.decode()


def test_the_facility_list_of_a_past_day_shows_that_days_wifi(client, login, world):
    from ntm.households.models import Facility
    from ntm.households.services import create_facility, update_facility

    with freeze_time("2025-08-01 09:00:00+07:00"):
        house = create_facility(
            village=world["new"],
            kind=Facility.Kind.CULTURAL_HOUSE,
            name="Nhà văn hóa thôn 11",
            has_wifi=False,
            by=None,
        )
    update_facility(house, has_wifi=True, by=None)
    login(world["officer"])
    url = reverse("households:facility-list")

    then = client.get(url, {"ngay": "2025-12-31"})
    before = client.get(url, {"ngay": "2024-12-31"})
    now = client.get(url)

    (row,) = then.context["rows"]
    assert (row["village"], row["cultural_house"].has_wifi) == (world["new"], False)
    (row,) = before.context["rows"]
    assert (row["village"], row["cultural_house"]) == (world["old"], None)
    (row,) = now.context["rows"]
    assert row["cultural_house"].has_wifi is True
    assert reverse("households:facility-village", args=["2051501"]) not in (
        then.content.decode()
    )
