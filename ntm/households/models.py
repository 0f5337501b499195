from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ntm.core.models import ProvincePartitioned, TimeStampedModel
from ntm.core.text import fold
from ntm.units.scope import ScopedQuerySet, within_paths

from .history import RegisterFilters, RegisterHistoryQuerySet


class EcommercePlatform(models.Model):
    name = models.CharField(_("Tên sàn"), max_length=80, unique=True)
    url = models.URLField(_("Địa chỉ"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sàn thương mại điện tử")
        verbose_name_plural = _("sàn thương mại điện tử")

    def __str__(self):
        return self.name


class HouseholdQuerySet(RegisterFilters, ScopedQuerySet):
    scope_field = "village"

    def in_unit(self, unit):
        """Households of ``unit``, followed through reorganisations.

        Households live in today's villages; an old commune's households are
        those now in the villages that succeeded its own.
        """
        if unit.is_current:
            return self.within(unit)
        return self.filter(
            within_paths([unit.path], "village__predecessor_events__predecessors")
        ).distinct()

    def followed(self):
        return self.filter(left_on__isnull=True)

    def left(self):
        return self.filter(left_on__isnull=False)


class FollowedHouseholdManager(models.Manager.from_queryset(HouseholdQuerySet)):
    """The register: households followed today, not those that left it."""

    def get_queryset(self):
        return super().get_queryset().followed()


class WaterSource(models.TextChoices):
    """Where a household's drinking and cooking water comes from (criterion 17).

    Only piped water from a supply system counts as clean water
    (``CLEAN_WATER_SOURCES``): the indicator of the criteria sets is "hộ được
    sử dụng nước sạch từ hệ thống cấp nước tập trung".
    """

    PIPED = "piped", _("Nước máy từ hệ thống cấp nước tập trung")
    DRILLED_WELL = "drilled_well", _("Giếng khoan")
    DUG_WELL = "dug_well", _("Giếng đào")
    RAIN = "rain", _("Nước mưa")
    OTHER = "other", _("Nguồn khác")
    NONE = "none", _("Không có nguồn nước riêng")


CLEAN_WATER_SOURCES = (WaterSource.PIPED,)


class Household(ProvincePartitioned, TimeStampedModel):
    """A household of the register.

    A household that moved away or merged into another is no longer followed
    (``left_on``) rather than deleted once it has answered a survey: it
    leaves the register and the indicators, and its answers stay counted.
    ``Household.objects`` is the register; ``Household.all_objects`` also
    holds the households no longer followed (lookups by code, uniqueness,
    survey answers, the admin).
    """

    # Unique across the country: the services check it
    # (households.services._check_household, the import); the database holds
    # it per province, as a partitioned table must (ntm.core.partitions).
    code = models.CharField(_("Mã hộ"), max_length=20)
    village = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        related_name="households",
        limit_choices_to={"level": 4},
        verbose_name=_("Thôn"),
    )
    head_name = models.CharField(_("Họ tên chủ hộ"), max_length=120)
    members = models.PositiveSmallIntegerField(_("Số nhân khẩu"), default=1)
    phone = models.CharField(_("Số điện thoại"), max_length=20, blank=True)
    address = models.CharField(_("Địa chỉ"), max_length=255, blank=True)
    # NULL, not "": many households have no code yet and the unique
    # constraint below must let them be.
    address_code = models.CharField(  # noqa: DJ001
        _("Mã địa chỉ số"), max_length=32, null=True, blank=True
    )
    lat = models.DecimalField(
        _("Vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    lon = models.DecimalField(
        _("Kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    has_fibre = models.BooleanField(_("Có Internet cáp quang"), default=False)
    smartphones = models.PositiveSmallIntegerField(
        _("Số điện thoại thông minh"), default=0
    )
    health_app_members = models.PositiveSmallIntegerField(
        _("Số người được hướng dẫn dùng ứng dụng y tế"), default=0
    )
    is_business = models.BooleanField(_("Hộ sản xuất, kinh doanh"), default=False)
    ecommerce_platforms = models.ManyToManyField(
        EcommercePlatform,
        blank=True,
        related_name="households",
        verbose_name=_("Sàn thương mại điện tử tham gia"),
        # Kept by Django: households are partitioned (ntm.core.partitions).
        db_constraint=False,
    )
    uses_traceability = models.BooleanField(
        _("Áp dụng truy xuất nguồn gốc"), default=False
    )
    water_source = models.CharField(
        _("Nguồn nước sinh hoạt"),
        max_length=12,
        choices=WaterSource,
        blank=True,
        help_text=_("Để trống khi chưa điều tra."),
    )
    left_on = models.DateField(_("Ngừng theo dõi từ ngày"), null=True, blank=True)
    left_reason = models.CharField(
        _("Lý do ngừng theo dõi"), max_length=200, blank=True
    )
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)
    # Folded code, head's name, address and address code: "nguyen van" finds
    # "Nguyễn Văn" on SQLite and PostgreSQL alike.
    search_text = models.CharField(max_length=400, editable=False, db_index=True)
    # The partition key on PostgreSQL: the village's province.
    PROVINCE_FROM = "village"

    objects = FollowedHouseholdManager()
    all_objects = HouseholdQuerySet.as_manager()
    # Every version, dated: ``Household.history.followed_on(day)`` is the
    # register of that day (ntm.households.history).
    history = HistoricalRecords(
        historical_queryset=RegisterHistoryQuerySet,
        excluded_fields=["created_at", "updated_at"],
    )

    class Meta:
        # Uniqueness checks of forms, related managers and the admin see
        # every household, followed or not.
        default_manager_name = "all_objects"
        ordering = ["village__sort_key", "code"]
        # The map's bbox queries (maps.queries): a street's view over a
        # million households scanned them all (bench/household_layer.py).
        indexes = [models.Index(fields=["lat", "lon"], name="household_lat_lon")]
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "province_code"],
                name="household_code_unique",
                violation_error_message=_("Mã hộ đã được dùng."),
            ),
            models.UniqueConstraint(
                fields=["address_code", "province_code"],
                name="household_address_code_unique",
                violation_error_message=_("Mã địa chỉ số đã được gán cho nơi khác."),
            ),
            models.CheckConstraint(
                condition=Q(members__gte=1),
                name="household_has_members",
                violation_error_message=_("Hộ phải có ít nhất một nhân khẩu."),
            ),
            models.CheckConstraint(
                condition=Q(health_app_members__lte=models.F("members")),
                name="health_app_members_within_household",
                violation_error_message=_(
                    "Số người dùng ứng dụng y tế không được lớn hơn số nhân khẩu."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.head_name}"

    def get_absolute_url(self):
        return reverse("households:household-detail", args=[self.code])

    def build_search_text(self):
        parts = [self.code, self.head_name, self.address, self.address_code or ""]
        return fold(" ".join(parts))[:400]

    @property
    def is_followed(self):
        return self.left_on is None


class Facility(TimeStampedModel):
    """A public place of a village: the cultural house, a Wi-Fi point."""

    class Kind(models.TextChoices):
        CULTURAL_HOUSE = "cultural_house", _("Nhà văn hóa thôn")
        WIFI_POINT = "wifi_point", _("Điểm Wi-Fi công cộng")
        OTHER = "other", _("Khác")

    village = models.ForeignKey(
        "units.Unit", models.PROTECT, related_name="facilities", verbose_name=_("Thôn")
    )
    kind = models.CharField(_("Loại"), max_length=20, choices=Kind)
    name = models.CharField(_("Tên"), max_length=120)
    has_wifi = models.BooleanField(_("Có Wi-Fi miễn phí"), default=False)
    address_code = models.CharField(_("Mã địa chỉ số"), max_length=32, blank=True)
    lat = models.DecimalField(
        _("Vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    lon = models.DecimalField(
        _("Kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    history = HistoricalRecords(
        historical_queryset=RegisterHistoryQuerySet,
        excluded_fields=["created_at", "updated_at"],
    )

    class Meta:
        ordering = ["village__sort_key", "kind", "name"]
        verbose_name = _("công trình công cộng")
        verbose_name_plural = _("công trình công cộng")
        constraints = [
            models.UniqueConstraint(
                fields=["village"],
                condition=Q(kind="cultural_house"),
                name="one_cultural_house_per_village",
                violation_error_message=_("Thôn này đã có nhà văn hóa."),
            )
        ]

    def __str__(self):
        return self.name


class PlaceQuerySet(ScopedQuerySet):
    scope_field = "village"

    def without_address_code(self):
        return self.filter(Q(address_code__isnull=True) | Q(address_code=""))


class Place(TimeStampedModel):
    """An agency, organisation or heritage site with a digital address.

    The plan (III.4) gives a digital address to every household, agency,
    organisation and heritage site; households and the villages' facilities
    have their own records, the others are kept here. Their names and
    points are public, unlike a household's.
    """

    class Kind(models.TextChoices):
        AGENCY = "agency", _("Cơ quan nhà nước")
        ORGANISATION = "organisation", _("Tổ chức, doanh nghiệp")
        HERITAGE = "heritage", _("Di tích, di sản")

    village = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        related_name="places",
        limit_choices_to={"level": 4},
        verbose_name=_("Thôn"),
    )
    kind = models.CharField(_("Loại"), max_length=20, choices=Kind)
    name = models.CharField(_("Tên"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    address_code = models.CharField(
        _("Mã địa chỉ số"), max_length=32, null=True, blank=True, unique=True
    )
    lat = models.DecimalField(
        _("Vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    lon = models.DecimalField(
        _("Kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["village__sort_key", "kind", "name"]
        verbose_name = _("cơ quan, tổ chức, di tích")
        verbose_name_plural = _("cơ quan, tổ chức, di tích")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        if not self.address_code:
            return ""
        return reverse("addresses:address-page", args=[self.address_code])


class VillageChannel(TimeStampedModel):
    """The village head's channel with residents (plan III.5, "giao tiếp")."""

    class Platform(models.TextChoices):
        ZALO = "zalo", _("Zalo")
        MOCHA = "mocha", _("Mocha")
        FACEBOOK = "facebook", _("Facebook")
        OTHER = "other", _("Khác")

    village = models.ForeignKey(
        "units.Unit", models.PROTECT, related_name="channels", verbose_name=_("Thôn")
    )
    platform = models.CharField(_("Nền tảng"), max_length=10, choices=Platform)
    name = models.CharField(_("Tên nhóm / kênh"), max_length=120)
    link = models.URLField(_("Đường dẫn tham gia"), blank=True)
    members = models.PositiveIntegerField(_("Số thành viên"), default=0)
    is_active = models.BooleanField(_("Đang hoạt động"), default=True)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    class Meta:
        ordering = ["village__sort_key", "platform", "name"]
        verbose_name = _("kênh giao tiếp của thôn")
        verbose_name_plural = _("kênh giao tiếp của thôn")

    def __str__(self):
        return f"{self.get_platform_display()}: {self.name}"


class SyncedChange(models.Model):
    """A change a phone sent from the offline register, answered once.

    The id is the phone's own (a UUID made when the change was queued), so a
    retry after a lost answer gets the first answer again instead of applying
    the change twice. Only changes that wrote something or asked for a
    decision are kept; a refused change wrote nothing and may be sent again.
    No values are kept here (they are personal data): the audit log has them.
    """

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("Đã đồng bộ")
        CONFLICT = "conflict", _("Xung đột cần quyết định")

    id = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30)
    # What the change was about ({"code": …}, {"survey": …, "code": …}).
    target = models.JSONField(default=dict)
    outcome = models.CharField(max_length=10, choices=Outcome)
    applied = models.JSONField(default=list)
    conflicts = models.JSONField(default=list)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at"]
        verbose_name = _("thay đổi từ sổ hộ ngoại tuyến")
        verbose_name_plural = _("thay đổi từ sổ hộ ngoại tuyến")

    def __str__(self):
        return f"{self.kind} {self.id}"
