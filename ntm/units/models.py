from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from ntm.core.models import TimeStampedModel
from ntm.core.text import fold_terms, natural_key

from .scope import ScopedQuerySet


def today():
    return timezone.localdate()


def valid_on_q(day, field=""):
    """Q: the units (through ``field``, e.g. "children") that exist on ``day``."""
    prefix = f"{field}__" if field else ""
    return (
        Q(**{f"{prefix}valid_from__isnull": True})
        | Q(**{f"{prefix}valid_from__lte": day})
    ) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


def province_code_of(path):
    """The code of the province a unit's path lies in ("48" for "48/20515/")."""
    return path.split("/", 1)[0]


class UnitQuerySet(ScopedQuerySet):
    scope_field = ""

    def valid_on(self, day=None):
        """Units that exist on ``day`` (today by default)."""
        return self.filter(valid_on_q(day or today()))

    def below(self, unit):
        return self.within(unit).exclude(pk=unit.pk)

    def at_level(self, level):
        return self.filter(level=level)

    def down_to(self, level):
        """Units on ``level`` and the levels above it."""
        return self.filter(level__lte=level)

    def communes(self):
        return self.filter(level=Unit.Level.COMMUNE)

    def villages(self):
        return self.filter(level=Unit.Level.VILLAGE)

    def in_natural_order(self):
        """Villages by name as people count (Thôn 2 before Thôn 10) under
        their communes; other units by code, as the statistics office lists
        them."""
        return self.order_by("sort_key", "valid_from")

    def versions_of(self, code):
        """Every unit that has carried ``code``, oldest first."""
        return self.filter(code=code).order_by(F("valid_from").asc(nulls_first=True))

    def by_code(self, code, *, on=None):
        """The one unit carrying ``code`` on ``on`` (codes are reused over time)."""
        return self.valid_on(on).get(code=code)

    def matching(self, query):
        units = self
        for term in fold_terms(query):
            units = units.filter(
                Q(name_folded__contains=term) | Q(code__startswith=term)
            )
        return units


