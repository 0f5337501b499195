"""A commune officer submits the yearly report; the focal office sees the
completeness table change and downloads the consolidated report."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ..reports.conftest import focal, form_2025  # noqa: F401
from .test_dossier import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_commune_officer_submits_and_the_focal_office_downloads_the_report(
    live_server,
    desktop,
    phone,
    form_2025,  # noqa: F811
    focal,  # noqa: F811
    commune_officer,
):
    completeness = live_server.url + reverse("reports:completeness", args=[2025])
    sign_in(desktop, live_server, "vhtt")
    desktop.goto(completeness)
    expect(desktop.locator("#report-submitted")).to_have_text("0 / 10")

    phone.on("dialog", lambda dialog: dialog.accept())
    sign_in(phone, live_server, "canboxa")
    phone.goto(live_server.url + reverse("reports:assignment-list"))
    phone.get_by_role("link", name="Xã Hà Nha").click()
    phone.get_by_label("Kết quả thực hiện").fill("Đã tập huấn kỹ năng số.")
    phone.get_by_role("button", name="Nộp báo cáo").click()
    expect(phone.locator("#submission-status")).to_have_text("Đã nộp")

    desktop.reload()
    expect(desktop.locator("#report-submitted")).to_have_text("1 / 10")
    row = desktop.locator("#completeness-table tr", has_text="Xã Hà Nha")
    expect(row).to_contain_text("Đã nộp")
    with desktop.expect_download() as download:
        desktop.get_by_role("link", name="Tải báo cáo tổng hợp (DOCX)").click()
    assert download.value.suggested_filename == "bao-cao-tong-hop-2025.docx"
