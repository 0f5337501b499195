"""Cooperatives (HTX), the digital technologies they use, their linkage models.

Targets 6 and 7 of the plan are computed from these records. A cooperative
stays linked to the commune it was registered in, even after that commune
merged in 2025; the providers place it under today's commune.
"""

import datetime

from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ntm.core.models import TimeStampedModel
from ntm.core.text import fold, fold_terms
from ntm.units.scope import ScopedQuerySet


class DigitalTechnology(models.Model):
    """A kind of digital technology a cooperative or a linkage model applies."""

    code = models.SlugField(_("Mã"), max_length=30, unique=True)
    name = models.CharField(_("Tên"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("công nghệ số")
        verbose_name_plural = _("công nghệ số")

    def __str__(self):
        return self.name


def active_on_q(day):
    """Founded by ``day`` (or founding date unknown) and not yet closed down."""
    return (Q(founded_on__isnull=True) | Q(founded_on__lte=day)) & (
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day)
    )


def digital_on_q(day):
    """Applying digital technology on ``day``, by the dates it began and
    (if it did) stopped."""
    return Q(digital_since__lte=day) & (
        Q(digital_until__isnull=True) | Q(digital_until__gt=day)
    )


class CooperativeQuerySet(ScopedQuerySet):
    scope_field = "commune"

    def active(self):
        return self.filter(is_active=True)

    def active_in(self, year):
        """Active at the end of ``year``, read from the dates, so that a
        cooperative closed in 2026 still counts in 2025."""
        return self.filter(active_on_q(datetime.date(year, 12, 31)))

    def digital(self):
        return self.filter(applies_digital_technology=True)

    def digital_on(self, day):
        return self.filter(digital_on_q(day))

    def as_of(self, day):
        """Each cooperative with ``active_then`` / ``digital_then``: its state
        on ``day`` from the dates (the list of a past day)."""
        return self.annotate(
            active_then=ExpressionWrapper(active_on_q(day), BooleanField()),
            digital_then=ExpressionWrapper(digital_on_q(day), BooleanField()),
        )

    def in_commune(self, unit):
        """Cooperatives registered in ``unit`` or in a commune it replaced."""
        return self.within(unit, lineage=True)

    def matching(self, query):
        cooperatives = self
        for term in fold_terms(query):
            cooperatives = cooperatives.filter(
                Q(search_text__contains=term) | Q(code__istartswith=term)
            )
        return cooperatives


class Cooperative(TimeStampedModel):
    name = models.CharField(_("Tên hợp tác xã"), max_length=200)
    code = models.CharField(_("Mã số HTX / số đăng ký"), max_length=30, unique=True)
    commune = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        related_name="cooperatives",
        verbose_name=_("Xã đăng ký"),
        help_text=_("Xã nơi HTX đăng ký; giữ nguyên khi xã được sắp xếp."),
    )
    founded_on = models.DateField(_("Ngày thành lập"), null=True, blank=True)
    members = models.PositiveIntegerField(_("Số thành viên"), default=0)
    main_products = models.TextField(
        _("Sản phẩm, dịch vụ chính"), max_length=1000, blank=True
    )
    applies_digital_technology = models.BooleanField(
        _("Ứng dụng công nghệ số"), default=False
    )
    # What targets 6 and 7 count is dated: the flags above say today's state,
    # the dates say since when (kept by services.py), so that an edit made in
    # 2026 leaves the figures of earlier years as they were.
    digital_since = models.DateField(
        _("Ứng dụng công nghệ số từ ngày"),
        null=True,
        blank=True,
        help_text=_("Để trống khi đánh dấu: tính từ hôm nay."),
    )
    digital_until = models.DateField(
        _("Ngừng ứng dụng công nghệ số từ ngày"), null=True, blank=True
    )
    dissolved_on = models.DateField(
        _("Ngừng hoạt động từ ngày"),
        null=True,
        blank=True,
        help_text=_("Để trống khi bỏ chọn “Đang hoạt động”: tính từ hôm nay."),
    )
    technologies = models.ManyToManyField(
        DigitalTechnology,
        blank=True,
        related_name="cooperatives",
        verbose_name=_("Công nghệ số áp dụng"),
    )
    # Personal data: staff pages only.
    representative = models.CharField(_("Người đại diện"), max_length=120, blank=True)
    phone = models.CharField(_("Số điện thoại"), max_length=20, blank=True)
    is_active = models.BooleanField(_("Đang hoạt động"), default=True)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)
    search_text = models.CharField(max_length=400, editable=False, blank=True)

    objects = CooperativeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("hợp tác xã")
        verbose_name_plural = _("hợp tác xã")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cooperatives:cooperative-detail", args=[self.pk])

    def build_search_text(self):
        return fold(f"{self.code} {self.name} {self.main_products}")[:400]


class LinkageModelQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def active_in(self, year):
        """Models running in ``year`` (started by then, not ended before it),
        of cooperatives active at its end; read from the years and dates."""
        end = datetime.date(year, 12, 31)
        return self.filter(
            Q(started_year__isnull=True) | Q(started_year__lte=year),
            Q(ended_year__isnull=True) | Q(ended_year__gt=year),
            Q(cooperative__founded_on__isnull=True)
            | Q(cooperative__founded_on__lte=end),
            Q(cooperative__dissolved_on__isnull=True)
            | Q(cooperative__dissolved_on__gt=end),
        )

    def digital_in(self, year):
        """Applying digital technology in ``year`` (from its first year, up to
        the year before it stopped)."""
        return self.filter(
            Q(digital_until_year__isnull=True) | Q(digital_until_year__gt=year),
            digital_since_year__lte=year,
        )

    def with_raw_material_area(self):
        return self.filter(has_raw_material_area=True)


class LinkageModel(TimeStampedModel):
    """A production-linkage model (mô hình liên kết sản xuất) of a cooperative."""

    # PROTECT: a cooperative's models are what target 7 counts.
    cooperative = models.ForeignKey(
        Cooperative,
        models.PROTECT,
        related_name="linkage_models",
        verbose_name=_("Hợp tác xã"),
    )
    name = models.CharField(_("Tên mô hình liên kết"), max_length=200)
    key_product = models.CharField(_("Sản phẩm chủ lực"), max_length=120, blank=True)
    partner = models.CharField(_("Doanh nghiệp liên kết"), max_length=200, blank=True)
    tied_to_sales = models.BooleanField(
        _("Gắn với tiêu thụ nông sản chủ lực"), default=False
    )
    has_raw_material_area = models.BooleanField(
        _("Gắn với vùng nguyên liệu"), default=False
    )
    raw_material_area = models.CharField(
        _("Vùng nguyên liệu"), max_length=255, blank=True
    )
    area_ha = models.DecimalField(
        _("Diện tích (ha)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    applies_digital_technology = models.BooleanField(
        _("Ứng dụng công nghệ số"), default=False
    )
    digital_since_year = models.PositiveSmallIntegerField(
        _("Ứng dụng công nghệ số từ năm"),
        null=True,
        blank=True,
        help_text=_("Để trống khi đánh dấu: tính từ năm nay."),
    )
    digital_until_year = models.PositiveSmallIntegerField(
        _("Ngừng ứng dụng công nghệ số từ năm"), null=True, blank=True
    )
    started_year = models.PositiveSmallIntegerField(
        _("Năm bắt đầu"), null=True, blank=True
    )
    ended_year = models.PositiveSmallIntegerField(
        _("Năm ngừng"),
        null=True,
        blank=True,
        help_text=_("Để trống khi bỏ chọn “Đang hoạt động”: tính từ năm nay."),
    )
    is_active = models.BooleanField(_("Đang hoạt động"), default=True)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = LinkageModelQuerySet.as_manager()

    class Meta:
        ordering = ["cooperative__name", "name"]
        verbose_name = _("mô hình liên kết")
        verbose_name_plural = _("mô hình liên kết")
        constraints = [
            models.CheckConstraint(
                condition=Q(area_ha__isnull=True) | Q(area_ha__gte=0),
                name="linkage_area_not_negative",
                violation_error_message=_("Diện tích vùng nguyên liệu không được âm."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cooperatives:linkage-edit", args=[self.pk])
