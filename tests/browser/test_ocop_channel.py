"""A producer records an e-commerce listing from a small phone (360 px)."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ntm.accounts.models import Role
from ntm.ocop.models import CouncilLevel, SalesChannel

from ..factories import (
    EcommercePlatformFactory,
    EntityFactory,
    EvaluationRoundFactory,
    ProductFactory,
    make_member,
)
from ..ocop import conftest as ocop

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def small_phone(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_producer_records_a_sales_channel_on_a_phone(
    live_server, small_phone, villages
):
    producer = make_member(villages["hn1"], Role.PRODUCER, username="sanxuat")
    entity = EntityFactory(unit=villages["hn1"], name="Hộ kinh doanh Mật ong Hà Nha")
    entity.accounts.add(producer)
    EntityFactory(unit=villages["hn1"], name="Công ty của người khác")
    EcommercePlatformFactory(name="Voso.vn")
    page = small_phone

    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Tên đăng nhập").fill("sanxuat")
    page.get_by_label("Mật khẩu").fill("mat-khau-dung-1")
    page.get_by_role("button", name="Đăng nhập").click()
    page.locator("label.nav-button").click()
    page.get_by_role("link", name="Chủ thể OCOP của tôi").click()
    page.locator("section.card", has_text="Chủ thể của tôi").get_by_role(
        "link", name="Hộ kinh doanh Mật ong Hà Nha"
    ).click()
    page.get_by_role("link", name="Thêm kênh bán hàng").click()
    page.get_by_label("Kênh").select_option(label="Sàn thương mại điện tử")
    page.get_by_label("Sàn thương mại điện tử").select_option(label="Voso.vn")
    page.get_by_label("Đường dẫn gian hàng").fill("https://voso.vn/gian-hang/mat-ong")
    page.get_by_label("Bán từ ngày").fill("2026-03-01")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Lưu").click()

    channels = page.locator("#kenh-ban-hang")
    expect(channels).to_contain_text("Voso.vn")
    expect(channels).to_contain_text("01/03/2026")
    channel = SalesChannel.objects.get()
    assert (channel.entity, channel.kind, channel.listed_from) == (
        entity,
        SalesChannel.Kind.ECOMMERCE,
        datetime.date(2026, 3, 1),
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


# The OCOP tests' fixtures, shared rather than written again.
sheets, office, council = ocop.sheets, ocop.office, ocop.council
evaluation_round, make_evaluation = ocop.evaluation_round, ocop.make_evaluation


def test_product_list_with_star_ratings_fits_a_360_px_phone(
    live_server, small_phone, units, make_evaluation, office
):
    """A five-star row makes the product table wider than the phone; the
    stars' hidden text ("5 sao") must scroll with the table, not widen the
    page."""
    entity = EntityFactory(unit=units["ha_nha"], name="Tổ hợp tác đan lát Thượng Đức")
    national = EvaluationRoundFactory(
        unit=units["city"], council_level=CouncilLevel.CENTRAL
    )
    make_evaluation(
        ProductFactory(entity=entity, name="Giỏ mây tre Thượng Đức", is_demo=True),
        total=95,
        round_=national,
    )
    page = small_phone
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Tên đăng nhập").fill("nn")
    page.get_by_label("Mật khẩu").fill("mat-khau-dung-1")
    page.get_by_role("button", name="Đăng nhập").click()

    page.goto(live_server.url + reverse("ocop:product-list"))

    expect(page.locator("table")).to_contain_text("5 sao")
    assert page.evaluate("document.querySelector('table').scrollWidth") > 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
