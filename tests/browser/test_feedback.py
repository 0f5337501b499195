"""A resident on a small phone reports a broken road with a photo and a map
point, follows it with the code, and sees it resolved."""

import io

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from ntm.feedback.models import Report
from ntm.feedback.services import change_status, load_categories

pytestmark = pytest.mark.django_db(transaction=True)


def _photo():
    out = io.BytesIO()
    Image.new("RGB", (320, 240), "gray").save(out, format="JPEG")
    return out.getvalue()


def test_resident_reports_follows_and_sees_it_resolved(live_server, browser, units):
    # The live server's database is emptied between tests, migration rows too.
    load_categories()
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN"
    )
    phone = context.new_page()
    phone.set_default_timeout(15_000)

    phone.goto(live_server.url + reverse("feedback:report-create"))
    phone.get_by_label("Lĩnh vực").select_option(label="Đường sá, cầu cống hư hỏng")
    phone.get_by_label("Nội dung").fill("Đường bê tông bị sụt lún")
    phone.locator("#feedback-pick-map").click()  # the centre of the district
    expect(phone.locator("#id_lat")).not_to_have_value("")
    phone.set_input_files(
        "#id_photos",
        files=[{"name": "duong.jpg", "mimeType": "image/jpeg", "buffer": _photo()}],
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.get_by_role("button", name="Gửi phản ánh").click()

    expect(phone.locator(".message.success")).to_contain_text("Mã theo dõi")
    code = phone.locator("#follow-code").inner_text()
    report = Report.objects.get(code=code)
    assert report.photos.count() == 1
    phone.goto(live_server.url + "/")
    phone.goto(live_server.url + reverse("feedback:report-follow", args=[code]))
    expect(phone.locator("#report-status")).to_have_text("Đã tiếp nhận")

    change_status(report, "resolve", by=None, note="Đã đổ bê tông lại đoạn sụt")
    phone.reload()

    expect(phone.locator("#report-status")).to_have_text("Đã xử lý xong")
    expect(phone.locator(".timeline")).to_contain_text("Đã đổ bê tông lại đoạn sụt")
    expect(phone.get_by_role("button", name="Mở lại")).to_be_visible()
    context.close()
