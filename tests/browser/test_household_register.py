"""A village head keeps the register from a phone."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ntm.accounts.models import Role
from ntm.households.models import Household

from ..factories import HouseholdFactory, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_village_head_finds_a_household_without_diacritics_and_changes_fibre(
    live_server, phone, villages
):
    make_member(villages["hn1"], Role.VILLAGE_HEAD, username="thon1")
    HouseholdFactory(village=villages["hn1"], code="HN0001", head_name="Trần Thị Bình")
    HouseholdFactory(village=villages["hn1"], code="HN0002", head_name="Nguyễn Văn Đức")
    HouseholdFactory(
        village=villages["vg1"], code="VG0001", head_name="Nguyễn Văn Đức Anh"
    )

    phone.goto(live_server.url + reverse("accounts:login"))
    phone.get_by_label("Tên đăng nhập").fill("thon1")
    phone.get_by_label("Mật khẩu").fill("mat-khau-dung-1")
    phone.get_by_role("button", name="Đăng nhập").click()
    phone.goto(live_server.url + reverse("households:household-list"))
    phone.get_by_role("searchbox").fill("nguyen van duc")

    results = phone.locator("#results")
    expect(results).to_contain_text("Nguyễn Văn Đức")
    expect(results).not_to_contain_text("Trần Thị Bình")
    expect(results).not_to_contain_text("Nguyễn Văn Đức Anh")  # another village
    results.get_by_role("link", name="HN0002").click()
    phone.get_by_role("link", name="Sửa").first.click()
    phone.get_by_label("Có Internet cáp quang").check()
    phone.get_by_role("button", name="Lưu").click()

    history = phone.locator("section.history")
    expect(history).to_contain_text("Có Internet cáp quang")
    expect(history).to_contain_text("Sửa")
    expect(history).to_contain_text("Không → Có")
    assert Household.objects.get(code="HN0002").has_fibre is True
