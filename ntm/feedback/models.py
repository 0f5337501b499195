"""Residents' and businesses' feedback reports (phản ánh, kiến nghị).

A report has a category (data: ``data/feedback.json``), a text, photos, a
point, and the unit and office it is routed to: the village containing the
point, its commune, and the category's office. Its status moves through
``Report.Status`` (every step a ``ReportEvent``, dated, by whom, why); a
report still open after its category's deadline is marked overdue and
escalated once to the level above its commune. The reporter's contact is
personal data: only the handling staff see it.
"""

import json
import secrets
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ntm.accounts.models import Office
from ntm.core.models import TimeStampedModel
from ntm.core.states import StateChoices, Transition, groups, transitions
from ntm.core.uploads import UploadValidator
from ntm.units.scope import ScopedQuerySet, within_paths

RULES_FILE = Path(__file__).parent / "data" / "feedback.json"
# Follow codes: no 0/O, 1/I/L, so a code read over the phone is typed right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


@cache
def rules():
    """The feedback rules kept as data: radius, reopen window, categories."""
    return json.loads(RULES_FILE.read_text(encoding="utf-8"))


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Category(models.Model):
    code = models.SlugField(_("Mã lĩnh vực"), max_length=30, unique=True)
    name = models.CharField(_("Lĩnh vực"), max_length=120)
    office = models.CharField(_("Phòng phụ trách"), max_length=10, choices=Office)
    deadline_days = models.PositiveSmallIntegerField(_("Thời hạn xử lý (ngày)"))
    is_active = models.BooleanField(_("Đang nhận"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lĩnh vực phản ánh")
        verbose_name_plural = _("lĩnh vực phản ánh")

    def __str__(self):
        return self.name


class ReportQuerySet(ScopedQuerySet):
    scope_field = "commune"

    def public(self):
        return self.select_related("category", "commune", "village").defer(
            "commune__boundary", "village__boundary"
        )

    def open(self):
        return self.filter(status__in=Report.Status.group("open"))

    def overdue(self):
        return self.filter(overdue_at__isnull=False).open()

    def past_due(self, now):
        """Open reports whose deadline passed and that are not marked yet."""
        return self.open().filter(due_at__lt=now, overdue_at__isnull=True)

    def handled_by(self, user):
        """Reports ``user`` handles or follows: commune officers, village
        heads and the district admin on their units, an office's staff on
        its categories."""
        from .permissions import HANDLERS, VILLAGE_FOLLOWERS

        if not user.is_authenticated:
            return self.none()
        condition = within_paths(user.paths(*HANDLERS), "commune") | within_paths(
            user.paths(*VILLAGE_FOLLOWERS), "village"
        )
        offices = set(
            user.memberships.exclude(office="").values_list("office", flat=True)
        )
        for office in sorted(offices):
            condition |= within_paths(user.paths(office=office), "commune") & Q(
                category__office=office
            )
        return self.filter(condition)

    def near(self, lat, lon, metres):
        """Reports within a box around (lat, lon) ``metres`` wide each way:
        the caller keeps those within the circle (``distance_m``)."""
        from .geo import box

        south, north, west, east = box(lat, lon, metres)
        return self.filter(lat__gte=south, lat__lte=north, lon__gte=west, lon__lte=east)

    def received_by_village(self, start, end):
        """{village unit id: reports received} from ``start`` to ``end``
        (dates, inclusive), for the village channel's condition."""
        rows = (
            self.filter(
                village__isnull=False,
                received_at__date__gte=start,
                received_at__date__lte=end,
            )
            .values("village_id")
            .annotate(n=Count("id"))
        )
        return {row["village_id"]: row["n"] for row in rows}


class Report(TimeStampedModel):
    class Status(StateChoices):
        RECEIVED = "received", _("Đã tiếp nhận")
        ASSIGNED = "assigned", _("Đã giao xử lý")
        IN_PROGRESS = "in_progress", _("Đang xử lý")
        RESOLVED = "resolved", _("Đã xử lý xong")
        CLOSED = "closed", _("Đã đóng")
        REOPENED = "reopened", _("Mở lại")

        TRANSITIONS = transitions(
            assign=Transition(
                _("Giao xử lý"), sources=["received", "reopened"], target="assigned"
            ),
            start=Transition(
                _("Bắt đầu xử lý"),
                sources=["received", "assigned", "reopened"],
                target="in_progress",
            ),
            resolve=Transition(
                _("Báo đã xử lý xong"),
                sources=["received", "assigned", "in_progress", "reopened"],
                target="resolved",
            ),
            close=Transition(_("Đóng"), sources=["resolved"], target="closed"),
            reopen=Transition(_("Mở lại"), sources=["resolved"], target="reopened"),
        )
        GROUPS = groups(open=["received", "assigned", "in_progress", "reopened"])

    code = models.CharField(
        _("Mã theo dõi"), max_length=12, unique=True, default=new_code, editable=False
    )
    category = models.ForeignKey(
        Category, models.PROTECT, related_name="reports", verbose_name=_("Lĩnh vực")
    )
    text = models.TextField(_("Nội dung phản ánh"), max_length=4000)
    lat = models.DecimalField(_("Vĩ độ"), max_digits=9, decimal_places=6)
    lon = models.DecimalField(_("Kinh độ"), max_digits=9, decimal_places=6)
    address_code = models.CharField(_("Mã địa chỉ số"), max_length=32, blank=True)
    village = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Thôn"),
    )
    commune = models.ForeignKey(
        "units.Unit", models.PROTECT, related_name="+", verbose_name=_("Xã")
    )
    status = models.CharField(
        _("Trạng thái"), max_length=12, choices=Status, default=Status.RECEIVED
    )
    # Personal data: shown to the handling staff only.
    reporter_name = models.CharField(
        _("Họ tên người phản ánh"), max_length=120, blank=True
    )
    reporter_phone = models.CharField(_("Số điện thoại"), max_length=20, blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_business = models.BooleanField(_("Doanh nghiệp phản ánh"), default=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người xử lý"),
    )
    received_at = models.DateTimeField(_("Thời điểm tiếp nhận"))
    due_at = models.DateTimeField(_("Hạn xử lý"))
    resolved_at = models.DateTimeField(_("Thời điểm xử lý xong"), null=True, blank=True)
    first_resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_at = models.DateTimeField(_("Quá hạn từ"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Chuyển lên"),
    )
    supporters = models.PositiveIntegerField(_("Số người cũng gặp"), default=0)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("phản ánh")
        verbose_name_plural = _("phản ánh")
        indexes = [
            models.Index(fields=["category", "status", "lat", "lon"]),
            models.Index(fields=["status", "due_at"]),
        ]

    def __str__(self):
        return f"{self.code} · {self.category_id}"

    def get_absolute_url(self):
        return reverse("feedback:report-follow", args=[self.code])

    @property
    def is_open(self):
        return self.Status.in_group(self.status, "open")

    @property
    def is_overdue(self):
        return self.overdue_at is not None and self.is_open


class ReportPhoto(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("Ảnh phản ánh")
        FIX = "fix", _("Ảnh sau khi xử lý")

    report = models.ForeignKey(Report, models.CASCADE, related_name="photos")
    kind = models.CharField(max_length=6, choices=Kind, default=Kind.REPORT)
    image = models.FileField(
        upload_to="feedback/%Y/%m/", validators=[UploadValidator("photo")]
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.image.name


class ReportEvent(models.Model):
    """One step of a report's history (public: no personal data in it)."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="events")
    at = models.DateTimeField(_("Thời điểm"))
    action = models.CharField(_("Việc"), max_length=20)
    status = models.CharField(_("Trạng thái"), max_length=12, choices=Report.Status)
    note = models.TextField(_("Ghi chú"), max_length=2000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.report_id} {self.action} {self.at:%d/%m/%Y %H:%M}"

    ACTION_LABELS = {
        "received": _("Tiếp nhận phản ánh"),
        "overdue": _("Quá hạn, chuyển lên cấp trên"),
        "joined": _("Thêm người cũng gặp"),
    }

    @property
    def label(self):
        if self.action in self.ACTION_LABELS:
            return self.ACTION_LABELS[self.action]
        return Report.Status.transition(self.action).label
