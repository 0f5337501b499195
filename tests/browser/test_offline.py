"""A village head keeps the register on a phone with no network."""

import datetime

import pytest
from django.core.signals import request_started
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from ntm.accounts.models import Role
from ntm.households.models import Household
from ntm.households.services import update_household
from ntm.surveys.models import Choice, Question, Response, Survey
from tests.factories import HouseholdFactory, make_member

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 360, "height": 780}
# Wait until the service worker controls the page (evaluate, not
# wait_for_function: the page's CSP refuses the eval that polling uses).
CONTROLLED = """async () => {
  const worker = navigator.serviceWorker;
  await worker.ready;
  if (!worker.controller) {
    await new Promise((done) =>
      worker.addEventListener("controllerchange", done, { once: true }));
  }
}"""


@pytest.fixture
def head(villages):
    make_member(villages["hn1"], Role.VILLAGE_HEAD, username="thon1")
    for code, name, phone in [
        ("HN0001", "Trần Thị Bình", "0905000001"),
        ("HN0002", "Nguyễn Văn Đức", "0905000002"),
        ("HN0003", "Lê Văn Cường", "0905000003"),
    ]:
        HouseholdFactory(
            village=villages["hn1"], code=code, head_name=name, phone=phone
        )
    now = timezone.now()
    survey = Survey.objects.create(
        title="Ý kiến về xây dựng NTM 2025",
        slug="y-kien-ntm-2025",
        unit=villages["hn1"].parent,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=5),
        status=Survey.Status.OPEN,
    )
    overall = Question.objects.create(
        survey=survey, order=1, kind=Question.Kind.SINGLE, text="Có hài lòng không?"
    )
    Choice.objects.create(question=overall, order=1, label="Hài lòng", value="yes")
    Choice.objects.create(question=overall, order=2, label="Chưa hài lòng", value="no")
    return survey


@pytest.fixture
def phone_360(browser):
    context = browser.new_context(
        viewport=PHONE, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def server_requests():
    """Paths the live server was asked for, from now on."""
    paths = []

    def record(sender, environ, **kwargs):
        paths.append(environ["PATH_INFO"])

    request_started.connect(record)
    yield paths
    request_started.disconnect(record)


def _edit(page, code, **values):
    page.locator(f'#household-list li[data-code="{code}"]').get_by_role(
        "button", name="Sửa"
    ).click()
    form = page.locator("#household-form")
    for name, value in values.items():
        field = form.locator(f'[name="{name}"]')
        if isinstance(value, bool):
            field.set_checked(value)
        else:
            field.fill(value)
    form.get_by_role("button", name="Lưu trên điện thoại").click()


def test_village_head_edits_offline_syncs_and_decides_a_conflict(
    live_server, phone_360, villages, head, server_requests
):
    page = phone_360
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security" in m.text else None,
    )
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Tên đăng nhập").fill("thon1")
    page.get_by_label("Mật khẩu").fill("mat-khau-dung-1")
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(live_server.url + reverse("households:offline-register"))
    expect(page.locator("#household-list li")).to_have_count(3)
    page.evaluate(CONTROLLED)

    # No network: the page comes from the phone, edits wait there.
    page.context.set_offline(True)
    server_requests.clear()
    page.reload()
    expect(page.locator("#network")).to_contain_text("Không có mạng")
    expect(page.locator("#household-list li")).to_have_count(3)
    _edit(page, "HN0001", members="0")
    expect(page.locator('[data-errors="members"]')).to_contain_text("từ 1 đến 50")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator('#household-form [name="members"]').fill("5")
    page.locator("#household-form").get_by_role(
        "button", name="Lưu trên điện thoại"
    ).click()
    _edit(page, "HN0002", has_fibre=True, phone="0905 111 222")
    _edit(page, "HN0003", head_name="Lê Văn Cường (con)")
    page.locator('#household-list li[data-code="HN0001"]').get_by_role(
        "button", name="Nhập phiếu giấy"
    ).click()
    page.locator("#paper-form").get_by_label("Hài lòng", exact=True).check()
    page.get_by_role("button", name="Lưu phiếu trên điện thoại").click()
    expect(page.locator("#pending-count")).to_have_text("Chờ đồng bộ: 4")
    expect(page.locator('#household-list li[data-code="HN0002"]')).to_contain_text(
        "chờ đồng bộ"
    )
    assert server_requests == []  # really offline: nothing reached the server
    # Meanwhile the commune changes HN0003's head on the server.
    officer = make_member(villages["hn1"].parent, Role.COMMUNE_OFFICER)
    update_household(
        Household.objects.get(code="HN0003"), by=officer, head_name="Lê Thị Cúc"
    )

    # Back online: the queue goes by itself.
    page.context.set_offline(False)

    expect(page.locator("#pending-count")).to_have_text("Chờ đồng bộ: 0")
    expect(page.locator("#sync-message")).to_contain_text("Đã đồng bộ 4 thay đổi")
    first, second, third = (
        Household.objects.get(code=code) for code in ("HN0001", "HN0002", "HN0003")
    )
    assert first.members == 5
    assert (second.has_fibre, second.phone) == (True, "0905111222")
    assert third.head_name == "Lê Thị Cúc"  # the conflict is not overwritten
    response = Response.objects.get(household=first)
    assert (response.channel, response.entered_by.username) == ("paper", "thon1")
    conflict = page.locator("#conflicts")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("HN0003")
    expect(conflict).to_contain_text("Trên máy chủ:Lê Thị Cúc")
    expect(conflict).to_contain_text("Trên điện thoại:Lê Văn Cường (con)")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert "/api/v1/sync/changes" in server_requests

    # The head decides: the phone's value.
    conflict.get_by_label("Trên điện thoại").check()
    conflict.get_by_role("button", name="Lưu lựa chọn").click()

    expect(page.locator("#conflicts")).to_be_hidden()
    expect(page.locator("#pending-count")).to_have_text("Chờ đồng bộ: 0")
    expect(page.locator('#household-list li[data-code="HN0003"]')).to_contain_text(
        "Lê Văn Cường (con)"
    )
    third.refresh_from_db()
    assert third.head_name == "Lê Văn Cường (con)"
    assert violations == []


def test_offline_shell_is_installable(live_server, phone_360, villages, head):
    page = phone_360
    page.goto(live_server.url + reverse("households:offline-manifest"))
    manifest = page.evaluate("JSON.parse(document.body.innerText)")

    icons = [
        page.request.get(live_server.url + icon["src"]) for icon in manifest["icons"]
    ]

    assert manifest["start_url"] == reverse("households:offline-register")
    assert manifest["theme_color"] == "#1b6b3a"
    assert [icon.headers["content-type"] for icon in icons] == ["image/png"] * 3
