import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ntm.core.models import ProvincePartitioned, TimeStampedModel
from ntm.core.numbers import format_day, format_number, format_percent
from ntm.core.states import StateChoices, Transition, groups, transitions
from ntm.core.uploads import UploadValidator
from ntm.units.models import Unit
from ntm.units.scope import ScopedQuerySet


class Period(models.Model):
    """A reporting period. Years today; the kind leaves room for others."""

    class Kind(models.TextChoices):
        YEAR = "year", _("Năm")

    kind = models.CharField(
        _("Loại kỳ"), max_length=10, choices=Kind, default=Kind.YEAR
    )

    class Status(StateChoices):
        """Closing a year freezes every figure of it (``close_period``); a
        later correction is an explicit reopening with its reason."""

        OPEN = "open", _("Đang mở")
        CLOSED = "closed", _("Đã khóa sổ")
        REOPENED = "reopened", _("Mở lại để sửa")

        TRANSITIONS = transitions(
            close=Transition(_("Khóa sổ"), sources=[OPEN, REOPENED], target=CLOSED),
            reopen=Transition(
                _("Mở lại"),
                sources=[CLOSED],
                target=REOPENED,
                dangerous=True,
                confirm=_("Mở lại kỳ đã khóa sổ? Số liệu của kỳ sẽ được tính lại."),
            ),
        )

    code = models.CharField(_("Mã kỳ"), max_length=20, unique=True)
    start = models.DateField(_("Từ ngày"))
    end = models.DateField(_("Đến ngày"))
    status = models.CharField(
        _("Trạng thái"), max_length=10, choices=Status, default=Status.OPEN
    )
    closed_at = models.DateTimeField(_("Khóa sổ lúc"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người khóa sổ"),
    )
    # The last reopening stays on the period (and on its figures) after it is
    # closed again; every one is in the audit log.
    reopened_at = models.DateTimeField(_("Mở lại lúc"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người mở lại"),
    )
    reopen_reason = models.TextField(_("Lý do mở lại"), max_length=1000, blank=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lte=models.F("end")),
                name="period_ordered",
                violation_error_message=_(
                    "Ngày kết thúc kỳ không được trước ngày bắt đầu."
                ),
            )
        ]

    def __str__(self):
        return self.code if self.kind != self.Kind.YEAR else f"Năm {self.code}"

    @classmethod
    def year(cls, year):
        period, _created = cls.objects.get_or_create(
            code=str(year),
            defaults={
                "kind": cls.Kind.YEAR,
                "start": datetime.date(year, 1, 1),
                "end": datetime.date(year, 12, 31),
            },
        )
        return period

    @property
    def reference_day(self):
        """The day whose units the period is evaluated on: its last day."""
        return self.end

    @property
    def is_closed(self):
        """Closed: every figure of the period is read from what was frozen."""
        return self.status == self.Status.CLOSED

    def state_note(self):
        """The sentence every figure of the period carries (pages, exports):
        frozen since its closing, being corrected, or corrected once."""
        note = ""
        if self.status == self.Status.CLOSED:
            note = _(
                "%(name)s đã khóa sổ ngày %(day)s: số liệu là bản lưu cố định lúc "
                "khóa sổ, không đổi theo hồ sơ sửa về sau."
            ) % {"name": self, "day": format_day(self.closed_at)}
            if self.reopened_at:
                note += " " + _(
                    "Đã mở lại ngày %(day)s để đính chính (lý do: %(reason)s) rồi "
                    "khóa sổ lại."
                ) % {"day": format_day(self.reopened_at), "reason": self.reopen_reason}
        elif self.status == self.Status.REOPENED:
            note = _(
                "%(name)s được mở lại ngày %(day)s để đính chính (lý do: "
                "%(reason)s): số liệu đang được tính lại cho đến khi khóa sổ lại."
            ) % {
                "name": self,
                "day": format_day(self.reopened_at),
                "reason": self.reopen_reason,
            }
        return str(note)

    def state(self):
        """Whether the period's figures are frozen, for the APIs."""
        return {
            "status": self.status,
            "closed_at": self.closed_at,
            "reopened_at": self.reopened_at,
            "reopen_reason": self.reopen_reason,
        }

    @classmethod
    def note_for(cls, year):
        """``state_note`` of the year's period ("" when it has none)."""
        period = cls.objects.filter(code=str(year)).first()
        return period.state_note() if period is not None else ""


