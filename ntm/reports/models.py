"""Yearly reports (plan section VII.9): every district office and commune
reports before 1 October; the focal office consolidates for the province.

A form is data: its sections are either tables the engine fills or narrative
fields the unit writes. Each unit valid on the due date gets one assignment
and one submission that moves draft → submitted → returned / accepted.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ntm.accounts.models import Office
from ntm.core.models import TimeStampedModel
from ntm.core.numbers import round_half_up
from ntm.core.states import StateChoices, Transition, groups, transitions


def default_due_date(year):
    """Section VII.9 of the plan: reports reach the district before 1 October."""
    return datetime.date(year, 10, 1)


class ReportForm(TimeStampedModel):
    """The form of one year's report; a new version when the form changes."""

    year = models.PositiveSmallIntegerField(_("Năm"))
    version = models.PositiveSmallIntegerField(_("Phiên bản"), default=1)
    title = models.CharField(_("Tên báo cáo"), max_length=255)
    # The district the report goes up from; it issues the consolidated report.
    unit = models.ForeignKey(
        "units.Unit", models.PROTECT, related_name="+", verbose_name=_("Đơn vị")
    )
    plan = models.ForeignKey(
        "plans.Plan",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Kế hoạch"),
    )
    due_date = models.DateField(_("Hạn nộp"))
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = _("mẫu báo cáo")
        verbose_name_plural = _("mẫu báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "version"],
                name="report_form_year_version",
                violation_error_message=_("Năm này đã có mẫu báo cáo phiên bản này."),
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"

    def get_absolute_url(self):
        return reverse("reports:completeness", args=[self.year])


class SectionSpec(models.Model):
    class Kind(models.TextChoices):
        PLAN_TARGETS = "plan_targets", _("Bảng chỉ tiêu kế hoạch trong năm")
        UNIT_FIGURES = "unit_figures", _("Bảng số liệu của đơn vị")
        NARRATIVE = "narrative", _("Nội dung tự viết")

    ENGINE_KINDS = (Kind.PLAN_TARGETS, Kind.UNIT_FIGURES)

    form = models.ForeignKey(ReportForm, models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("Thứ tự"))
    kind = models.CharField(_("Loại"), max_length=20, choices=Kind)
    title = models.CharField(_("Tiêu đề"), max_length=255)
    prompt = models.TextField(_("Hướng dẫn"), max_length=2000, blank=True)

    class Meta:
        ordering = ["form", "order"]
        verbose_name = _("mục báo cáo")
        verbose_name_plural = _("mục báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "order"],
                name="report_section_order",
                violation_error_message=_("Mẫu báo cáo đã có mục ở thứ tự này."),
            )
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"

    @property
    def key(self):
        """The key of the section's narrative in ``Submission.narratives``."""
        return str(self.order)

    @property
    def is_narrative(self):
        return self.kind == self.Kind.NARRATIVE


class AssignmentQuerySet(models.QuerySet):
    def for_year(self, year):
        return self.filter(form__year=year)

    def counted(self):
        """Assignments of units valid on their due date (a closed unit is
        never missing; offices always report)."""
        return self.filter(
            Q(office__gt="")
            | (
                (
                    Q(unit__valid_from__isnull=True)
                    | Q(unit__valid_from__lte=models.F("due_date"))
                )
                & (
                    Q(unit__valid_to__isnull=True)
                    | Q(unit__valid_to__gte=models.F("due_date"))
                )
            )
        )

    def with_details(self):
        return self.select_related("unit", "form", "submission")

    def completeness(self):
        """{total, submitted, accepted, late, on_time, missing, on_time_percent}."""
        sent = ~Q(submission__status=Submission.Status.DRAFT)
        summary = self.aggregate(
            total=Count("pk"),
            submitted=Count("pk", filter=sent),
            accepted=Count(
                "pk", filter=Q(submission__status=Submission.Status.ACCEPTED)
            ),
            late=Count("pk", filter=Q(submission__is_late=True)),
            on_time=Count("pk", filter=sent & Q(submission__is_late=False)),
        )
        total = summary["total"]
        summary["missing"] = total - summary["submitted"]
        summary["on_time_percent"] = (
            round_half_up(100 * summary["on_time"] / total, 1) if total else None
        )
        return summary


class Assignment(TimeStampedModel):
    """One unit's duty to report for a form: a commune, or a district office."""

    form = models.ForeignKey(ReportForm, models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "units.Unit", models.PROTECT, related_name="+", verbose_name=_("Đơn vị")
    )
    office = models.CharField(_("Phòng"), max_length=10, choices=Office, blank=True)
    due_date = models.DateField(_("Hạn nộp"))

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["form", "office", "unit__path"]
        verbose_name = _("giao báo cáo")
        verbose_name_plural = _("giao báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["form", "unit", "office"],
                name="one_assignment_per_unit",
                violation_error_message=_(
                    "Đơn vị (và phòng) đã được giao báo cáo theo mẫu này."
                ),
            )
        ]

    def __str__(self):
        return self.reporter_name

    @property
    def reporter_name(self):
        return self.get_office_display() if self.office else self.unit.name

    def get_absolute_url(self):
        return reverse("reports:submission-edit", args=[self.pk])


