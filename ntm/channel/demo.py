"""Demo village channels (synthetic, labelled demo): the adapters, residents
who agreed to receive news and a few announcements with their deliveries in
the pilot commune's villages and one village elsewhere. The demo's adapters
only log (settings.CHANNEL_ADAPTERS): nothing reaches a real service.
Called by ``ntm.demo`` with its seeded ``random.Random``."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from ntm.feedback.models import Category
from ntm.feedback.services import submit_report
from ntm.units.models import Unit

from .models import Announcement, ChannelSettings, Delivery, Subscriber

# The pilot commune (Hà Nha) and one village elsewhere (Vu Gia).
COMMUNES = {"20515": 3, "20539": 1}
SUBSCRIBERS = 8
NAMES = [
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Văn Cường",
    "Phạm Thị Dung",
    "Hoàng Văn Em",
    "Võ Thị Giang",
    "Đặng Văn Hải",
    "Bùi Thị Hoa",
]
ANNOUNCEMENTS = [
    ("Lịch họp thôn tháng này", "Họp thôn lúc 19 giờ thứ Bảy tại nhà văn hóa."),
    ("Tiêm phòng cho gia súc", "Thú y xã tiêm phòng lở mồm long móng sáng Chủ nhật."),
    ("Ra quân vệ sinh đường làng", "Mỗi hộ cử một người, 6 giờ sáng thứ Bảy."),
    ("Đăng ký hộ nghèo, cận nghèo", "Các hộ nộp đơn tại nhà văn hóa trước ngày 15."),
    ("Lịch cắt điện", "Điện lực cắt điện từ 7 đến 11 giờ sáng thứ Năm."),
]
# Weeks before today of the demo announcements: at most twelve weeks apart,
# so every quarter of the last ten months has one (the channel's rule).
POSTED_WEEKS_AGO = (44, 32, 20, 8, 1)


def build(rng):
    today = timezone.localdate()
    for commune_code, count in COMMUNES.items():
        commune = Unit.objects.by_code(commune_code)
        villages = Unit.objects.villages().valid_on().filter(parent=commune)
        for village in villages.order_by("code")[:count]:
            _build_village(rng, village, today)
            _reply(rng, village)


def _reply(rng, village):
    """A resident answers an announcement with a feedback report, at the
    village's centre: the feedback the channel's rule asks for."""
    category = Category.objects.filter(code="van-hoa").first()
    if category is None or village.lat is None or village.lon is None:
        return
    submit_report(
        category=category,
        text="Loa truyền thanh cuối thôn nghe không rõ (minh họa, gửi qua kênh thôn).",
        lat=village.lat,
        lon=village.lon,
        now=timezone.now() - datetime.timedelta(days=rng.randint(3, 30)),
        is_demo=True,
    )


def _build_village(rng, village, today):
    ChannelSettings.objects.create(
        village=village, email=True, sms=True, zalo=True, is_demo=True
    )
    subscribers = []
    for number, name in enumerate(NAMES[:SUBSCRIBERS], start=1):
        subscribers.append(
            Subscriber(
                village=village,
                name=f"{name} (minh họa)",
                # Synthetic numbers of one unused block, never real people's.
                phone=f"0900{village.code[-3:]}{number:03d}",
                email=f"nguoinhan{number}.{village.code}@example.vn"
                if number % 3 == 0
                else "",
                zalo_user_id=f"{rng.randrange(10**15, 10**16)}" if number % 2 else "",
                consented_on=today - datetime.timedelta(days=rng.randrange(30, 300)),
                opted_out_at=timezone.now() - datetime.timedelta(days=10)
                if number == SUBSCRIBERS
                else None,
                opted_out_via=Subscriber.OptOutVia.LINK
                if number == SUBSCRIBERS
                else "",
                is_demo=True,
            )
        )
    Subscriber.objects.bulk_create(subscribers)
    deliveries = []
    for weeks, (title, body) in zip(POSTED_WEEKS_AGO, ANNOUNCEMENTS, strict=True):
        announcement = Announcement.objects.create(
            village=village,
            title=title,
            body=body,
            posted_at=timezone.now() - datetime.timedelta(weeks=weeks),
            is_demo=True,
        )
        if weeks == 1:
            announcement.attachment.save(
                "lich-ve-sinh-minh-hoa.pdf",
                ContentFile(b"%PDF-1.4 du lieu minh hoa"),
                save=True,
            )
        for subscriber in subscribers:
            for adapter, address in (
                ("email", subscriber.email),
                ("sms", subscriber.phone),
                ("zalo", subscriber.zalo_user_id),
            ):
                if not address:
                    continue
                deliveries.append(_delivery(rng, announcement, subscriber, adapter))
    Delivery.objects.bulk_create(deliveries)


def _delivery(rng, announcement, subscriber, adapter):
    if subscriber.opted_out_at and subscriber.opted_out_at < announcement.posted_at:
        return Delivery(
            announcement=announcement,
            subscriber=subscriber,
            adapter=adapter,
            status=Delivery.Status.OPTED_OUT,
        )
    failed = adapter == "zalo" and rng.random() < 0.1
    return Delivery(
        announcement=announcement,
        subscriber=subscriber,
        adapter=adapter,
        status=Delivery.Status.FAILED if failed else Delivery.Status.SENT,
        attempts=1,
        last_error="zalo: -213 Người dùng chưa quan tâm OA (minh họa)"
        if failed
        else "",
        sent_at=None if failed else announcement.posted_at,
    )
