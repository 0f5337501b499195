import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from ntm.ocop.models import ExpiryReminder
from ntm.ocop.services import send_expiry_reminders
from ntm.ocop.tasks import remind_expiring_certificates

pytestmark = pytest.mark.django_db
ISSUED = datetime.date(2025, 11, 25)  # valid to 25/11/2028


@pytest.fixture
def certified(make_evaluation, product, producer, office):
    producer.email, office.email = "sanxuat@example.vn", "nn@example.vn"
    producer.save(update_fields=["email"])
    office.save(update_fields=["email"])
    return make_evaluation(product, total=75, day=ISSUED)


def test_a_certificate_ending_within_the_window_is_reminded_once(certified):
    day = datetime.date(2028, 10, 1)  # 55 days before 25/11/2028

    sent = send_expiry_reminders(day, within_days=90)
    again = send_expiry_reminders(day + datetime.timedelta(days=1), within_days=90)

    assert [r.evaluation for r in sent] == [certified]
    assert again == []
    (message,) = mail.outbox
    assert message.subject == (
        "Giấy chứng nhận OCOP sắp hết hiệu lực: Mật ong rừng Đại Đồng"
    )
    assert "hết hiệu lực ngày 25/11/2028, còn 55 ngày" in message.body
    assert sorted(message.to) == ["nn@example.vn", "sanxuat@example.vn"]
    assert ExpiryReminder.objects.get().recipients == 2


def test_certificates_far_from_their_end_or_already_ended_are_not_reminded(
    certified,
):
    assert send_expiry_reminders(datetime.date(2028, 8, 1), within_days=90) == []
    assert send_expiry_reminders(datetime.date(2028, 11, 26), within_days=90) == []
    assert mail.outbox == []


def test_the_last_valid_day_is_still_reminded(certified):
    assert len(send_expiry_reminders(datetime.date(2028, 11, 25), within_days=1)) == 1


def test_the_command_runs_the_task_inline(certified, capsys):
    call_command("send_ocop_expiry_reminders", "--ngay", "2028-11-01", "--trong", "30")

    assert "Đã gửi 1 lời nhắc." in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_the_task_takes_plain_json_arguments(certified):
    result = remind_expiring_certificates.enqueue(day="2028-11-20", within_days=10)

    assert result.return_value == 1
