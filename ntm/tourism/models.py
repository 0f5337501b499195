"""Rural tourism (plan V.3 (2)): sites, their photos and panoramas, routes,
and the assessments that rank them.

One ``Site`` model covers every kind a visitor looks for (an attraction, a
heritage site, a craft village, a homestay, a service, an experience): they
share a place, a unit, opening hours, prices and the contact of the
*business* that runs them, never a private household's personal data. The
public pages read the ``_en`` fields in English and fall back to the
Vietnamese ones when a field has no translation.
"""

from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ntm.core.models import TimeStampedModel
from ntm.core.uploads import UploadValidator
from ntm.units.scope import ScopedQuerySet


def in_language(record, field):
    """``field`` of ``record`` in the active language (English falls back)."""
    if translation.get_language() == "en":
        english = getattr(record, f"{field}_en", "")
        if english:
            return english
    return getattr(record, field)


class SiteQuerySet(ScopedQuerySet):
    scope_field = "unit"

    def published(self):
        return self.filter(is_published=True)

    def located(self):
        return self.filter(lat__isnull=False, lon__isnull=False)


class Site(TimeStampedModel):
    class Kind(models.TextChoices):
        ATTRACTION = "attraction", _("Điểm tham quan")
        HERITAGE = "heritage", _("Di tích, di sản")
        CRAFT_VILLAGE = "craft_village", _("Làng nghề")
        HOMESTAY = "homestay", _("Homestay, lưu trú")
        SERVICE = "service", _("Dịch vụ du lịch")
        EXPERIENCE = "experience", _("Trải nghiệm")

    code = models.SlugField(_("Mã điểm"), max_length=40, unique=True)
    kind = models.CharField(_("Loại"), max_length=14, choices=Kind)
    name = models.CharField(_("Tên"), max_length=160)
    name_en = models.CharField(_("Tên (tiếng Anh)"), max_length=160, blank=True)
    description = models.TextField(_("Giới thiệu"), max_length=4000, blank=True)
    description_en = models.TextField(
        _("Giới thiệu (tiếng Anh)"), max_length=4000, blank=True
    )
    unit = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        related_name="tourism_sites",
        verbose_name=_("Đơn vị"),
    )
    lat = models.FloatField(_("Vĩ độ"), null=True, blank=True)
    lon = models.FloatField(_("Kinh độ"), null=True, blank=True)
    address_code = models.CharField(_("Mã địa chỉ số"), max_length=30, blank=True)
    opening_hours = models.CharField(_("Giờ mở cửa"), max_length=200, blank=True)
    opening_hours_en = models.CharField(
        _("Giờ mở cửa (tiếng Anh)"), max_length=200, blank=True
    )
    price = models.CharField(_("Giá vé, giá dịch vụ"), max_length=200, blank=True)
    price_en = models.CharField(_("Giá (tiếng Anh)"), max_length=200, blank=True)
    business_name = models.CharField(
        _("Đơn vị kinh doanh"),
        max_length=160,
        blank=True,
        help_text=_("Tên cơ sở, hợp tác xã, doanh nghiệp: không ghi tên hộ gia đình."),
    )
    business_phone = models.CharField(
        _("Điện thoại của cơ sở"), max_length=20, blank=True
    )
    business_email = models.EmailField(_("Thư điện tử của cơ sở"), blank=True)
    website = models.URLField(_("Trang web"), blank=True)
    ocop_product = models.ForeignKey(
        "ocop.Product",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="tourism_sites",
        verbose_name=_("Sản phẩm OCOP (nhóm du lịch)"),
        limit_choices_to={"group": "du_lich"},
    )
    is_published = models.BooleanField(_("Công khai"), default=True)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["unit__sort_key", "name"]
        verbose_name = _("điểm du lịch")
        verbose_name_plural = _("điểm du lịch")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("tourism:site-detail", args=[self.code])

    @property
    def shown_name(self):
        return in_language(self, "name")

    @property
    def shown_description(self):
        return in_language(self, "description")

    @property
    def shown_opening_hours(self):
        return in_language(self, "opening_hours")

    @property
    def shown_price(self):
        return in_language(self, "price")


class Photo(models.Model):
    """A photo of a site, or a 360° equirectangular panorama (2:1)."""

    site = models.ForeignKey(Site, models.CASCADE, related_name="photos")
    image = models.FileField(
        _("Ảnh"), upload_to="tourism/%Y/", validators=[UploadValidator("photo")]
    )
    caption = models.CharField(_("Chú thích"), max_length=200, blank=True)
    caption_en = models.CharField(
        _("Chú thích (tiếng Anh)"), max_length=200, blank=True
    )
    is_panorama = models.BooleanField(_("Ảnh toàn cảnh 360°"), default=False)
    order = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)

    class Meta:
        ordering = ["site", "order", "pk"]
        verbose_name = _("ảnh điểm du lịch")
        verbose_name_plural = _("ảnh điểm du lịch")

    def __str__(self):
        return self.caption or self.image.name

    def get_absolute_url(self):
        return reverse("tourism:photo-file", args=[self.pk])

    @property
    def shown_caption(self):
        return in_language(self, "caption")


class RouteQuerySet(ScopedQuerySet):
    scope_field = "unit"


class Route(TimeStampedModel):
    """A tour: sites visited in order."""

    code = models.SlugField(_("Mã tuyến"), max_length=40, unique=True)
    name = models.CharField(_("Tên tuyến"), max_length=160)
    name_en = models.CharField(_("Tên tuyến (tiếng Anh)"), max_length=160, blank=True)
    description = models.TextField(_("Giới thiệu"), max_length=4000, blank=True)
    description_en = models.TextField(
        _("Giới thiệu (tiếng Anh)"), max_length=4000, blank=True
    )
    unit = models.ForeignKey(
        "units.Unit", models.PROTECT, related_name="+", verbose_name=_("Đơn vị")
    )
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = RouteQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tuyến du lịch")
        verbose_name_plural = _("tuyến du lịch")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("tourism:route-detail", args=[self.code])

    @property
    def shown_name(self):
        return in_language(self, "name")

    @property
    def shown_description(self):
        return in_language(self, "description")


class RouteStop(models.Model):
    route = models.ForeignKey(Route, models.CASCADE, related_name="stops")
    site = models.ForeignKey(Site, models.PROTECT, related_name="stops")
    order = models.PositiveSmallIntegerField(_("Thứ tự"))

    class Meta:
        ordering = ["route", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["route", "order"],
                name="one_stop_per_route_order",
                violation_error_message=_("Tuyến đã có điểm dừng ở thứ tự này."),
            )
        ]

    def __str__(self):
        return f"{self.route_id}.{self.order}"


class Assessment(models.Model):
    """A site scored on a versioned sheet (data/*.json): the points per item."""

    site = models.ForeignKey(Site, models.CASCADE, related_name="assessments")
    sheet_code = models.CharField(_("Phiếu"), max_length=60)
    sheet_version = models.PositiveSmallIntegerField(_("Phiên bản phiếu"))
    scores = models.JSONField(_("Điểm từng nội dung"), default=dict)
    total = models.DecimalField(_("Tổng điểm"), max_digits=5, decimal_places=1)
    assessed_on = models.DateField(_("Ngày chấm"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = _("kết quả chấm điểm du lịch")
        verbose_name_plural = _("kết quả chấm điểm du lịch")

    def __str__(self):
        return f"{self.site} {self.total} ({self.assessed_on:%d/%m/%Y})"
