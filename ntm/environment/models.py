"""Environmental monitoring: points, what is measured there, readings, alerts.

A monitoring point (a water source, a waste site, an air station) sits in a
village or commune. Readings arrive from sensors (MQTT or HTTP, each sensor
with its own key) or are typed from a laboratory's result. A parameter's
limits are data (``data/parameters.json``), flagged unconfirmed until
checked against the national regulation they cite. A reading outside the
limits opens an alert *episode* for its point and parameter; the episode
stays open, and notifies once, until a reading is back inside.
"""

import secrets

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ntm.accounts.models import ApiToken
from ntm.core.models import TimeStampedModel
from ntm.units.scope import ScopedQuerySet


class Medium(models.TextChoices):
    WATER = "water", _("Nước")
    AIR = "air", _("Không khí")
    WASTE = "waste", _("Chất thải")


class Parameter(models.Model):
    """What is measured, in which unit, and the range a reading should stay in."""

    code = models.SlugField(_("Mã thông số"), max_length=30, unique=True)
    name = models.CharField(_("Tên thông số"), max_length=120)
    medium = models.CharField(_("Môi trường"), max_length=10, choices=Medium)
    unit_label = models.CharField(_("Đơn vị đo"), max_length=20, blank=True)
    low = models.FloatField(_("Giới hạn dưới"), null=True, blank=True)
    high = models.FloatField(_("Giới hạn trên"), null=True, blank=True)
    regulation = models.CharField(_("Căn cứ"), max_length=200, blank=True)
    is_confirmed = models.BooleanField(
        _("Đã xác nhận ngưỡng"),
        default=False,
        help_text=_("Bỏ chọn khi chưa đối chiếu được ngưỡng với văn bản gốc."),
    )

    class Meta:
        ordering = ["medium", "name"]
        verbose_name = _("thông số quan trắc")
        verbose_name_plural = _("thông số quan trắc")

    def __str__(self):
        return f"{self.name} ({self.unit_label})" if self.unit_label else self.name

    def breached_by(self, value):
        """True when ``value`` is outside the limits (a limit may be open)."""
        return (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        )

    @property
    def limits_display(self):
        if self.low is not None and self.high is not None:
            return f"{self.low:g} – {self.high:g}"
        if self.high is not None:
            return f"≤ {self.high:g}"
        if self.low is not None:
            return f"≥ {self.low:g}"
        return "—"


class PointQuerySet(ScopedQuerySet):
    scope_field = "unit"


