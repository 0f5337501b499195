"""Writes of the village channel: settings, subscribers, opt-outs,
announcements and their deliveries.

``post_announcement`` creates one ``Delivery`` per subscriber and adapter of
the village and hands the sending to the task queue (``tasks.py``), which
calls ``send_due_deliveries``: each queued delivery whose time has come is
tried once; a temporary failure (a 5xx answer, a gateway out of reach) is
tried again after ``RETRY_DELAYS``, up to ``MAX_ATTEMPTS`` tries, then
marked failed; a permanent one (a 4xx answer, a Zalo error) fails at once.
One adapter failing never holds the others back. A subscriber who opted out
is never sent to again, whatever was queued before.
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.core import notify
from ntm.core.audit import log_action, log_actions
from ntm.core.text import fold
from ntm.households.validation import check_plain_text, clean_phone

from .models import (
    ADDRESS_FIELD,
    Adapter,
    Announcement,
    ChannelSettings,
    Delivery,
    Subscriber,
)

# Tries of one delivery, and the waits between them (seconds): a gateway
# that restarts is back within minutes; one down for hours fails the
# delivery, which the head sees on the announcement's page.
MAX_ATTEMPTS = 4
RETRY_DELAYS = (60, 300, 1800)
# How long a run holds a delivery it is sending (another run skips it).
LEASE = datetime.timedelta(minutes=2)
# What a resident texts to stop: "HUY <token>" (also TUCHOI, STOP).
OPT_OUT_WORDS = ("HUY", "TUCHOI", "STOP")
OPT_OUT_KEYWORD = re.compile(
    r"^\s*(?:" + "|".join(OPT_OUT_WORDS) + r")\s+([A-Z0-9]{6,12})\s*$"
)


class ChannelError(Exception):
    """The input is well formed but breaks a rule of the channel."""


def settings_of(village):
    """The village's channel settings (e-mail only until the head chooses)."""
    found = ChannelSettings.objects.filter(village=village).first()
    return found or ChannelSettings(village=village)


@transaction.atomic
def save_settings(village, *, by, email, sms, zalo, is_active):
    channel = settings_of(village)
    channel.email, channel.sms, channel.zalo = email, sms, zalo
    channel.is_active = is_active
    channel.save()
    log_action(
        channel,
        "channel.settings.changed",
        by=by,
        data={"adapters": [a.value for a in channel.adapters], "active": is_active},
    )
    return channel


def clean_subscriber(*, name, phone="", email="", zalo_user_id=""):
    """The subscriber's values cleaned, or ChannelError with the reason."""
    name = (name or "").strip()
    if not name:
        raise ChannelError(_("Cần họ tên người nhận tin."))
    try:
        check_plain_text(name, label=_("Họ tên"))
        phone = clean_phone(phone)
        email = (email or "").strip().lower()
        if email:
            validate_email(email)
    except ValidationError as error:
        raise ChannelError(" ".join(error.messages)) from None
    zalo_user_id = (zalo_user_id or "").strip()
    if zalo_user_id and not zalo_user_id.isdigit():
        raise ChannelError(_("Mã người dùng Zalo chỉ gồm chữ số."))
    if not (phone or email or zalo_user_id):
        raise ChannelError(_("Cần ít nhất số điện thoại, thư điện tử hoặc mã Zalo."))
    return {"name": name, "phone": phone, "email": email, "zalo_user_id": zalo_user_id}


@transaction.atomic
def add_subscriber(village, *, by, consented_on, is_demo=False, **fields):
    values = clean_subscriber(**fields)
    if values["phone"] and village.subscribers.filter(phone=values["phone"]).exists():
        raise ChannelError(_("Số điện thoại này đã có trong danh sách nhận tin."))
    subscriber = Subscriber.objects.create(
        village=village, consented_on=consented_on, is_demo=is_demo, **values
    )
    log_action(subscriber, "channel.subscriber.added", by=by)
    return subscriber