class Indicator(TimeStampedModel):
    class Measure(models.TextChoices):
        PERCENT = "percent", _("Tỷ lệ (%)")
        COUNT = "count", _("Số lượng")
        BOOLEAN = "boolean", _("Có / không")
        NUMBER = "number", _("Số")
        MONEY = "money", _("Tiền (đồng)")

    class Source(models.TextChoices):
        ENTERED = "entered", _("Nhập và phê duyệt")
        COMPUTED = "computed", _("Tính từ dữ liệu")
        ROLLUP = "rollup", _("Tổng hợp từ đơn vị cấp dưới")

    class Aggregation(models.TextChoices):
        """How values of several units combine (reorganised or child units)."""

        RATIO = "ratio", _("Tỷ lệ gộp (tổng tử số / tổng mẫu số)")
        SUM = "sum", _("Cộng")
        ALL = "all", _("Đạt khi tất cả đạt")
        ANY = "any", _("Đạt khi có ít nhất một")
        NONE = "none", _("Không gộp")

    code = models.CharField(_("Mã chỉ tiêu"), max_length=40, unique=True)
    name = models.CharField(_("Tên chỉ tiêu"), max_length=400)
    description = models.TextField(_("Mô tả"), max_length=4000, blank=True)
    measure = models.CharField(_("Đơn vị tính"), max_length=10, choices=Measure)
    level = models.PositiveSmallIntegerField(_("Cấp"), choices=Unit.Level)
    source = models.CharField(_("Nguồn số liệu"), max_length=10, choices=Source)
    aggregation = models.CharField(
        _("Cách gộp"), max_length=10, choices=Aggregation, default=Aggregation.NONE
    )
    # Roll-up indicators count or share the child units that meet a set (or one
    # criterion of it): "number of smart villages", "share of communes meeting 8.4".
    rollup_set = models.ForeignKey(
        "CriteriaSet", models.PROTECT, null=True, blank=True, related_name="+"
    )
    rollup_criterion = models.CharField(max_length=20, blank=True)
    rollup_requirement = models.CharField(max_length=20, blank=True)
    # Only child units of these kinds count ("xa": thị trấn are judged as towns,
    # not by the commune NTM set); empty counts every kind at the level.
    rollup_kinds = models.CharField(max_length=60, blank=True)
    rollup_level = models.PositiveSmallIntegerField(
        choices=Unit.Level, null=True, blank=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")

    def __str__(self):
        return f"{self.code} — {self.name}"

    @property
    def rollup_kind_list(self):
        return [kind for kind in self.rollup_kinds.split(",") if kind]


class CriteriaSetQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def for_year(self, year):
        return self.filter(
            Q(first_year__isnull=True) | Q(first_year__lte=year),
            Q(last_year__isnull=True) | Q(last_year__gte=year),
        )


class CriteriaSet(TimeStampedModel):
    """A versioned set of criteria, loaded from a data file in the repository."""

    code = models.CharField(_("Mã bộ tiêu chí"), max_length=60)
    version = models.PositiveSmallIntegerField(_("Phiên bản"), default=1)
    name = models.CharField(_("Tên"), max_length=300)
    level = models.PositiveSmallIntegerField(_("Áp dụng cho cấp"), choices=Unit.Level)
    decision = models.CharField(_("Căn cứ"), max_length=400, blank=True)
    source = models.TextField(_("Nguồn"), max_length=2000, blank=True)
    notes = models.TextField(_("Ghi chú"), max_length=4000, blank=True)
    first_year = models.PositiveSmallIntegerField(_("Từ năm"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(_("Đến năm"), null=True, blank=True)
    is_active = models.BooleanField(_("Đang dùng"), default=True)
    file_digest = models.CharField(max_length=64, blank=True, editable=False)

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        ordering = ["level", "code", "-version"]
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="one_set_version",
                violation_error_message=_("Bộ tiêu chí đã có phiên bản này."),
            ),
        ]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet,
        models.CASCADE,
        related_name="criteria",
        verbose_name=_("Bộ tiêu chí"),
    )
    number = models.CharField(_("Số"), max_length=20)
    name = models.CharField(_("Tên tiêu chí"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["criteria_set", "order"]
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "number"],
                name="one_criterion_number",
                violation_error_message=_("Bộ tiêu chí đã có tiêu chí mang số này."),
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"


class Requirement(TimeStampedModel):
    """One comparison of an indicator's value with a threshold."""

    class Comparison(models.TextChoices):
        GTE = "gte", "≥"
        GT = "gt", ">"
        LTE = "lte", "≤"
        LT = "lt", "<"
        EQ = "eq", "="
        TRUE = "true", _("Đạt")

    criterion = models.ForeignKey(
        Criterion,
        models.CASCADE,
        related_name="requirements",
        verbose_name=_("Tiêu chí"),
    )
    code = models.CharField(_("Mã"), max_length=20)
    name = models.CharField(_("Nội dung"), max_length=500)
    indicator = models.ForeignKey(
        Indicator,
        models.PROTECT,
        related_name="requirements",
        verbose_name=_("Chỉ tiêu"),
    )
    comparison = models.CharField(_("So sánh"), max_length=5, choices=Comparison)
    threshold = models.DecimalField(
        _("Ngưỡng"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    # "" applies everywhere; "region:DHNTB" or "group:2" applies to units so
    # classified, and wins over the general row.
    variant = models.CharField(_("Áp dụng cho"), max_length=40, blank=True)
    confirmed = models.BooleanField(_("Ngưỡng đã xác minh"), default=False)
    source = models.TextField(_("Nguồn"), max_length=2000, blank=True)
    note = models.TextField(_("Ghi chú"), max_length=4000, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["criterion", "order", "code", "variant"]
        verbose_name = _("yêu cầu")
        verbose_name_plural = _("yêu cầu")
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "code", "variant"],
                name="one_requirement_variant",
                violation_error_message=_(
                    "Tiêu chí đã có chỉ tiêu mang mã này (cùng phương án)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(comparison="true") | Q(threshold__isnull=False),
                name="threshold_for_numeric_comparison",
                violation_error_message=_("Phép so sánh số phải có ngưỡng."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def is_met_by(self, value):
        """True or False for a value; None when there is no value to compare."""
        if value is None:
            return None
        value = Decimal(value)
        if self.comparison == self.Comparison.TRUE:
            return value != 0 if self.threshold is None else value >= self.threshold
        return {
            self.Comparison.GTE: value >= self.threshold,
            self.Comparison.GT: value > self.threshold,
            self.Comparison.LTE: value <= self.threshold,
            self.Comparison.LT: value < self.threshold,
            self.Comparison.EQ: value == self.threshold,
        }[self.comparison]

    @property
    def threshold_display(self):
        if self.comparison == self.Comparison.TRUE:
            return str(self.get_comparison_display())
        number = (
            format_percent(self.threshold)
            if self.indicator.measure == Indicator.Measure.PERCENT
            else format_number(self.threshold)
        )
        return f"{self.get_comparison_display()} {number}"


class UnitClassification(models.Model):
    """A unit's region or commune group, which picks threshold variants."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="classifications")
    scheme = models.CharField(_("Cách phân loại"), max_length=20)
    value = models.CharField(_("Giá trị"), max_length=20)

    class Meta:
        verbose_name = _("phân loại đơn vị")
        verbose_name_plural = _("phân loại đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "scheme"],
                name="one_class_per_scheme",
                violation_error_message=_(
                    "Đơn vị đã được xếp loại theo cách phân loại này."
                ),
            )
        ]

    def __str__(self):
        return f"{self.scheme}:{self.value}"


class IndicatorValueQuerySet(ScopedQuerySet):
    def submitted(self):
        return self.filter(status=IndicatorValue.Status.SUBMITTED)

    def approved(self):
        return self.filter(status=IndicatorValue.Status.APPROVED)


class IndicatorValue(ProvincePartitioned, TimeStampedModel):
    """A value entered by an official where no record exists, checked by another."""

    class Status(StateChoices):
        DRAFT = "draft", _("Nháp")
        SUBMITTED = "submitted", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        RETURNED = "returned", _("Trả lại để sửa")

        TRANSITIONS = transitions(
            submit=Transition(
                _("Gửi duyệt"), sources=[DRAFT, RETURNED], target=SUBMITTED
            ),
            approve=Transition(_("Duyệt"), sources=[SUBMITTED], target=APPROVED),
            # An approved value is returned too: that is how it is unlocked.
            send_back=Transition(
                _("Trả lại"),
                sources=[SUBMITTED, APPROVED],
                target=RETURNED,
                dangerous=True,
            ),
        )
        GROUPS = groups(locked=[SUBMITTED, APPROVED])

    indicator = models.ForeignKey(
        Indicator, models.PROTECT, related_name="values", verbose_name=_("Chỉ tiêu")
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="+", verbose_name=_("Đơn vị")
    )
    period = models.ForeignKey(
        Period, models.PROTECT, related_name="values", verbose_name=_("Kỳ")
    )
    value = models.DecimalField(
        _("Giá trị"), max_digits=18, decimal_places=4, null=True
    )
    note = models.TextField(_("Thuyết minh"), max_length=4000, blank=True)
    status = models.CharField(
        _("Trạng thái"), max_length=10, choices=Status, default=Status.DRAFT
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("Ý kiến người duyệt"), max_length=2000, blank=True)
    # The partition key on PostgreSQL: the unit's province.
    PROVINCE_FROM = "unit"

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        ordering = ["period", "indicator", "unit"]
        verbose_name = _("giá trị chỉ tiêu")
        verbose_name_plural = _("giá trị chỉ tiêu")
        constraints = [
            # A unit lies in one province: the province code (the partition
            # key, which a partitioned table's unique keys must name) does
            # not widen the rule.
            models.UniqueConstraint(
                fields=["indicator", "unit", "period", "province_code"],
                name="one_value_per_indicator_unit_period",
                violation_error_message=_(
                    "Đơn vị đã có giá trị của chỉ tiêu này trong kỳ này."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} / {self.unit} / {self.period}"

    @property
    def is_locked(self):
        return self.Status.in_group(self.status, "locked")

    @property
    def is_returned(self):
        return self.status == self.Status.RETURNED


def evidence_path(instance, filename):
    return (
        f"evidence/{instance.value.period.code}/{instance.value.unit.code}/{filename}"
    )


class Evidence(TimeStampedModel):
    # Kept by Django: the values are partitioned (ntm.core.partitions).
    value = models.ForeignKey(
        IndicatorValue, models.CASCADE, related_name="evidence", db_constraint=False
    )
    file = models.FileField(
        _("Tệp minh chứng"),
        upload_to=evidence_path,
        validators=[UploadValidator("evidence")],
    )
    name = models.CharField(_("Tên tệp"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")

    def __str__(self):
        return self.name


class ComputedSnapshot(models.Model):
    """A computed value frozen when a period closed.

    Records describe today; a closed year keeps the values computed for it.
    """

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="snapshots")
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="+")
    period = models.ForeignKey(Period, models.CASCADE, related_name="snapshots")
    numerator = models.DecimalField(max_digits=18, decimal_places=4)
    denominator = models.DecimalField(max_digits=18, decimal_places=4, null=True)
    computed_at = models.DateTimeField()
    is_demo = models.BooleanField(default=False)
    # The partition key on PostgreSQL (ntm.core.partitions): the unit's
    # province, kept by the service that freezes a period.
    province_code = models.CharField(max_length=3, default="", editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                # With the partition key: PostgreSQL asks it of every unique
                # key of a partitioned table (a unit has one province).
                fields=["indicator", "unit", "period", "province_code"],
                name="one_snapshot_per_unit_period",
                violation_error_message=_(
                    "Đơn vị đã có số liệu tính sẵn của chỉ tiêu này trong kỳ này."
                ),
            )
        ]

    def __str__(self):
        return f"{self.indicator_id} / {self.unit_id} / {self.period_id}"
