"""The platform as of 31/12/2024 on a 360 px phone: the home page, a unit
page, the household register, the plan dashboard and the smart-village
matrix show 2024's units and facts (issue 12, time travel)."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from freezegun import freeze_time
from playwright.sync_api import expect

from ntm.accounts.models import Role
from ntm.households.services import create_household, update_household
from ntm.indicators.services import load_all_criteria
from ntm.plans.services import load_all_plans

from ..factories import make_member, make_moved_village

pytestmark = pytest.mark.django_db(transaction=True)
DAY = "?ngay=2024-12-31"


def _no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways ({width} px)"


def test_a_commune_officer_reads_the_platform_as_of_31_12_2024(
    live_server, small_phone, units
):
    cache.clear()
    load_all_criteria()
    load_all_plans()
    old, new = make_moved_village(units)
    with freeze_time("2024-03-01 09:00:00+07:00"):
        for n, name in enumerate(["Lê Văn Ba", "Hồ Thị Tư"]):
            create_household(village=old, code=f"DD000{n}", head_name=name, by=None)
    with freeze_time("2025-07-01 08:00:00+07:00"):
        for household in old.households.all():
            update_household(household, village=new, by=None)
    create_household(village=new, code="HN0003", head_name="Đỗ Văn Năm", by=None)
    make_member(units["ha_nha"], Role.COMMUNE_OFFICER, username="canbo")
    page = small_phone
    url = live_server.url

    page.goto(url + reverse("home") + DAY)
    expect(page.locator(".as-of-note")).to_contain_text("31/12/2024")
    expect(page.get_by_role("link", name="Xã Đại Đồng")).to_be_visible()
    expect(page.get_by_role("link", name="Xã Hà Nha")).to_have_count(0)
    _no_sideways_scroll(page)

    page.get_by_role("link", name="Xã Đại Đồng").click()
    expect(page.locator("h1")).to_contain_text("Xã Đại Đồng")
    expect(page.locator(".unit-panels")).to_contain_text("Hộ gia đình ngày 31/12/2024")
    _no_sideways_scroll(page)

    page.goto(url + reverse("accounts:login"))
    page.get_by_label("Tên đăng nhập").fill("canbo")
    page.get_by_label("Mật khẩu").fill("mat-khau-dung-1")
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(url + reverse("households:household-list") + DAY)
    results = page.locator("#results")
    expect(results).to_contain_text("Ngày 31/12/2024 có 2 hộ")
    expect(results).to_contain_text("Thôn 1")
    expect(results).not_to_contain_text("HN0003")  # registered in 2026
    expect(page.get_by_role("link", name="Thêm hộ")).to_have_count(0)
    _no_sideways_scroll(page)
    page.get_by_role("link", name="Xem hôm nay").click()
    expect(page.locator("#results")).to_contain_text("HN0003")

    page.goto(url + reverse("dashboards:plan-summary") + DAY)
    expect(page.locator("#overview-title")).to_contain_text("2024")
    expect(page.locator(".as-of-note")).to_contain_text("31/12/2024")
    _no_sideways_scroll(page)

    matrix = reverse(
        "indicators:evaluation-matrix", args=["THON_THONG_MINH_DAI_LOC", "20515"]
    )
    page.goto(url + matrix + DAY)
    expect(page.locator("h1")).to_contain_text("Xã Đại Đồng năm 2024")
    expect(page.locator("table")).to_contain_text("Thôn 1")
    expect(page.locator("table")).not_to_contain_text("Thôn 11")