class Unit(TimeStampedModel):
    """An administrative unit as it existed between two dates.

    A GSO code identifies a unit only together with a date: 20515 was Xã Đại Đồng
    until 30/06/2025 and is Xã Hà Nha from 01/07/2025. Units are never edited
    into something else; a reorganisation closes old units and opens new ones.
    """

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Tỉnh / thành phố")
        DISTRICT = 2, _("Huyện / thị xã")
        COMMUNE = 3, _("Xã / phường / thị trấn")
        VILLAGE = 4, _("Thôn / khu phố")

    class Kind(models.TextChoices):
        PROVINCE = "tinh", _("Tỉnh")
        CITY = "thanh_pho", _("Thành phố trực thuộc Trung ương")
        DISTRICT = "huyen", _("Huyện")
        TOWN = "thi_xa", _("Thị xã")
        COMMUNE = "xa", _("Xã")
        WARD = "phuong", _("Phường")
        TOWNSHIP = "thi_tran", _("Thị trấn")
        VILLAGE = "thon", _("Thôn")
        QUARTER = "khu_pho", _("Khu phố")

    LEVEL_OF_KIND = {
        Kind.PROVINCE: Level.PROVINCE,
        Kind.CITY: Level.PROVINCE,
        Kind.DISTRICT: Level.DISTRICT,
        Kind.TOWN: Level.DISTRICT,
        Kind.COMMUNE: Level.COMMUNE,
        Kind.WARD: Level.COMMUNE,
        Kind.TOWNSHIP: Level.COMMUNE,
        Kind.VILLAGE: Level.VILLAGE,
        Kind.QUARTER: Level.VILLAGE,
    }

    code = models.CharField(_("Mã"), max_length=12, db_index=True)
    name = models.CharField(_("Tên"), max_length=120)
    name_folded = models.CharField(max_length=120, editable=False, db_index=True)
    kind = models.CharField(_("Loại"), max_length=12, choices=Kind)
    level = models.PositiveSmallIntegerField(_("Cấp"), choices=Level)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("Trực thuộc"),
    )
    # One code per level from the top: "49/506/20515/". Subtree = startswith.
    path = models.CharField(max_length=120, db_index=True, editable=False)
    # Villages in the order people count them (Thôn 1, Thôn 2, … Thôn 10)
    # under their commune: the parent's path, then the name's natural key.
    # Higher units keep the statistics office's order, their path. Lists
    # order by it in SQL, so pagination holds.
    sort_key = models.CharField(max_length=255, db_index=True, editable=False)
    valid_from = models.DateField(_("Hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("Hiệu lực đến"), null=True, blank=True)
    lat = models.DecimalField(
        _("Vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    lon = models.DecimalField(
        _("Kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    area_km2 = models.DecimalField(
        _("Diện tích (km²)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    boundary = models.JSONField(_("Ranh giới (GeoJSON)"), null=True, blank=True)
    boundary_is_approximate = models.BooleanField(_("Ranh giới gần đúng"), default=True)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)
    source = models.CharField(_("Nguồn"), max_length=255, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path", "valid_from"]
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"],
                name="unit_code_valid_from",
                violation_error_message=_(
                    "Đã có đơn vị mang mã này bắt đầu hiệu lực cùng ngày."
                ),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_from__lte=models.F("valid_to")),
                name="unit_validity_ordered",
                violation_error_message=_(
                    "Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực."
                ),
            ),
        ]
        indexes = [models.Index(fields=["level", "path"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        # The bare URL means "today", so a unit that has ended or not yet
        # started needs a day on which its code points at it.
        url = reverse("units:unit-detail", args=[self.code])
        if not self.is_current:
            url += f"?ngay={self.reference_day.isoformat()}"
        return url

    @property
    def province_code(self):
        return province_code_of(self.path)

    def is_valid_on(self, day=None):
        day = day or today()
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or self.valid_to >= day
        )

    @property
    def is_current(self):
        return self.is_valid_on()

    @property
    def has_ended(self):
        return self.valid_to is not None and self.valid_to < today()

    @property
    def level_key(self):
        """The level as a stable English word for the API: "commune"."""
        return self.Level(self.level).name.lower()

    @property
    def validity_display(self):
        """ "từ 01/07/2025", "đến 30/06/2025", or both ends."""
        start = (
            date_format(self.valid_from, "SHORT_DATE_FORMAT") if self.valid_from else ""
        )
        end = date_format(self.valid_to, "SHORT_DATE_FORMAT") if self.valid_to else ""
        if start and end:
            return _("từ %(start)s đến %(end)s") % {"start": start, "end": end}
        if start:
            return _("từ %s") % start
        if end:
            return _("đến %s") % end
        return _("không thời hạn")

    @property
    def reference_day(self):
        """A day on which the unit exists: today if it does, else its last day."""
        if self.is_current:
            return today()
        return self.valid_to or self.valid_from or today()

    def ancestors(self):
        """From the top down to the parent (at most three hops)."""
        chain = []
        unit = self.parent
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return chain[::-1]

    def predecessors(self):
        return Unit.objects.filter(successor_events__successors=self).distinct()

    def successors(self):
        return Unit.objects.filter(predecessor_events__predecessors=self).distinct()

    def build_path(self):
        return f"{self.parent.path if self.parent else ''}{self.code}/"

    def build_sort_key(self):
        if self.level != Unit.Level.VILLAGE:
            return self.path
        return f"{self.parent.path}{natural_key(self.name)}"[:255]


class Reorganisation(TimeStampedModel):
    """A dated event that closes units and opens others: merge, split, rename..."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("Sáp nhập")
        SPLIT = "split", _("Chia tách")
        RENAME = "rename", _("Đổi tên")
        TRANSFER = "transfer", _("Điều chỉnh trực thuộc")
        DISSOLVE = "dissolve", _("Giải thể")
        ESTABLISH = "establish", _("Thành lập")

    kind = models.CharField(_("Hình thức"), max_length=12, choices=Kind)
    effective_date = models.DateField(_("Ngày hiệu lực"))
    decision = models.CharField(_("Căn cứ pháp lý"), max_length=255, blank=True)
    note = models.TextField(_("Ghi chú"), max_length=2000, blank=True)
    predecessors = models.ManyToManyField(
        Unit, related_name="successor_events", verbose_name=_("Đơn vị trước")
    )
    successors = models.ManyToManyField(
        Unit, related_name="predecessor_events", verbose_name=_("Đơn vị sau")
    )
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    class Meta:
        ordering = ["-effective_date", "id"]
        verbose_name = _("sắp xếp đơn vị hành chính")
        verbose_name_plural = _("sắp xếp đơn vị hành chính")

    def __str__(self):
        return f"{self.get_kind_display()} {date_format(self.effective_date)}"


def lineage(unit):
    """Sentences for a unit's page, in both directions, with the events' dates.

    "Sáp nhập vào Xã Hà Nha từ 01/07/2025"; "Hình thành từ Xã Đại Hồng, … (sáp nhập,
    01/07/2025)". Two queries whatever the number of events.
    """
    backward = Reorganisation.objects.filter(successors=unit).prefetch_related(
        "predecessors"
    )
    forward = Reorganisation.objects.filter(predecessors=unit).prefetch_related(
        "successors"
    )
    return {
        "from": [(event, list(event.predecessors.all())) for event in backward],
        "into": [(event, list(event.successors.all())) for event in forward],
    }
