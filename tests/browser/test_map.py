"""A visitor's phone opens the map: communes coloured, households counted by
village (no household shown), a layer ticked, a place found without accents."""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from shapely.geometry import shape

from ntm.households.models import Facility

from ..factories import FacilityFactory, HouseholdFactory, make_village

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_on_a_phone_sees_clusters_layers_and_finds_a_village(
    live_server, phone, units
):
    inside = shape(units["ha_nha"].boundary).representative_point()
    lat, lon = Decimal(f"{inside.y:.6f}"), Decimal(f"{inside.x:.6f}")
    village = make_village(units["ha_nha"], 7, lat=lat, lon=lon)
    for index in range(12):
        HouseholdFactory(
            village=village,
            code=f"HN07{index:02d}",
            head_name="Nguyễn Văn Kín",
            lat=lat + Decimal(index) / 10000,
            lon=lon,
        )
    FacilityFactory(
        village=village,
        kind=Facility.Kind.WIFI_POINT,
        name="Wi-Fi chợ Hà Nha",
        lat=lat,
        lon=lon,
    )
    phone.set_viewport_size({"width": 360, "height": 740})

    phone.goto(live_server.url + reverse("maps:map"))

    box = phone.locator("#map")
    expect(box).to_have_attribute("data-units-loaded", "5")
    expect(box).to_have_attribute("data-household-features", "1")
    cluster = phone.locator(".cluster")
    expect(cluster).to_have_text("12")
    expect(phone.locator("main")).not_to_contain_text("Nguyễn Văn Kín")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    wifi = phone.get_by_label("Điểm Wi-Fi công cộng")
    wifi.check()
    expect(wifi).to_have_attribute("data-loaded", "1")

    phone.get_by_placeholder("Tên thôn, xã, công trình hoặc mã địa chỉ số").fill(
        "ha nha"
    )
    phone.get_by_role("button", name="Tìm").click()
    results = phone.locator("#map-results")
    expect(results).to_contain_text("Xã Hà Nha")
    results.get_by_role("button", name="Wi-Fi chợ Hà Nha").click()
    expect(cluster).to_have_text("12")
    assert (
        phone.evaluate("document.querySelector('#map').dataset.householdFeatures")
        == "1"
    )
