from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ntm.core.models import TimeStampedModel
from ntm.indicators.models import Requirement
from ntm.units.models import Unit


class Plan(TimeStampedModel):
    """A plan of a People's Committee whose targets are computed by the engine."""

    code = models.CharField(_("Mã kế hoạch"), max_length=40, unique=True)
    title = models.CharField(_("Tên kế hoạch"), max_length=400)
    issuer = models.CharField(_("Cơ quan ban hành"), max_length=200)
    number = models.CharField(_("Số, ký hiệu"), max_length=60, blank=True)
    signed_on = models.DateField(_("Ngày ban hành"), null=True, blank=True)
    first_year = models.PositiveSmallIntegerField(_("Từ năm"))
    last_year = models.PositiveSmallIntegerField(_("Đến năm"))
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="+", verbose_name=_("Địa bàn")
    )
    source = models.TextField(_("Nguồn"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-first_year", "code"]
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")

    def __str__(self):
        return self.title

    @property
    def years(self):
        return list(range(self.first_year, self.last_year + 1))


class Target(TimeStampedModel):
    """A measurable target of a plan: a requirement of the engine, with a deadline.

    The requirement (in the plan's criteria file) holds the indicator, the
    comparison and the target value, so they are edited and audited like any
    threshold; "a share of units meeting a requirement" is a roll-up indicator,
    "a value at a unit" any other.
    """

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="targets")
    number = models.CharField(_("Số"), max_length=10)
    title = models.CharField(_("Mục tiêu"), max_length=500)
    requirement = models.ForeignKey(
        Requirement, models.PROTECT, related_name="targets", verbose_name=_("Yêu cầu")
    )
    deadline = models.DateField(_("Thời hạn"))
    # Where lagging units are looked for when the indicator is computed: the
    # units of this level in the plan's area whose own value misses the target.
    lagging_level = models.PositiveSmallIntegerField(
        _("Cấp đơn vị chậm"), choices=Unit.Level, null=True, blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="one_target_number",
                violation_error_message=_("Kế hoạch đã có mục tiêu mang số này."),
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("plans:target-detail", args=[self.plan.code, self.number])

    @property
    def indicator(self):
        return self.requirement.indicator
