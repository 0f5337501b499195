"""The village head posts an announcement from a small phone (360 px) and
sees its delivery status; SMS and Zalo go to fake servers on loopback."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ntm.channel.models import Delivery
from ntm.channel.services import add_subscriber, save_settings

from ..channel.conftest import FakeServer

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


def test_village_head_posts_an_announcement_and_sees_its_delivery(
    live_server, small_phone, villages, village_head, settings
):
    sms = FakeServer([(200, {})])
    # Zalo is down: the delivery waits for its retry, the SMS ones go out.
    zalo = FakeServer([(503, {})])
    settings.CHANNEL_ADAPTERS = {
        "email": {"kind": "email"},
        "sms": {"kind": "http", "name": "sms", "url": sms.url, "timeout": 2},
        "zalo": {"kind": "zalo", "url": zalo.url, "token": "t", "timeout": 2},
    }
    village = villages["hn1"]
    save_settings(village, by=None, email=False, sms=True, zalo=True, is_active=True)
    for number, (name, zalo_id) in enumerate(
        [("Lê Văn An", "8471"), ("Trần Bình", "")]
    ):
        add_subscriber(
            village,
            by=None,
            consented_on=datetime.date(2026, 1, 5),
            name=name,
            phone=f"090512345{number}",
            zalo_user_id=zalo_id,
        )
    page = small_phone
    try:
        page.goto(live_server.url + reverse("accounts:login"))
        page.get_by_label("Tên đăng nhập").fill("truongthon")
        page.get_by_label("Mật khẩu").fill("mat-khau-dung-1")
        page.get_by_role("button", name="Đăng nhập").click()
        page.goto(live_server.url + reverse("channel:village", args=[village.code]))
        page.get_by_role("link", name="Gửi thông báo").click()
        page.get_by_label("Tiêu đề").fill("Họp thôn tối thứ Bảy")
        page.get_by_label("Nội dung").fill("19 giờ tại nhà văn hóa thôn.")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.get_by_role("button", name="Lưu").click()

        counts = page.get_by_test_id("delivery-counts")
        expect(counts).to_contain_text("2 đã gửi")
        expect(counts).to_contain_text("1 đang chờ gửi")
        expect(page.get_by_text("0905***450").first).to_be_visible()
        assert "0905123450" not in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        sms.close()
        zalo.close()
    assert len(sms.received) == 2
    assert Delivery.objects.get(adapter="zalo").attempts == 1