@transaction.atomic
def save_imported_subscribers(village, rows, *, by):
    """Create or update the subscribers of checked import rows (dicts).

    A row whose phone (else e-mail) is already on the village's list updates
    that subscriber; others are added. Returns (created, updated, unchanged).
    """
    existing = list(village.subscribers.all())
    by_phone = {s.phone: s for s in existing if s.phone}
    by_email = {s.email: s for s in existing if s.email}
    new, changed, unchanged = [], [], 0
    for row in rows:
        found = by_phone.get(row["phone"]) if row["phone"] else None
        found = found or (by_email.get(row["email"]) if row["email"] else None)
        if found is None:
            new.append(Subscriber(village=village, **row))
            continue
        before = [getattr(found, key) for key in row]
        for key, value in row.items():
            setattr(found, key, value)
        if before == [getattr(found, key) for key in row]:
            unchanged += 1
        else:
            changed.append(found)
    Subscriber.objects.bulk_create(new)
    Subscriber.objects.bulk_update(
        changed, ["name", "phone", "email", "zalo_user_id", "consented_on"]
    )
    saved = [s for s in new if s.pk] + changed
    if saved:
        log_actions(saved, "channel.subscriber.imported", by=by)
    return len(new), len(changed), unchanged


@transaction.atomic
def opt_out(subscriber, *, via):
    """Stop every later message to ``subscriber`` (queued ones too)."""
    if subscriber.opted_out_at is None:
        subscriber.opted_out_at = timezone.now()
        subscriber.opted_out_via = via
        subscriber.save(update_fields=["opted_out_at", "opted_out_via", "updated_at"])
        log_action(
            subscriber, "channel.subscriber.unsubscribed", by=None, data={"via": via}
        )
    subscriber.deliveries.filter(status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.OPTED_OUT
    )
    return subscriber


@transaction.atomic
def opt_out_by_keyword(text, *, phone):
    """Stop the subscriber a text "HUY <token>" sent from ``phone`` names.

    Returns the subscriber, or None when the text names none or was not sent
    from the subscriber's own phone: tokens are short enough to guess, so a
    token alone must not let a stranger stop someone else's messages. A
    subscriber already stopped is returned unchanged (gateways resend).
    """
    # Folded first: a phone keyboard types "Hủy" as readily as "HUY".
    match = OPT_OUT_KEYWORD.match(fold(text or "").upper())
    if match is None:
        return None
    # Locked, so a resent text arriving at the same time is logged once.
    subscriber = (
        Subscriber.objects.select_for_update().filter(token=match.group(1)).first()
    )
    if subscriber is None or not _same_phone(subscriber.phone, phone):
        return None
    return opt_out(subscriber, via=Subscriber.OptOutVia.KEYWORD)


def _same_phone(stored, sender):
    # Gateways write the sender as +84…, 84… or 0…; clean_phone brings all
    # to 0… digits. A number it refuses matches nothing.
    try:
        stored, sender = clean_phone(stored), clean_phone(sender)
    except ValidationError:
        return False
    return bool(stored) and stored == sender


@transaction.atomic
def post_announcement(village, *, by, title, body, attachment=None, is_demo=False):
    """Post to the village's subscribers through its adapters and queue the
    sending. Subscribers who opted out get an "opted out" row, not a message."""
    channel = settings_of(village)
    if not channel.is_active or not channel.adapters:
        raise ChannelError(_("Kênh của thôn chưa bật cách gửi tin nào."))
    announcement = Announcement.objects.create(
        village=village,
        title=title.strip(),
        body=body.strip(),
        attachment=attachment or "",
        posted_by=by,
        is_demo=is_demo,
    )
    deliveries = []
    for subscriber in village.subscribers.all():
        for adapter in channel.adapters:
            if not getattr(subscriber, ADDRESS_FIELD[adapter]):
                continue
            status = (
                Delivery.Status.OPTED_OUT
                if subscriber.opted_out_at
                else Delivery.Status.QUEUED
            )
            deliveries.append(
                Delivery(
                    announcement=announcement,
                    subscriber=subscriber,
                    adapter=adapter,
                    status=status,
                )
            )
    Delivery.objects.bulk_create(deliveries)
    log_action(
        announcement,
        "channel.announcement.posted",
        by=by,
        data={"deliveries": len(deliveries)},
    )
    # Inline import: tasks.py imports this module for its wrapper.
    from .tasks import send_announcement

    transaction.on_commit(lambda: send_announcement.enqueue(announcement.pk))
    return announcement


