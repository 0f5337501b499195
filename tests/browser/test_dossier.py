"""On a phone: a commune officer builds and submits a dossier, a council
member appraises it."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from ntm.accounts.models import Role
from ntm.dossiers.models import Dossier

from ..dossiers.conftest import commune_set, enter, met_figures  # noqa: F401
from ..factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("mat-khau-dung-1")
    page.get_by_role("button", name="Đăng nhập").click()


def test_officer_builds_and_submits_a_dossier_and_the_council_appraises_it(
    live_server,
    phone,
    units,
    commune_officer,
    met_figures,  # noqa: F811
):
    make_member(units["city"], Role.COUNCIL_MEMBER, chairs=True, username="hoidong")
    phone.on("dialog", lambda dialog: dialog.accept())

    sign_in(phone, live_server, "canboxa")
    phone.goto(live_server.url + reverse("dossiers:dossier-list"))
    phone.get_by_role("link", name="Lập hồ sơ mới").click()
    phone.get_by_label("Mức đề nghị công nhận").select_option("ntm")
    phone.get_by_label("Năm").fill("2025")
    phone.get_by_role("button", name="Lập hồ sơ").click()
    phone.get_by_role("button", name="Tự đánh giá từ số liệu hệ thống").click()
    expect(phone.locator("#dossier-status")).to_have_text("Đã tự đánh giá")
    today = timezone.localdate().isoformat()
    for n in range(1, 6):
        phone.get_by_label("Ngày niêm yết").fill(today)
        phone.get_by_label("Nơi niêm yết").fill(f"Nhà văn hóa thôn {n}")
        phone.get_by_role("button", name="Ghi lần niêm yết").click()
        expect(phone.locator("ol.postings li")).to_have_count(n)
    phone.get_by_role("button", name="Trình hồ sơ").click()
    expect(phone.locator("#dossier-status")).to_have_text("Đã trình")

    sign_in(phone, live_server, "hoidong")
    dossier = Dossier.objects.get()
    phone.goto(live_server.url + dossier.get_absolute_url())
    phone.get_by_role("link", name="Thẩm định hồ sơ").click()
    form = phone.get_by_role("form", name="Thẩm định từng tiêu chí")
    for number in ("8", "9"):
        line = form.locator(f"#tc-{number}")
        expect(line).to_contain_text("Xã tự đánh giá")
        line.get_by_label("Đạt", exact=True).check()
        line.get_by_label(f"Ý kiến về tiêu chí {number}").fill(
            "Số liệu khớp minh chứng."
        )
    form.get_by_role("button", name="Lưu ý kiến thẩm định").click()
    expect(phone.locator(".messages")).to_contain_text("Đã ghi ý kiến 2 tiêu chí.")
    for number in ("8", "9"):
        expect(
            phone.locator(f"#tc-{number}").get_by_label("Đạt", exact=True)
        ).to_be_checked()
    phone.locator("form.card").get_by_label("Đạt", exact=True).check()
    phone.get_by_role("button", name="Kết luận thẩm định").click()

    expect(phone.locator("#dossier-status")).to_have_text("Đã thẩm định")
    expect(phone.locator("section.history")).to_contain_text("Kết luận thẩm định")
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.APPRAISED
    assert dossier.postings.count() == 5
