import datetime

import pytest
from django.core import mail
from django.utils import timezone

from ntm.channel.models import Delivery, Subscriber
from ntm.channel.services import (
    MAX_ATTEMPTS,
    RETRY_DELAYS,
    ChannelError,
    add_subscriber,
    opt_out,
    opt_out_by_keyword,
    post_announcement,
    save_settings,
    send_due_deliveries,
)
from ntm.core.models import ActionLog
from ntm.core.notify import EmailNotifier, HttpNotifier, ZaloNotifier

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def village(villages, village_head):
    village = villages["hn1"]
    save_settings(
        village, by=village_head, email=True, sms=True, zalo=True, is_active=True
    )
    return village


def _subscriber(village, name, **addresses):
    return add_subscriber(village, by=None, consented_on=TODAY, name=name, **addresses)


def _post(village, by):
    return post_announcement(
        village, by=by, title="Họp thôn", body="Tối thứ Bảy họp tại nhà văn hóa."
    )


def _notifiers(sms, zalo):
    return {
        "email": EmailNotifier(),
        "sms": HttpNotifier(name="sms", url=sms.url, token="sms-key", timeout=2),
        "zalo": ZaloNotifier(url=zalo.url, token="oa-token", timeout=2),
    }


def test_one_delivery_per_recipient_and_adapter_with_its_address(
    village, village_head, fake_server
):
    sms, zalo = fake_server(), fake_server()
    _subscriber(village, "Lê Văn A", phone="0905 123 456", zalo_user_id="8471")
    _subscriber(village, "Trần Thị B", email="b@example.vn")

    announcement = _post(village, village_head)
    send_due_deliveries(announcement=announcement, notifiers=_notifiers(sms, zalo))

    assert sorted(
        announcement.deliveries.values_list("subscriber__name", "adapter", "status")
    ) == [
        ("Lê Văn A", "sms", "sent"),
        ("Lê Văn A", "zalo", "sent"),
        ("Trần Thị B", "email", "sent"),
    ]
    [sms_post] = sms.received
    assert sms_post["body"]["to"] == ["0905123456"]
    assert sms_post["headers"]["authorization"] == "Bearer sms-key"
    [zalo_post] = zalo.received
    assert zalo_post["headers"]["access_token"] == "oa-token"
    assert zalo_post["body"]["recipient"] == {"user_id": "8471"}
    assert "Họp thôn" in zalo_post["body"]["message"]["text"]
    assert mail.outbox[0].to == ["b@example.vn"]
    # Every message tells how to stop, with the subscriber's own token.
    token = Subscriber.objects.get(name="Lê Văn A").token
    assert f"HUY {token}" in sms_post["body"]["text"]


def test_a_500_is_retried_after_the_backoff_and_then_sent(
    village, village_head, fake_server
):
    sms = fake_server((500, {}), (200, {}))
    zalo = fake_server()
    _subscriber(village, "Lê Văn A", phone="0905123456", zalo_user_id="8471")
    announcement = _post(village, village_head)
    notifiers = _notifiers(sms, zalo)
    start = timezone.now()

    next_due = send_due_deliveries(
        announcement=announcement, now=start, notifiers=notifiers
    )

    sms_row = announcement.deliveries.get(adapter="sms")
    assert (sms_row.status, sms_row.attempts, sms_row.last_error) == (
        "queued",
        1,
        "sms: HTTP 500",
    )
    # The gateway's failure held nothing else back.
    assert announcement.deliveries.get(adapter="zalo").status == "sent"
    assert next_due == start + datetime.timedelta(seconds=RETRY_DELAYS[0])
    # Not before its time...
    send_due_deliveries(announcement=announcement, now=start, notifiers=notifiers)
    assert len(sms.received) == 1

    send_due_deliveries(announcement=announcement, now=next_due, notifiers=notifiers)

    sms_row.refresh_from_db()
    assert (sms_row.status, sms_row.attempts) == ("sent", 2)
    assert len(sms.received) == 2
    assert len(zalo.received) == 1


