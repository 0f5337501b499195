"""A village head gives the village's households their digital addresses and
prints the plates; a plate's QR code opens the public address page."""

import io
from decimal import Decimal

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect
from shapely.geometry import shape

from ntm.accounts.models import Role
from ntm.households.models import Household

from ..factories import HouseholdFactory, make_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_village_head_assigns_address_codes_and_prints_plates(
    live_server, phone, villages
):
    village = villages["hn1"]
    inside = shape(village.parent.boundary).representative_point()
    make_member(village, Role.VILLAGE_HEAD, username="thon1")
    for index, name in enumerate(["Trần Thị Bình", "Nguyễn Văn Đức", "Lê Văn An"]):
        HouseholdFactory(
            village=village,
            code=f"HN000{index + 1}",
            head_name=name,
            lat=Decimal(f"{inside.y:.6f}") - Decimal(index) / 1000,
            lon=Decimal(f"{inside.x:.6f}"),
        )

    phone.goto(live_server.url + reverse("accounts:login"))
    phone.get_by_label("Tên đăng nhập").fill("thon1")
    phone.get_by_label("Mật khẩu").fill("mat-khau-dung-1")
    phone.get_by_role("button", name="Đăng nhập").click()
    phone.goto(
        live_server.url + reverse("households:facility-village", args=[village.code])
    )
    phone.get_by_role("link", name="Địa chỉ số và biển địa chỉ của thôn").click()
    expect(phone.locator("#address-missing")).to_contain_text("Còn 3 nơi")
    phone.get_by_role("button", name="Gán mã cho các nơi chưa có").click()

    expect(phone.locator(".message.success")).to_contain_text(
        f"Đã gán 3 mã địa chỉ số, từ {village.code}-0001 đến {village.code}-0003"
    )
    table = phone.locator("#address-table")
    expect(table).to_contain_text(f"{village.code}-0001")
    # North to south: the first household is the northernmost.
    assert Household.objects.get(code="HN0001").address_code == f"{village.code}-0001"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.get_by_role("link", name="In biển địa chỉ").click()
    plates = phone.locator(".plate")
    expect(plates).to_have_count(3)
    expect(plates.first).to_contain_text(f"{village.code}-0001")
    expect(phone.locator("#plates")).not_to_contain_text("Trần Thị Bình")
    png = plates.first.locator(".plate-qr").screenshot()
    (barcode,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    public_url = live_server.url + f"/dc/{village.code}-0001/"
    assert barcode.text == public_url
    phone.emulate_media(media="print")
    expect(phone.get_by_role("button", name="In biển")).to_be_hidden()
    expect(plates.nth(2)).to_be_visible()

    phone.emulate_media(media="screen")
    phone.goto(barcode.text)
    expect(phone.locator("h1")).to_contain_text(f"{village.code}-0001")
    expect(phone.locator("main")).to_contain_text("Hộ gia đình")
    expect(phone.locator("main")).not_to_contain_text("Trần Thị Bình")
