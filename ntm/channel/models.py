"""The village head's channel with residents (plan III.5): who receives the
village's announcements, the announcements, and one delivery per resident
and adapter.

Subscribers are personal data (names, phones, e-mail, Zalo ids): they are
shown only to the keepers of the village's register, never on a public page.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ntm.core.models import TimeStampedModel
from ntm.core.uploads import UploadValidator
from ntm.units.scope import ScopedQuerySet


class Adapter(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo OA")


# The subscriber's field each adapter sends to.
ADDRESS_FIELD = {
    Adapter.EMAIL: "email",
    Adapter.SMS: "phone",
    Adapter.ZALO: "zalo_user_id",
}


def new_token():
    # Short enough to type in an SMS ("HUY K7P2QX9M"), unambiguous letters.
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


def new_code():
    return secrets.token_urlsafe(12)


class ChannelSettings(TimeStampedModel):
    """How a village's announcements reach its residents."""

    village = models.OneToOneField(
        "units.Unit",
        models.PROTECT,
        related_name="channel_settings",
        verbose_name=_("Thôn"),
    )
    email = models.BooleanField(_("Gửi thư điện tử"), default=True)
    sms = models.BooleanField(_("Gửi tin nhắn SMS"), default=False)
    zalo = models.BooleanField(_("Gửi qua Zalo OA"), default=False)
    is_active = models.BooleanField(_("Kênh đang hoạt động"), default=True)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    class Meta:
        verbose_name = _("cách gửi tin của thôn")
        verbose_name_plural = _("cách gửi tin của thôn")

    def __str__(self):
        return str(self.village)

    @property
    def adapters(self):
        return [a for a in Adapter if getattr(self, a.value)]


class SubscriberQuerySet(ScopedQuerySet):
    scope_field = "village"

    def receiving(self):
        return self.filter(opted_out_at__isnull=True)


class Subscriber(TimeStampedModel):
    class OptOutVia(models.TextChoices):
        LINK = "link", _("Đường dẫn trong tin")
        KEYWORD = "keyword", _("Nhắn từ khóa")

    village = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        related_name="subscribers",
        verbose_name=_("Thôn"),
    )
    name = models.CharField(_("Họ tên"), max_length=120)
    phone = models.CharField(_("Số điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("Thư điện tử"), blank=True)
    zalo_user_id = models.CharField(_("Mã người dùng Zalo"), max_length=64, blank=True)
    consented_on = models.DateField(_("Ngày đồng ý nhận tin"))
    opted_out_at = models.DateTimeField(_("Ngừng nhận tin lúc"), null=True, blank=True)
    opted_out_via = models.CharField(
        _("Cách ngừng nhận tin"), max_length=10, choices=OptOutVia, blank=True
    )
    # Names the subscriber in the opt-out link and keyword; not a secret of
    # the platform (it only ever stops messages to its owner).
    token = models.CharField(max_length=12, unique=True, default=new_token)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["village", "name", "pk"]
        verbose_name = _("người nhận tin")
        verbose_name_plural = _("người nhận tin")
        constraints = [
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(email="") | ~Q(zalo_user_id=""),
                name="subscriber_has_an_address",
                violation_error_message=_(
                    "Cần ít nhất số điện thoại, thư điện tử hoặc mã Zalo."
                ),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def masked_phone(self):
        return mask_phone(self.phone)


def mask_phone(phone):
    """0905123456 → 0905***456: enough for the head to tell residents apart."""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:4]}***{phone[-3:]}"


class AnnouncementQuerySet(ScopedQuerySet):
    scope_field = "village"

    def with_counts(self):
        """Each announcement with its deliveries counted by status."""
        status = Delivery.Status
        return self.annotate(
            **{
                f"n_{s.value}": Count("deliveries", filter=Q(deliveries__status=s))
                for s in status
            },
            n_total=Count("deliveries"),
        )


class Announcement(models.Model):
    village = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        related_name="announcements",
        verbose_name=_("Thôn"),
    )
    title = models.CharField(_("Tiêu đề"), max_length=150)
    body = models.TextField(_("Nội dung"), max_length=1500)
    attachment = models.FileField(
        _("Tệp đính kèm"),
        upload_to="channel/%Y/%m/",
        blank=True,
        validators=[UploadValidator("announcement")],
    )
    # Names the announcement in the link residents open for its attachment.
    code = models.CharField(max_length=24, unique=True, default=new_code)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("Người gửi"),
    )
    posted_at = models.DateTimeField(_("Gửi lúc"), default=timezone.now)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        ordering = ["-posted_at", "-pk"]
        verbose_name = _("thông báo của thôn")
        verbose_name_plural = _("thông báo của thôn")

    def __str__(self):
        return self.title


class Delivery(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không được")
        OPTED_OUT = "opted_out", _("Đã ngừng nhận tin")

    announcement = models.ForeignKey(
        Announcement, models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber, models.CASCADE, related_name="deliveries"
    )
    adapter = models.CharField(_("Cách gửi"), max_length=8, choices=Adapter)
    status = models.CharField(
        _("Trạng thái"), max_length=10, choices=Status, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("Số lần gửi"), default=0)
    last_error = models.CharField(_("Lỗi gần nhất"), max_length=300, blank=True)
    # When a queued delivery may be tried (again): the backoff of retries.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(_("Gửi được lúc"), null=True, blank=True)

    class Meta:
        ordering = ["announcement", "subscriber__name", "adapter"]
        verbose_name = _("lượt gửi")
        verbose_name_plural = _("lượt gửi")
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "subscriber", "adapter"],
                name="one_delivery_per_recipient_and_adapter",
                violation_error_message=_(
                    "Người nhận đã có một lượt gửi qua kênh này cho thông báo."
                ),
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.announcement_id}/{self.subscriber_id}/{self.adapter}"

    # Templates ask these instead of comparing the status with a literal.
    @property
    def is_sent(self):
        return self.status == self.Status.SENT

    @property
    def is_failed(self):
        return self.status == self.Status.FAILED
