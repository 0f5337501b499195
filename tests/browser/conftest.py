"""Headless Chromium (Debian's) driven by Playwright, against the live server."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(
            f"CI needs Chromium at {CHROMIUM} for the browser tests."
        )
    skip = pytest.mark.skip(
        reason=f"no Chromium at {CHROMIUM}: apt-get install chromium"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as actions do (15 s): under a loaded CI machine
    # a service worker taking over, then reading IndexedDB, outlasted the 5 s
    # default once (test_offline.py).
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield browser
        browser.close()


def _page(browser, width, height):
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="vi-VN"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def phone(browser):
    """A page on a phone-sized screen, in Vietnamese."""
    context, page = _page(browser, 390, 844)
    yield page
    context.close()


@pytest.fixture
def small_phone(browser):
    """The narrowest phone the district's users carry: 360 px wide."""
    context, page = _page(browser, 360, 780)
    yield page
    context.close()


@pytest.fixture
def desktop(browser):
    context, page = _page(browser, 1280, 900)
    yield page
    context.close()