class Submission(TimeStampedModel):
    class Status(StateChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Đã nộp")
        RETURNED = "returned", _("Trả lại để sửa")
        ACCEPTED = "accepted", _("Đã tiếp nhận")

        TRANSITIONS = transitions(
            submit=Transition(
                _("Nộp báo cáo"),
                sources=[DRAFT, RETURNED],
                target=SUBMITTED,
                confirm=_(
                    "Nộp báo cáo? Sau khi nộp sẽ không sửa được trừ khi bị trả lại."
                ),
            ),
            accept=Transition(
                _("Tiếp nhận báo cáo"), sources=[SUBMITTED], target=ACCEPTED
            ),
            send_back=Transition(
                _("Trả lại để sửa"),
                sources=[SUBMITTED],
                target=RETURNED,
                dangerous=True,
            ),
        )
        # The unit may still change its text (saving is no transition).
        GROUPS = groups(editable=[DRAFT, RETURNED], reported=[SUBMITTED, ACCEPTED])

    assignment = models.OneToOneField(
        Assignment, models.CASCADE, related_name="submission"
    )
    status = models.CharField(
        _("Trạng thái"), max_length=12, choices=Status, default=Status.DRAFT
    )
    narratives = models.JSONField(_("Nội dung"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("Nộp lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("Tiếp nhận lúc"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(_("Lý do trả lại"), max_length=2000, blank=True)
    is_late = models.BooleanField(_("Nộp muộn"), default=False)

    class Meta:
        verbose_name = _("bài nộp báo cáo")
        verbose_name_plural = _("bài nộp báo cáo")

    def __str__(self):
        return str(self.assignment)

    @property
    def is_editable(self):
        return self.Status.in_group(self.status, "editable")

    @property
    def is_returned(self):
        return self.status == self.Status.RETURNED


class Reminder(models.Model):
    """A reminder sent, so that each kind goes out once per assignment."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Sắp đến hạn (7 ngày)")
        OVERDUE = "overdue", _("Quá hạn")

    assignment = models.ForeignKey(Assignment, models.CASCADE, related_name="reminders")
    kind = models.CharField(_("Loại"), max_length=10, choices=Kind)
    sent_on = models.DateField(_("Ngày gửi"))
    recipients = models.PositiveSmallIntegerField(_("Số người nhận"), default=0)

    class Meta:
        verbose_name = _("lời nhắc")
        verbose_name_plural = _("lời nhắc")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "kind"],
                name="one_reminder_per_kind",
                violation_error_message=_("Báo cáo này đã được nhắc theo cách này."),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.assignment}"