class MonitoringPoint(TimeStampedModel):
    class Kind(models.TextChoices):
        WATER_SOURCE = "water_source", _("Nguồn nước sinh hoạt")
        WATER_BODY = "water_body", _("Sông, hồ, kênh mương")
        WASTE_SITE = "waste_site", _("Điểm tập kết, xử lý rác")
        AIR = "air", _("Trạm quan trắc không khí")

    code = models.SlugField(_("Mã điểm"), max_length=30, unique=True)
    name = models.CharField(_("Tên điểm quan trắc"), max_length=160)
    kind = models.CharField(_("Loại điểm"), max_length=14, choices=Kind)
    unit = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        related_name="monitoring_points",
        verbose_name=_("Đơn vị"),
    )
    latitude = models.FloatField(_("Vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("Kinh độ"), null=True, blank=True)
    parameters = models.ManyToManyField(
        Parameter, related_name="points", verbose_name=_("Thông số theo dõi")
    )
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = PointQuerySet.as_manager()

    class Meta:
        ordering = ["unit__sort_key", "name"]
        verbose_name = _("điểm quan trắc")
        verbose_name_plural = _("điểm quan trắc")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("environment:point-detail", args=[self.code])


class Sensor(TimeStampedModel):
    """A device that sends readings for one point, known by its id and key.

    Only the key's hash is stored, hashed as API keys are
    (``ApiToken.digest_of``): the key is shown once, when issued.
    """

    device_id = models.SlugField(_("Mã thiết bị"), max_length=40, unique=True)
    point = models.ForeignKey(
        MonitoringPoint, models.CASCADE, related_name="sensors", verbose_name=_("Điểm")
    )
    key_hash = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(_("Đang hoạt động"), default=True)
    last_seen = models.DateTimeField(_("Gửi lần cuối"), null=True, blank=True)

    class Meta:
        ordering = ["device_id"]
        verbose_name = _("thiết bị đo")
        verbose_name_plural = _("thiết bị đo")

    def __str__(self):
        return self.device_id

    def issue_key(self):
        """A new key (returned once); the old one stops working."""
        key = secrets.token_urlsafe(24)
        self.key_hash = ApiToken.digest_of(key)
        return key

    def accepts(self, key):
        return self.is_active and secrets.compare_digest(
            self.key_hash, ApiToken.digest_of(key or "")
        )


class ReadingQuerySet(models.QuerySet):
    def latest_per_parameter(self, point):
        """The newest reading of each parameter at ``point``."""
        newest = (
            self.filter(point=point, parameter=models.OuterRef("parameter"))
            .order_by("-measured_at", "-pk")
            .values("pk")[:1]
        )
        return (
            self.of_point(point)
            .filter(pk=models.Subquery(newest))
            .select_related("parameter")
        )

    def of_point(self, point):
        """The point's readings, read from its province's partition only."""
        return self.filter(point=point, province_code=point.unit.province_code)


class Reading(models.Model):
    class Source(models.TextChoices):
        MQTT = "mqtt", _("Cảm biến (MQTT)")
        HTTP = "http", _("Cảm biến (HTTP)")
        LAB = "lab", _("Kết quả phòng thí nghiệm")

    point = models.ForeignKey(MonitoringPoint, models.CASCADE, related_name="readings")
    parameter = models.ForeignKey(Parameter, models.PROTECT, related_name="readings")
    value = models.FloatField(_("Giá trị"))
    measured_at = models.DateTimeField(_("Thời điểm đo"))
    source = models.CharField(_("Nguồn"), max_length=4, choices=Source)
    sensor = models.ForeignKey(
        Sensor, models.SET_NULL, null=True, blank=True, related_name="readings"
    )
    laboratory = models.CharField(_("Phòng thí nghiệm"), max_length=160, blank=True)
    is_breach = models.BooleanField(_("Vượt ngưỡng"), default=False)
    # The point's province (its unit's first path segment), set by
    # record_readings: the partition key on PostgreSQL (migration 0004), so
    # that a country's readings are one table per province.
    province_code = models.CharField(max_length=3, default="", editable=False)

    objects = ReadingQuerySet.as_manager()

    class Meta:
        ordering = ["-measured_at", "-pk"]
        verbose_name = _("kết quả đo")
        verbose_name_plural = _("kết quả đo")
        indexes = [models.Index(fields=["point", "parameter", "-measured_at"])]
        constraints = [
            # A device that re-sends (MQTT delivers at least once) is stored once.
            models.UniqueConstraint(
                fields=["sensor", "parameter", "measured_at", "province_code"],
                condition=Q(sensor__isnull=False),
                name="one_reading_per_sensor_parameter_instant",
                violation_error_message=_(
                    "Thiết bị đã gửi kết quả của thông số này tại thời điểm này."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.parameter_id}={self.value:g} @ {self.measured_at:%d/%m/%Y %H:%M}"


class Alert(models.Model):
    """One episode of a parameter outside its limits at a point."""

    point = models.ForeignKey(MonitoringPoint, models.CASCADE, related_name="alerts")
    parameter = models.ForeignKey(Parameter, models.PROTECT, related_name="alerts")
    opened_at = models.DateTimeField(_("Bắt đầu"))
    first_value = models.FloatField(_("Giá trị đầu tiên"))
    worst_value = models.FloatField(_("Giá trị xa ngưỡng nhất"))
    readings = models.PositiveIntegerField(_("Số lần vượt ngưỡng"), default=1)
    closed_at = models.DateTimeField(_("Kết thúc"), null=True, blank=True)
    notified = models.PositiveIntegerField(_("Số người được báo"), default=0)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("cảnh báo")
        verbose_name_plural = _("cảnh báo")
        constraints = [
            models.UniqueConstraint(
                fields=["point", "parameter"],
                condition=Q(closed_at__isnull=True),
                name="one_open_alert_per_point_parameter",
                violation_error_message=_(
                    "Thông số này đang có một cảnh báo mở tại điểm quan trắc."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.parameter} ({self.opened_at:%d/%m/%Y %H:%M})"

    @property
    def is_open(self):
        return self.closed_at is None
