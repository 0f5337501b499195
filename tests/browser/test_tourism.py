"""A visitor's phone (360 px) opens the tourism map, a site page, its 360°
panorama, and switches to English."""

import random

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ntm.tourism import demo

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def small_phone(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_visitor_reads_a_site_and_turns_its_panorama(
    small_phone, live_server, units, settings
):
    # The no-tile mode of closed networks: the test machine has no internet.
    settings.MAP_TILE_URL = ""
    demo.build(random.Random(1))
    page = small_phone
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.goto(live_server.url + reverse("tourism:site-map"))
    expect(page.get_by_role("heading", name="Bản đồ du lịch")).to_be_visible()
    expect(page.locator("#tourism-map .leaflet-interactive")).to_have_count(5)
    page.get_by_role("link", name="Bến sông Vu Gia Hà Nha").click()
    expect(page.get_by_role("heading", name="Bến sông Vu Gia Hà Nha")).to_be_visible()
    # Pannellum draws the panorama on a canvas (WebGL).
    expect(page.locator(".panorama canvas")).to_have_count(1)
    expect(page.locator(".panorama .pnlm-load-box")).to_be_hidden()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    page.get_by_role("link", name="English").click()
    expect(
        page.get_by_role("heading", name="Hà Nha riverside on the Vu Gia")
    ).to_be_visible()
    expect(page.get_by_text("Opening hours")).to_be_visible()
    expect(page.get_by_text("360° panorama: drag to look around")).to_be_visible()
    assert not problems, problems