def adapter_notifiers():
    """{adapter: notifier} from settings.CHANNEL_ADAPTERS."""
    return {
        Adapter(name): notify.notifier_from(entry)
        for name, entry in settings.CHANNEL_ADAPTERS.items()
    }


def message_of(announcement, subscriber):
    base = settings.CHANNEL_BASE_URL
    lines = [announcement.body]
    if announcement.attachment:
        url = reverse("channel:attachment", args=[announcement.code])
        lines.append(_("Tệp đính kèm: %(url)s") % {"url": base + url})
    lines.append(
        _("Ngừng nhận tin: %(url)s hoặc nhắn HUY %(token)s")
        % {
            "url": base + reverse("channel:opt-out", args=[subscriber.token]),
            "token": subscriber.token,
        }
    )
    return notify.Message(subject=announcement.title, body="\n".join(lines))


def send_due_deliveries(*, announcement=None, now=None, notifiers=None):
    """Try every queued delivery whose time has come, once each.

    Returns when the next queued delivery of the batch falls due (None when
    none is left), so the caller can schedule the next run.
    """
    now = now or timezone.now()
    notifiers = notifiers if notifiers is not None else adapter_notifiers()
    due = Delivery.objects.filter(
        status=Delivery.Status.QUEUED, next_attempt_at__lte=now
    ).select_related("announcement", "subscriber")
    if announcement is not None:
        due = due.filter(announcement=announcement)
    for delivery in due:
        _send_one(delivery, now, notifiers)
    remaining = Delivery.objects.filter(status=Delivery.Status.QUEUED)
    if announcement is not None:
        remaining = remaining.filter(announcement=announcement)
    return (
        remaining.order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )


def _send_one(delivery, now, notifiers):
    # Claimed with a conditional UPDATE: a second run (a duplicated task, a
    # worker restarted) skips a delivery another run is sending.
    claimed = Delivery.objects.filter(
        pk=delivery.pk, status=Delivery.Status.QUEUED, next_attempt_at__lte=now
    ).update(next_attempt_at=now + LEASE)
    if not claimed:
        return
    subscriber = delivery.subscriber
    if subscriber.opted_out_at is not None:
        delivery.status = Delivery.Status.OPTED_OUT
        delivery.save(update_fields=["status"])
        return
    notifier = notifiers.get(delivery.adapter)
    recipient = notify.Recipient(
        name=subscriber.name,
        email=subscriber.email,
        phone=subscriber.phone,
        zalo_id=subscriber.zalo_user_id,
    )
    delivery.attempts += 1
    try:
        if notifier is None:
            raise notify.SendError(
                f"{delivery.adapter}: not configured", permanent=True
            )
        notifier.send_one(recipient, message_of(delivery.announcement, subscriber))
    except notify.SendError as error:
        delivery.last_error = str(error)[:300]
        if error.permanent or delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = Delivery.Status.FAILED
        else:
            wait = RETRY_DELAYS[min(delivery.attempts, len(RETRY_DELAYS)) - 1]
            delivery.next_attempt_at = now + datetime.timedelta(seconds=wait)
    else:
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = timezone.now()
        delivery.last_error = ""
    delivery.save(
        update_fields=["status", "attempts", "last_error", "next_attempt_at", "sent_at"]
    )
