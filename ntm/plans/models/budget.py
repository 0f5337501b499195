"""The plan's budget (section VI): allocated and disbursed, per task, year, source."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ntm.core.models import TimeStampedModel

from .tasks import KeyTask


class BudgetLine(TimeStampedModel):
    """Money for one key task in one year from one source, in đồng.

    Disbursement may exceed the allocation (an allocation revised later, a
    carry-over), so it is flagged on screen rather than refused.
    """

    class Source(models.TextChoices):
        CENTRAL = "trung_uong", _("Ngân sách Trung ương")
        PROVINCIAL = "tinh", _("Ngân sách tỉnh")
        DISTRICT = "huyen", _("Ngân sách huyện")
        COMMUNE = "xa", _("Ngân sách xã")
        SOCIAL = "xa_hoi_hoa", _("Xã hội hóa, vốn huy động")
        INTEGRATED = "long_ghep", _("Lồng ghép chương trình, dự án")

    task = models.ForeignKey(
        KeyTask, models.CASCADE, related_name="budget_lines", verbose_name=_("Nhiệm vụ")
    )
    year = models.PositiveSmallIntegerField(_("Năm"))
    source = models.CharField(_("Nguồn vốn"), max_length=12, choices=Source)
    allocated = models.DecimalField(
        _("Kinh phí bố trí (đồng)"), max_digits=16, decimal_places=0
    )
    disbursed = models.DecimalField(
        _("Đã giải ngân (đồng)"), max_digits=16, decimal_places=0, default=0
    )
    note = models.CharField(_("Ghi chú"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    class Meta:
        ordering = ["year", "task__number", "source"]
        verbose_name = _("dòng kinh phí")
        verbose_name_plural = _("dòng kinh phí")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "year", "source"],
                name="one_budget_line_per_source",
                violation_error_message=_(
                    "Nhiệm vụ đã có dòng kinh phí của nguồn này trong năm đó."
                ),
            ),
            models.CheckConstraint(
                condition=Q(allocated__gte=0) & Q(disbursed__gte=0),
                name="budget_amounts_not_negative",
                violation_error_message=_("Số tiền không được âm."),
            ),
        ]

    def __str__(self):
        return f"{self.task.number} / {self.year} / {self.get_source_display()}"

    @property
    def over_disbursed(self):
        return self.disbursed > self.allocated
