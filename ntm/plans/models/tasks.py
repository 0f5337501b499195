"""Key tasks of the plan (section IV, VII and its appendix) and their progress."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ntm.accounts.models import Office
from ntm.core.models import TimeStampedModel
from ntm.core.states import StateChoices, groups
from ntm.core.uploads import UploadValidator

from .plan import Plan


class KeyTaskQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=KeyTask.Status.group("closed"))

    def overdue(self, today=None):
        """Tasks whose deadline has passed and that are neither done nor cancelled."""
        return self.open().filter(deadline__lt=today or timezone.localdate())

    def led_by(self, office):
        return self.filter(lead_office=office)


class KeyTask(TimeStampedModel):
    """A task of the plan with a lead office, a deadline and its progress."""

    class Status(StateChoices):
        NOT_STARTED = "chua_lam", _("Chưa thực hiện")
        IN_PROGRESS = "dang_lam", _("Đang thực hiện")
        DONE = "hoan_thanh", _("Hoàn thành")
        CANCELLED = "huy", _("Hủy")

        # No transitions: a timeline entry may set any state (a task is
        # reopened by the next entry); the progress rules are check_task's.
        GROUPS = groups(closed=[DONE, CANCELLED])

    plan = models.ForeignKey(
        Plan, models.CASCADE, related_name="tasks", verbose_name=_("Kế hoạch")
    )
    number = models.CharField(_("Số thứ tự"), max_length=10)
    title = models.CharField(_("Nhiệm vụ"), max_length=500)
    lead_office = models.CharField(_("Cơ quan chủ trì"), max_length=10, choices=Office)
    # Offices by code; the seed's other partners ("UBND các xã, thị trấn",
    # "MTTQ và các đoàn thể") are bodies, not units one could pick, so they
    # stay as text.
    cooperating_offices = models.JSONField(
        _("Phòng phối hợp"), default=list, blank=True
    )
    cooperating_others = models.CharField(
        _("Đơn vị phối hợp khác"), max_length=300, blank=True
    )
    deadline = models.DateField(_("Thời hạn"))
    status = models.CharField(
        _("Tình trạng"), max_length=10, choices=Status, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("Tiến độ (%)"), default=0)
    note = models.TextField(_("Ghi chú"), max_length=2000, blank=True)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = KeyTaskQuerySet.as_manager()

    class Meta:
        # "2" before "10": numbers are text (a plan may number "3a").
        ordering = ["plan", "deadline", Length("number"), "number"]
        verbose_name = _("nhiệm vụ trọng tâm")
        verbose_name_plural = _("nhiệm vụ trọng tâm")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="one_task_number_per_plan",
                violation_error_message=_(
                    "Kế hoạch đã có nhiệm vụ mang số thứ tự này."
                ),
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="task_progress_at_most_100",
                violation_error_message=_("Tiến độ phải từ 0 đến 100%%."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("plans:task-detail", args=[self.pk])

    @property
    def is_overdue(self):
        return (
            not self.Status.in_group(self.status, "closed")
            and self.deadline < timezone.localdate()
        )

    @property
    def cooperating_office_labels(self):
        return [Office(code).label for code in self.cooperating_offices]


def evidence_path(update, filename):
    stamp = timezone.localdate()
    return f"plans/evidence/{stamp:%Y/%m}/{filename}"


class TaskUpdate(TimeStampedModel):
    """One entry of a task's timeline: what was done, by when, with evidence."""

    task = models.ForeignKey(
        KeyTask, models.CASCADE, related_name="updates", verbose_name=_("Nhiệm vụ")
    )
    date = models.DateField(_("Ngày"))
    progress = models.PositiveSmallIntegerField(_("Tiến độ (%)"))
    status = models.CharField(_("Tình trạng"), max_length=10, choices=KeyTask.Status)
    text = models.TextField(_("Nội dung"), max_length=4000)
    evidence = models.FileField(
        _("Tệp minh chứng"),
        upload_to=evidence_path,
        blank=True,
        max_length=200,
        validators=[UploadValidator("evidence")],
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người cập nhật"),
    )
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("cập nhật tiến độ")
        verbose_name_plural = _("cập nhật tiến độ")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="update_progress_at_most_100",
                violation_error_message=_("Tiến độ phải từ 0 đến 100%%."),
            )
        ]

    def __str__(self):
        return f"{self.task.number} — {self.date:%d/%m/%Y}"

    @property
    def evidence_name(self):
        return self.evidence.name.rsplit("/", 1)[-1] if self.evidence else ""
