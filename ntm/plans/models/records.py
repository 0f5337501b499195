"""The records the plan's targets are computed from (plan II.2, targets 1, 10, 12).

Each record belongs to a unit as it was when the record was made: a 2024
tally of Xã Đại Đồng stays on Xã Đại Đồng, and the engine places it under
Xã Hà Nha or Huyện Đại Lộc as the period asks.
"""

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ntm.accounts.models import Office
from ntm.core.models import TimeStampedModel
from ntm.core.numbers import round_half_up
from ntm.units.models import Unit


def year_bounds(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


class UnitRecordQuerySet(models.QuerySet):
    def within_units(self, units):
        """Records of ``units`` (a list or queryset of units)."""
        return self.filter(unit__in=units)


class WorkDossierTally(TimeStampedModel):
    """How many NTM work dossiers a unit handled in a year, and how many online.

    District offices report on the district unit with their ``office``;
    communes report on the commune with no office. Secret dossiers are left
    out of ``total`` (the plan counts "trừ hồ sơ mật"); their number is kept
    for the record only.
    """

    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="+", verbose_name=_("Đơn vị")
    )
    office = models.CharField(
        _("Phòng (cấp huyện)"), max_length=10, choices=Office, blank=True
    )
    year = models.PositiveSmallIntegerField(_("Năm"))
    total = models.PositiveIntegerField(_("Tổng số hồ sơ (không tính hồ sơ mật)"))
    online = models.PositiveIntegerField(_("Số hồ sơ xử lý trên môi trường mạng"))
    secret = models.PositiveIntegerField(
        _("Số hồ sơ mật (đã loại khỏi tổng)"), null=True, blank=True
    )
    note = models.TextField(_("Ghi chú"), max_length=2000, blank=True)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = UnitRecordQuerySet.as_manager()

    class Meta:
        ordering = ["year", "unit__path", "office"]
        verbose_name = _("số liệu hồ sơ công việc")
        verbose_name_plural = _("số liệu hồ sơ công việc")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "office", "year"],
                name="one_tally_per_unit_year",
                violation_error_message=_(
                    "Đơn vị này đã có số liệu của năm đó (và phòng đó)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(online__lte=F("total")),
                name="tally_online_within_total",
                violation_error_message=_(
                    "Số hồ sơ xử lý trực tuyến lớn hơn tổng số hồ sơ."
                ),
            ),
        ]

    def __str__(self):
        office = f" — {self.get_office_display()}" if self.office else ""
        return f"{self.unit}{office} ({self.year})"

    @property
    def online_share(self):
        """Percent processed online, or None when there were no dossiers."""
        if not self.total:
            return None
        return round_half_up(self.online * 100 / self.total, 1)


class ServiceField(models.TextChoices):
    """The six fields of essential online services named in plan II.2.3."""

    HEALTH = "y_te", _("Y tế")
    EDUCATION = "giao_duc", _("Giáo dục")
    MONITORING = "giam_sat", _("Giám sát cộng đồng")
    SECURITY = "an_ninh", _("An ninh trật tự")
    ENVIRONMENT = "moi_truong", _("Môi trường")
    CULTURE = "van_hoa", _("Văn hóa")


class EssentialServiceQuerySet(UnitRecordQuerySet):
    def active_in(self, year):
        """Services running on at least one day of ``year``."""
        first, last = year_bounds(year)
        return self.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=first), started_on__lte=last
        )


class EssentialService(TimeStampedModel):
    """An essential service a commune provides online (target 10)."""

    Field = ServiceField

    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="+", verbose_name=_("Xã")
    )
    field = models.CharField(_("Lĩnh vực"), max_length=12, choices=ServiceField)
    name = models.CharField(_("Tên dịch vụ"), max_length=200)
    url = models.CharField(_("Địa chỉ / nền tảng"), max_length=300, blank=True)
    started_on = models.DateField(_("Bắt đầu cung cấp"))
    ended_on = models.DateField(_("Ngừng cung cấp"), null=True, blank=True)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = EssentialServiceQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "field", "name"]
        verbose_name = _("dịch vụ thiết yếu trực tuyến")
        verbose_name_plural = _("dịch vụ thiết yếu trực tuyến")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "field", "name"],
                name="one_service_name_per_field",
                violation_error_message=_(
                    "Xã này đã có dịch vụ cùng tên trong lĩnh vực đó."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="service_ends_after_start",
                violation_error_message=_("Ngày ngừng phải sau ngày bắt đầu."),
            ),
        ]

    def __str__(self):
        return f"{self.name} — {self.unit}"


class PilotField(models.TextChoices):
    """Outstanding fields of a smart-NTM pilot commune (plan II.2.4, III.4)."""

    ECONOMY = "kinh_te", _("Kinh tế")
    TOURISM = "du_lich", _("Du lịch nông thôn")
    ADMINISTRATION = "hanh_chinh", _("Cải cách hành chính")
    SECURITY = "an_ninh", _("An ninh trật tự")
    ENVIRONMENT = "moi_truong", _("Môi trường")
    CULTURE = "van_hoa", _("Văn hóa")
    OTHER = "khac", _("Lĩnh vực khác")


class PilotCommuneQuerySet(UnitRecordQuerySet):
    def counted_in(self, year):
        """Pilots that had started by the end of ``year`` and were not cancelled."""
        return self.filter(started_on__lte=year_bounds(year)[1]).exclude(
            status=PilotCommune.Status.CANCELLED
        )


class PilotCommune(TimeStampedModel):
    """A pilot smart-NTM commune in an outstanding field (target 12)."""

    Field = PilotField

    class Status(models.TextChoices):
        PREPARING = "chuan_bi", _("Đang chuẩn bị")
        RUNNING = "trien_khai", _("Đang triển khai")
        REVIEWED = "tong_ket", _("Đã tổng kết")
        CANCELLED = "huy", _("Đã hủy")

    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="+", verbose_name=_("Xã")
    )
    field = models.CharField(_("Lĩnh vực nổi trội"), max_length=12, choices=PilotField)
    decision_number = models.CharField(_("Số quyết định"), max_length=60, blank=True)
    decision_date = models.DateField(_("Ngày quyết định"), null=True, blank=True)
    started_on = models.DateField(_("Bắt đầu thí điểm"))
    status = models.CharField(
        _("Tình trạng"), max_length=12, choices=Status, default=Status.RUNNING
    )
    note = models.TextField(_("Ghi chú"), max_length=2000, blank=True)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = PilotCommuneQuerySet.as_manager()

    class Meta:
        ordering = ["started_on", "unit__path"]
        verbose_name = _("xã thí điểm NTM thông minh")
        verbose_name_plural = _("xã thí điểm NTM thông minh")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "field"],
                name="one_pilot_per_commune_field",
                violation_error_message=_(
                    "Xã này đã được ghi nhận thí điểm trong lĩnh vực đó."
                ),
            )
        ]

    def __str__(self):
        return f"{self.unit} — {self.get_field_display()}"
