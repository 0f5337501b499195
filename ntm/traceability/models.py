"""Growing areas with their codes, production diaries, lots and trace events.

A growing area (vùng trồng) belongs to a producer (an OCOP entity) and lies
in a commune; its code (mã số vùng trồng, QĐ 3156/2022) is issued by the
Agriculture office after an inspection, then supervised, suspended or
revoked, each step dated with who and why (``AreaStep``). The production
diary (nhật ký sản xuất) records what was done on the area; a lot (lô hàng)
of an OCOP product comes from an area's harvest and carries trace events
stored as EPCIS 2.0 documents chained by their SHA-256 hashes.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ntm.core.models import TimeStampedModel
from ntm.core.states import StateChoices, Transition, groups, transitions
from ntm.units.scope import ScopedQuerySet

from .digital_link import lot_path


class CropKind(models.TextChoices):
    """QĐ 3156/2022 sets a minimum area for each (``data/area_codes.json``)."""

    PERENNIAL = "perennial", _("Cây lâu năm")
    ANNUAL = "annual", _("Cây hằng năm")


class GrowingAreaQuerySet(ScopedQuerySet):
    scope_field = "unit"

    def public(self):
        """Areas whose code was issued: the code register is public."""
        return self.filter(status__in=GrowingArea.Status.group("public"))

    def coded(self):
        """Areas whose code is in force: lots may come from them."""
        return self.filter(status__in=GrowingArea.Status.group("coded"))

    def of_entities(self, entities):
        return self.filter(entity__in=entities)


class GrowingArea(TimeStampedModel):
    class Status(StateChoices):
        DECLARED = "khai_bao", _("Đã khai báo")
        INSPECTED = "da_kiem_tra", _("Đã kiểm tra thực địa")
        ISSUED = "da_cap_ma", _("Đã cấp mã")
        SUPERVISED = "giam_sat", _("Đang giám sát")
        SUSPENDED = "tam_dung", _("Tạm dừng mã")
        REVOKED = "thu_hoi", _("Đã thu hồi mã")

        TRANSITIONS = transitions(
            inspect=Transition(
                _("Ghi kết quả kiểm tra thực địa"),
                sources=[DECLARED],
                target=INSPECTED,
            ),
            issue=Transition(_("Cấp mã số"), sources=[INSPECTED], target=ISSUED),
            supervise=Transition(
                _("Ghi kiểm tra giám sát"),
                sources=[ISSUED, SUPERVISED],
                target=SUPERVISED,
            ),
            suspend=Transition(
                _("Tạm dừng mã"),
                sources=[ISSUED, SUPERVISED],
                target=SUSPENDED,
                dangerous=True,
            ),
            reinstate=Transition(
                _("Cho dùng lại mã"), sources=[SUSPENDED], target=SUPERVISED
            ),
            revoke=Transition(
                _("Thu hồi mã"),
                sources=[ISSUED, SUPERVISED, SUSPENDED],
                target=REVOKED,
                dangerous=True,
            ),
        )
        GROUPS = groups(
            coded=[ISSUED, SUPERVISED],
            public=[ISSUED, SUPERVISED, SUSPENDED, REVOKED],
            editable=[DECLARED, INSPECTED, ISSUED, SUPERVISED, SUSPENDED],
        )

    entity = models.ForeignKey(
        "ocop.Entity",
        models.PROTECT,
        related_name="growing_areas",
        verbose_name=_("Chủ thể sản xuất"),
    )
    households = models.ManyToManyField(
        "households.Household",
        blank=True,
        related_name="growing_areas",
        verbose_name=_("Hộ tham gia"),
        # Kept by Django: households are partitioned (ntm.core.partitions).
        db_constraint=False,
    )
    name = models.CharField(_("Tên vùng trồng"), max_length=200)
    unit = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        related_name="growing_areas",
        verbose_name=_("Xã"),
    )
    crop = models.CharField(_("Cây trồng"), max_length=120)
    variety = models.CharField(_("Giống"), max_length=120, blank=True)
    crop_kind = models.CharField(
        _("Loại cây"), max_length=10, choices=CropKind, default=CropKind.ANNUAL
    )
    season = models.CharField(
        _("Mùa vụ"),
        max_length=120,
        blank=True,
        help_text=_("Ví dụ: Đông Xuân 2025–2026, quanh năm."),
    )
    expected_yield_tonnes = models.DecimalField(
        _("Sản lượng dự kiến (tấn/năm)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
    )
    # A GeoJSON geometry in WGS84 (Polygon or MultiPolygon).
    boundary = models.JSONField(_("Ranh giới"), null=True, blank=True)
    area_ha = models.DecimalField(
        _("Diện tích (ha)"), max_digits=10, decimal_places=4, null=True, blank=True
    )
    code = models.CharField(_("Mã số vùng trồng"), max_length=40, blank=True)
    code_format_version = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(
        _("Trạng thái"), max_length=12, choices=Status, default=Status.DECLARED
    )
    status_changed_on = models.DateField(_("Ngày đổi trạng thái"), null=True)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = GrowingAreaQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "name", "pk"]
        verbose_name = _("vùng trồng")
        verbose_name_plural = _("vùng trồng")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="one_area_per_code",
                violation_error_message=_(
                    "Mã vùng trồng này đã được cấp cho vùng khác."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["khai_bao", "da_kiem_tra"]) | ~Q(code=""),
                name="issued_area_has_code",
                violation_error_message=_("Vùng trồng đã được cấp mã phải có mã số."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})" if self.code else self.name

    def get_absolute_url(self):
        return reverse("traceability:area-detail", args=[self.pk])

    @property
    def is_coded(self):
        return self.Status.in_group(self.status, "coded")

    @property
    def shows_code(self):
        return self.Status.in_group(self.status, "public")


class AreaStep(models.Model):
    """One step of an area's code lifecycle: which, when, by whom and why."""

    area = models.ForeignKey(GrowingArea, models.CASCADE, related_name="steps")
    action = models.CharField(_("Bước"), max_length=12)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, choices=GrowingArea.Status)
    on = models.DateField(_("Ngày"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người thực hiện"),
    )
    reason = models.TextField(_("Lý do, kết quả"), max_length=2000)
    document_number = models.CharField(
        _("Số biên bản / quyết định"), max_length=60, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["area", "on", "pk"]
        verbose_name = _("bước cấp mã vùng trồng")
        verbose_name_plural = _("bước cấp mã vùng trồng")

    def __str__(self):
        return f"{self.area}: {self.get_to_status_display()} ({self.on:%d/%m/%Y})"

    @property
    def label(self):
        if self.action == "declare":
            return _("Khai báo vùng trồng")
        return GrowingArea.Status.transition(self.action).label


class Certificate(TimeStampedModel):
    """A VietGAP, organic or other certificate held by an area."""

    class Kind(models.TextChoices):
        VIETGAP = "vietgap", _("VietGAP")
        ORGANIC = "huu_co", _("Hữu cơ (TCVN 11041)")
        GLOBALGAP = "globalgap", _("GlobalG.A.P.")
        OTHER = "khac", _("Khác")

    area = models.ForeignKey(GrowingArea, models.CASCADE, related_name="certificates")
    kind = models.CharField(_("Loại chứng nhận"), max_length=10, choices=Kind)
    number = models.CharField(_("Số giấy chứng nhận"), max_length=60)
    issuer = models.CharField(_("Tổ chức chứng nhận"), max_length=200)
    issued_on = models.DateField(_("Ngày cấp"))
    valid_until = models.DateField(_("Hiệu lực đến"))
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    class Meta:
        ordering = ["area", "-valid_until", "pk"]
        verbose_name = _("giấy chứng nhận của vùng trồng")
        verbose_name_plural = _("giấy chứng nhận của vùng trồng")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("issued_on")),
                name="area_certificate_dates_ordered",
                violation_error_message=_("Ngày hết hạn không được trước ngày cấp."),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def is_valid_on(self, day):
        return self.issued_on <= day <= self.valid_until


class DiaryEntryQuerySet(models.QuerySet):
    def sprayings(self):
        return self.filter(kind=DiaryEntry.Kind.PESTICIDE)

    def harvests(self):
        return self.filter(kind=DiaryEntry.Kind.HARVEST)


class DiaryEntry(TimeStampedModel):
    """One line of the production diary (a farm log, after farmOS's logs)."""

    class Kind(models.TextChoices):
        PLANTING = "gieo_trong", _("Gieo trồng")
        FERTILISER = "bon_phan", _("Bón phân")
        PESTICIDE = "phun_thuoc", _("Phun thuốc bảo vệ thực vật")
        IRRIGATION = "tuoi_nuoc", _("Tưới nước")
        HARVEST = "thu_hoach", _("Thu hoạch")

    area = models.ForeignKey(
        GrowingArea,
        models.CASCADE,
        related_name="diary",
        verbose_name=_("Vùng trồng"),
    )
    kind = models.CharField(_("Công việc"), max_length=12, choices=Kind)
    on = models.DateField(_("Ngày"))
    input_name = models.CharField(
        _("Tên vật tư, giống"),
        max_length=200,
        blank=True,
        help_text=_("Tên thương mại của phân bón, thuốc; giống khi gieo trồng."),
    )
    dose = models.CharField(
        _("Liều lượng"),
        max_length=120,
        blank=True,
        help_text=_("Ví dụ: 20 ml/bình 16 lít, 50 kg/ha."),
    )
    preharvest_days = models.PositiveSmallIntegerField(
        _("Thời gian cách ly (ngày)"),
        null=True,
        blank=True,
        help_text=_("Ghi trên nhãn thuốc: số ngày từ lần phun cuối đến khi thu hoạch."),
    )
    quantity_kg = models.DecimalField(
        _("Sản lượng (kg)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    note = models.CharField(_("Ghi chú"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người ghi"),
    )
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = DiaryEntryQuerySet.as_manager()

    class Meta:
        ordering = ["area", "-on", "-pk"]
        verbose_name = _("nhật ký sản xuất")
        verbose_name_plural = _("nhật ký sản xuất")
        indexes = [models.Index(fields=["area", "kind", "on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="phun_thuoc")
                | (Q(preharvest_days__isnull=False) & ~Q(input_name="")),
                name="spraying_has_product_and_interval",
                violation_error_message=_(
                    "Lần phun thuốc phải ghi tên thuốc và thời gian cách ly."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind="thu_hoach") | Q(quantity_kg__gt=0),
                name="harvest_has_quantity",
                violation_error_message=_("Lần thu hoạch phải ghi sản lượng."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on:%d/%m/%Y}"

    @property
    def safe_from(self):
        """The first day a harvest may follow this spraying."""
        if self.kind != self.Kind.PESTICIDE or self.preharvest_days is None:
            return None
        return self.on + datetime.timedelta(days=self.preharvest_days)


class LocalProductId(models.Model):
    """The identifier a product without a GTIN carries in its trace links.

    Printed labels must keep resolving, so it never changes once given; a
    GTIN registered later applies to new lots only.
    """

    product = models.OneToOneField(
        "ocop.Product", models.CASCADE, related_name="local_trace_id"
    )
    code = models.CharField(max_length=16, unique=True)

    class Meta:
        verbose_name = _("mã sản phẩm nội bộ")
        verbose_name_plural = _("mã sản phẩm nội bộ")

    def __str__(self):
        return self.code


class LotQuerySet(ScopedQuerySet):
    scope_field = "area__unit"

    def produced_during(self, start, end):
        return self.filter(produced_on__gte=start, produced_on__lte=end)

    def by_link(self, *, gtin="", local_id="", number):
        if gtin:
            return self.filter(gtin=gtin, number=number)
        return self.filter(local_id=local_id, number=number)


class Lot(TimeStampedModel):
    """A lot (lô hàng) of an OCOP product harvested from a growing area.

    ``gtin`` or ``local_id`` is copied from the product when the lot is
    created: the trace link printed on its labels never changes.
    ``cache_version`` grows with every write that changes the public scan
    page, whose cache key carries it.
    """

    product = models.ForeignKey(
        "ocop.Product",
        models.PROTECT,
        related_name="lots",
        verbose_name=_("Sản phẩm"),
    )
    area = models.ForeignKey(
        GrowingArea,
        models.PROTECT,
        related_name="lots",
        verbose_name=_("Vùng trồng"),
    )
    harvest = models.ForeignKey(
        DiaryEntry,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="lots",
        verbose_name=_("Lần thu hoạch"),
    )
    number = models.CharField(
        _("Số lô"),
        max_length=20,
        help_text=_("Chữ, số và dấu gạch ngang; in trên nhãn và trong mã QR."),
    )
    gtin = models.CharField(max_length=14, blank=True)
    local_id = models.CharField(max_length=16, blank=True)
    quantity_kg = models.DecimalField(
        _("Khối lượng (kg)"), max_digits=12, decimal_places=2
    )
    produced_on = models.DateField(_("Ngày thu hoạch"))
    cache_version = models.PositiveIntegerField(default=1, editable=False)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = LotQuerySet.as_manager()

    @property
    def province_code(self):
        """The province its events are kept under (their partition on
        PostgreSQL): the growing area's unit's."""
        return self.area.unit.province_code

    class Meta:
        ordering = ["-produced_on", "-pk"]
        verbose_name = _("lô hàng")
        verbose_name_plural = _("lô hàng")
        constraints = [
            models.UniqueConstraint(
                fields=["gtin", "number"],
                condition=~Q(gtin=""),
                name="one_lot_number_per_gtin",
                violation_error_message=_("Sản phẩm này đã có lô mang số này."),
            ),
            models.UniqueConstraint(
                fields=["local_id", "number"],
                condition=~Q(local_id=""),
                name="one_lot_number_per_local_id",
                violation_error_message=_("Sản phẩm này đã có lô mang số này."),
            ),
            models.CheckConstraint(
                condition=(~Q(gtin="") & Q(local_id=""))
                | (Q(gtin="") & ~Q(local_id="")),
                name="lot_has_one_identifier",
                violation_error_message=_(
                    "Lô hàng phải có đúng một mã sản phẩm (GTIN hoặc mã nội bộ)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(quantity_kg__gt=0),
                name="lot_quantity_positive",
                violation_error_message=_("Khối lượng lô hàng phải lớn hơn 0."),
            ),
        ]

    def __str__(self):
        return f"{self.product} — lô {self.number}"

    def get_absolute_url(self):
        return reverse("traceability:lot-detail", args=[self.pk])

    @property
    def link_path(self):
        """The GS1 Digital Link path (or its local twin) of the lot."""
        return lot_path(gtin=self.gtin, local_id=self.local_id, lot=self.number)


class EventQuerySet(models.QuerySet):
    def of_lot(self, lot):
        """The lot's events, read from its province's partition only."""
        return self.filter(lot=lot, province_code=lot.province_code)


class Event(models.Model):
    """A trace event of a lot, kept as the EPCIS 2.0 event it was recorded as.

    ``document`` holds the event (with ``ntm:previousEventHash``) exactly as
    hashed; ``hash`` is the SHA-256 of its canonical JSON. Pages read what
    they show from the document, so a change to a past event shows up in the
    chain check instead of passing silently.
    """

    class Kind(models.TextChoices):
        HARVEST = "thu_hoach", _("Thu hoạch")
        PACKING = "dong_goi", _("Đóng gói")
        PROCESSING = "che_bien", _("Sơ chế, chế biến")
        SHIPPING = "van_chuyen", _("Vận chuyển")
        SALE = "ban_hang", _("Bán hàng")

    lot = models.ForeignKey(Lot, models.CASCADE, related_name="events")
    sequence = models.PositiveIntegerField()
    kind = models.CharField(_("Sự kiện"), max_length=12, choices=Kind)
    occurred_at = models.DateTimeField(_("Thời điểm"))
    document = models.JSONField(_("Sự kiện EPCIS"))
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The partition key on PostgreSQL (ntm.core.partitions): the lot's
    # province, kept by the services.
    province_code = models.CharField(max_length=3, default="", editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["lot", "sequence"]
        verbose_name = _("sự kiện truy xuất")
        verbose_name_plural = _("sự kiện truy xuất")
        constraints = [
            models.UniqueConstraint(
                # With the partition key: PostgreSQL asks it of every unique
                # key of a partitioned table (a lot has one province).
                fields=["lot", "sequence", "province_code"],
                name="one_event_per_lot_sequence",
                violation_error_message=_("Sự kiện này đã được ghi cho lô hàng."),
            )
        ]

    def __str__(self):
        return f"{self.lot} #{self.sequence} {self.get_kind_display()}"
