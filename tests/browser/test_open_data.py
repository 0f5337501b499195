"""The open-data catalogue on the smallest phone: readable, no sideways
scroll, and its files download."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ..opendata.conftest import records  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def small_phone(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def scroll_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_catalogue_and_dataset_pages_fit_a_360_px_phone(
    live_server,
    small_phone,
    records,  # noqa: F811
):
    page = small_phone
    page.goto(live_server.url + reverse("opendata:catalogue"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dữ liệu mở")
    expect(page.get_by_role("link", name="Vùng trồng được cấp mã số")).to_be_visible()
    assert scroll_width(page) <= 360
    with page.expect_download() as download:
        page.locator(
            f"a[href='{reverse('opendata:dataset-file', args=['vung-trong', 'csv'])}']"
        ).click()
    assert download.value.suggested_filename == "vung-trong.csv"
    page.get_by_role("link", name="Kết quả đánh giá xã nông thôn mới theo năm").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Kết quả đánh giá xã nông thôn mới theo năm"
    )
    expect(page.get_by_text("Ủy ban nhân dân huyện Đại Lộc")).to_be_visible()
    assert scroll_width(page) <= 360