def test_a_gateway_down_for_good_fails_after_the_last_attempt(
    village, village_head, fake_server
):
    sms, zalo = fake_server((503, {})), fake_server()
    _subscriber(village, "Lê Văn A", phone="0905123456")
    announcement = _post(village, village_head)
    notifiers = _notifiers(sms, zalo)
    now = timezone.now()

    for _attempt in range(MAX_ATTEMPTS + 2):
        send_due_deliveries(announcement=announcement, now=now, notifiers=notifiers)
        now += datetime.timedelta(hours=1)

    row = announcement.deliveries.get()
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert len(sms.received) == MAX_ATTEMPTS


def test_permanent_refusals_fail_at_once(village, village_head, fake_server):
    sms = fake_server((400, {"error": "bad number"}))
    zalo = fake_server((200, {"error": -213, "message": "User has not followed OA"}))
    _subscriber(village, "Lê Văn A", phone="0905123456", zalo_user_id="8471")
    announcement = _post(village, village_head)

    next_due = send_due_deliveries(
        announcement=announcement, notifiers=_notifiers(sms, zalo)
    )

    rows = {d.adapter: d for d in announcement.deliveries.all()}
    assert rows["sms"].status == rows["zalo"].status == "failed"
    assert rows["sms"].attempts == rows["zalo"].attempts == 1
    assert "-213" in rows["zalo"].last_error
    assert next_due is None


def test_an_opt_out_is_honoured_on_queued_and_later_sends(
    village, village_head, fake_server
):
    sms, zalo = fake_server((500, {}), (200, {})), fake_server()
    resident = _subscriber(village, "Lê Văn A", phone="0905123456")
    other = _subscriber(village, "Trần Thị B", phone="0905999888")
    notifiers = _notifiers(sms, zalo)
    first = _post(village, village_head)
    now = timezone.now()
    send_due_deliveries(announcement=first, now=now, notifiers=notifiers)
    queued = first.deliveries.get(status="queued")  # the one the 500 hit

    stopped = opt_out_by_keyword(
        f"huy {queued.subscriber.token}", phone=queued.subscriber.phone
    )
    send_due_deliveries(
        announcement=first, now=now + datetime.timedelta(hours=1), notifiers=notifiers
    )
    second = _post(village, village_head)
    send_due_deliveries(announcement=second, notifiers=notifiers)

    assert stopped == queued.subscriber
    queued.refresh_from_db()
    assert queued.status == "opted_out"
    assert second.deliveries.get(subscriber=stopped).status == "opted_out"
    kept = other if stopped == resident else resident
    assert second.deliveries.get(subscriber=kept).status == "sent"
    sent_to = [post["body"]["to"] for post in sms.received]
    assert [stopped.phone] not in sent_to[1:]
    assert opt_out_by_keyword("HUY KHONGCO", phone=resident.phone) is None
    assert (
        ActionLog.objects.filter(action="channel.subscriber.unsubscribed").count() == 1
    )


def test_the_opt_out_link_stops_messages_without_an_account(client, village):
    resident = _subscriber(village, "Lê Văn A", phone="0905123456")
    url = f"/kenh-thon/ngung-nhan/{resident.token}/"

    page = client.get(url)
    client.post(url)

    assert page.status_code == 200
    assert (
        "0905" not in page.content.decode() and "Lê Văn A" not in page.content.decode()
    )
    resident.refresh_from_db()
    assert resident.opted_out_via == "link" and resident.opted_out_at is not None


def test_subscribers_need_an_address_and_no_repeated_phone(village):
    with pytest.raises(ChannelError):
        _subscriber(village, "Không địa chỉ")
    _subscriber(village, "Lê Văn A", phone="0905123456")
    with pytest.raises(ChannelError):
        _subscriber(village, "Lê Văn A2", phone="+84 905 123 456")


def test_an_inactive_channel_refuses_to_post(village, village_head):
    save_settings(
        village, by=village_head, email=True, sms=False, zalo=False, is_active=False
    )
    with pytest.raises(ChannelError):
        _post(village, village_head)
    assert not Delivery.objects.exists()


def test_opt_out_twice_is_logged_once(village):
    resident = _subscriber(village, "Lê Văn A", phone="0905123456")
    opt_out(resident, via="link")
    opt_out(resident, via="keyword")
    resident.refresh_from_db()
    assert resident.opted_out_via == "link"
