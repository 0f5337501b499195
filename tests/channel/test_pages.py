import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from ntm.channel.imports import SUBSCRIBERS
from ntm.channel.models import Announcement, Subscriber
from ntm.channel.services import add_subscriber, save_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def head_client(client, village_head):
    client.force_login(
        village_head, backend="django.contrib.auth.backends.ModelBackend"
    )
    return client


def _xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(SUBSCRIBERS.name)
    sheet.append([column.title for column in SUBSCRIBERS.columns])
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("nguoi-nhan.xlsx", buffer.getvalue())


def test_the_import_is_all_or_nothing_with_vietnamese_row_errors(head_client, villages):
    village = villages["hn1"]
    url = reverse("channel:subscriber-import", args=[village.code])
    day = datetime.date(2026, 1, 5)
    bad = [
        ["Lê Văn A", "0905123456", "", "", day],
        ["Không địa chỉ", "", "", "", day],
        ["Trần Thị B", "0905123456", "", "", day],
        ["Phạm C", "", "khong-phai-thu", "", day],
    ]

    refused = head_client.post(url, {"file": _xlsx(bad)})

    assert refused.status_code == 422
    text = refused.content.decode()
    assert "Cần ít nhất số điện thoại" in text and "trùng với dòng 2" in text
    assert not Subscriber.objects.exists()
    good = [
        ["Lê Văn A", "0905 123 456", "", "", day],
        ["Trần Thị B", "", "b@example.vn", "12345", day],
    ]
    assert head_client.post(url, {"file": _xlsx(good)}).status_code == 302
    again = [["Lê Văn An", "0905123456", "", "", day]]
    head_client.post(url, {"file": _xlsx(again)})
    assert sorted(Subscriber.objects.values_list("name", flat=True)) == [
        "Lê Văn An",
        "Trần Thị B",
    ]


def test_the_head_posts_and_sees_counts_with_masked_phones(
    head_client, villages, village_head, django_capture_on_commit_callbacks
):
    village = villages["hn1"]
    save_settings(
        village, by=village_head, email=True, sms=True, zalo=False, is_active=True
    )
    for number, name in enumerate(["Lê Văn A", "Trần Thị B"]):
        add_subscriber(
            village,
            by=None,
            consented_on=datetime.date(2026, 1, 5),
            name=name,
            phone=f"090512345{number}",
        )

    with django_capture_on_commit_callbacks(execute=True):
        response = head_client.post(
            reverse("channel:announcement-create", args=[village.code]),
            {"title": "Họp thôn", "body": "Tối thứ Bảy."},
        )

    announcement = Announcement.objects.get()
    assert response.url == reverse(
        "channel:announcement-detail", args=[village.code, announcement.pk]
    )
    page = head_client.get(response.url).content.decode()
    # The demo's and tests' SMS adapter is the console one: sent, never real.
    assert announcement.deliveries.filter(status="sent").count() == 2
    assert "0905***450" in page and "0905123450" not in page
