"""A producer keeps the diary from a phone; a shopper scans a lot's QR code."""

import datetime
import io

import pytest
import zxingcpp
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from ntm.traceability.models import DiaryEntry

from ..traceability.conftest import (  # noqa: F401  (fixtures)
    coded,
    declared,
    entity,
    lot,
    office,
    producer,
    product,
    sprayed,
)

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()


@pytest.fixture
def small_phone(browser):
    """A 360 px wide phone, the narrowest in common use."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _sign_in(page, live_server, username):
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("mat-khau-dung-1")
    page.get_by_role("button", name="Đăng nhập").click()
    # The next goto would cancel a sign-in still on its way.
    expect(page).not_to_have_url(live_server.url + reverse("accounts:login"))


def _fits(page):
    # Measured on the page a click has just opened: between its commit and
    # its parse the document has no root element yet (seen once in CI).
    page.wait_for_load_state()
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


def _decode(png):
    (barcode,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return barcode.text


def test_producer_records_a_spraying_and_a_harvest_on_a_phone(
    live_server,
    small_phone,
    coded,  # noqa: F811
    producer,  # noqa: F811
):
    page = small_phone
    _sign_in(page, live_server, "htx.hanha")
    page.goto(live_server.url + reverse("traceability:home"))
    page.get_by_role("link", name="Ghi nhật ký").first.click()
    assert _fits(page)

    page.get_by_label("Phun thuốc bảo vệ thực vật").check()
    page.locator("#id_on").fill((TODAY - datetime.timedelta(days=5)).isoformat())
    page.get_by_label("Tên vật tư, giống").fill("Radiant 60SC")
    page.get_by_label("Liều lượng").fill("20 ml/bình 16 lít")
    page.get_by_label("Thời gian cách ly (ngày)").fill("3")
    page.get_by_role("button", name="Lưu nhật ký").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi nhật ký")

    # Two days after the spraying is still inside its 3-day interval.
    page.get_by_label("Thu hoạch").check()
    page.locator("#id_on").fill((TODAY - datetime.timedelta(days=3)).isoformat())
    page.get_by_label("Sản lượng (kg)").fill("350")
    page.get_by_role("button", name="Lưu nhật ký").click()
    safe = (TODAY - datetime.timedelta(days=2)).strftime("%d/%m/%Y")
    expect(page.get_by_role("alert")).to_contain_text("lần phun Radiant 60SC")
    expect(page.get_by_role("alert")).to_contain_text(safe)
    expect(page.get_by_label("Sản lượng (kg)")).to_have_value("350")
    assert _fits(page)

    page.locator("#id_on").fill(TODAY.isoformat())
    page.get_by_role("button", name="Lưu nhật ký").click()
    expect(page.locator(".messages")).to_contain_text("Thu hoạch")

    kinds = list(coded.diary.order_by("on").values_list("kind", flat=True))
    assert kinds == [DiaryEntry.Kind.PESTICIDE, DiaryEntry.Kind.HARVEST]


def test_shopper_opens_the_scan_page_from_the_qr_image(
    live_server,
    small_phone,
    browser,
    lot,  # noqa: F811
    settings,
):
    settings.TRACE_BASE_URL = live_server.url
    staff = browser.new_context(viewport={"width": 1000, "height": 1400})
    label_page = staff.new_page()
    _sign_in(label_page, live_server, "htx.hanha")
    label_page.goto(
        live_server.url + reverse("traceability:lot-labels", args=[lot.pk, "svg"])
    )
    first_label = label_page.locator("g.label").first
    printed = first_label.locator("text.uri").text_content()
    label_page.set_viewport_size({"width": 2400, "height": 3400})
    label_page.goto(label_page.url)
    decoded = _decode(label_page.locator("g.label").first.screenshot())
    staff.close()

    assert decoded == printed == f"{live_server.url}/01/{lot.gtin}/10/HN-001"
    page = small_phone
    page.goto(decoded)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rau cải ngọt")
    expect(page.locator(".chain-ok")).to_contain_text("toàn vẹn")
    expect(page.locator("body")).to_contain_text(lot.area.code)
    expect(page.locator("body")).to_contain_text("Radiant 60SC")
    assert _fits(page)
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Production diary")).to_be_visible()
