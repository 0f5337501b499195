"""OCOP entities, their products, evaluations, certificates and sales channels.

An entity (chủ thể OCOP) is an organisation or a household business; its
products are evaluated in rounds against a scoring sheet (QĐ 148/2023, loaded
from ``ocop/scoring/*.json``), the total gives the stars, and a certified
product holds a certificate valid 36 months. Targets 8 and 9 of the plan are
computed from entities' green / circular value chains and sales channels; both
carry dates, so a closed year keeps its figure.

Who an entity is for the traceability app: ``Entity`` (with its optional GS1
company prefix and GLN) and ``Product`` (with its optional GTIN-14) are what
lots and growing areas point at.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ntm.core.models import TimeStampedModel
from ntm.core.states import StateChoices, Transition, groups, transitions
from ntm.core.text import fold, fold_terms
from ntm.core.uploads import UploadValidator
from ntm.units.scope import ScopedQuerySet

from .gs1 import validate_company_prefix, validate_gln, validate_gtin14
from .ranking import add_months

# QĐ 148/QĐ-TTg: a certificate is valid 36 months from the recognition
# decision (domain facts §3, confirmed by two provinces).
VALIDITY_MONTHS = 36


class ProductGroup(models.TextChoices):
    """The six product groups of QĐ 148/QĐ-TTg (24/02/2023)."""

    FOOD = "thuc_pham", _("Thực phẩm")
    DRINK = "do_uong", _("Đồ uống")
    HERBAL = "duoc_lieu", _("Dược liệu và sản phẩm từ dược liệu")
    CRAFT = "thu_cong", _("Hàng thủ công mỹ nghệ")
    ORNAMENTAL = "sinh_vat_canh", _("Sinh vật cảnh")
    TOURISM = (
        "du_lich",
        _("Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch"),
    )


class CouncilLevel(models.TextChoices):
    """Who evaluates. QĐ 1489/QĐ-TTg (06/07/2025) left province and central;
    district councils only held rounds before it."""

    DISTRICT = "huyen", _("Cấp huyện (trước QĐ 1489/2025)")
    PROVINCE = "tinh", _("Cấp tỉnh")
    CENTRAL = "trung_uong", _("Cấp trung ương")


# -- entities -----------------------------------------------------------------


class EntityQuerySet(ScopedQuerySet):
    scope_field = "unit"

    def active(self):
        return self.filter(is_active=True)

    def of_account(self, user):
        """Entities whose account list holds ``user`` (a producer's own)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(accounts=user)

    def matching(self, query):
        entities = self
        for term in fold_terms(query):
            entities = entities.filter(
                Q(search_text__contains=term) | Q(code__istartswith=term)
            )
        return entities

    def ocop_during(self, start, end):
        """Entities with a product certified (3★ or more) valid on a day of
        [start, end]: the OCOP entities of a period."""
        certified = Evaluation.objects.certified_during(start, end)
        return self.filter(
            pk__in=certified.values("product__entity_id"),
        )


class Entity(TimeStampedModel):
    """A chủ thể OCOP: cooperative, enterprise, household business…

    ``unit`` is the commune (or village) it is registered in and stays so
    after a reorganisation; scopes follow the lineage. A cooperative or a
    household business links to its record in those registers.
    """

    class Kind(models.TextChoices):
        COOPERATIVE = "htx", _("Hợp tác xã")
        COOPERATIVE_GROUP = "tht", _("Tổ hợp tác")
        ENTERPRISE = "doanh_nghiep", _("Doanh nghiệp")
        HOUSEHOLD_BUSINESS = (
            "ho_kinh_doanh",
            _("Hộ sản xuất, kinh doanh có đăng ký kinh doanh"),
        )

    code = models.CharField(
        _("Mã số chủ thể"),
        max_length=30,
        unique=True,
        help_text=_("Mã số doanh nghiệp, mã số HTX hoặc số đăng ký hộ kinh doanh."),
    )
    name = models.CharField(_("Tên chủ thể"), max_length=200)
    kind = models.CharField(_("Loại hình"), max_length=15, choices=Kind)
    unit = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        related_name="ocop_entities",
        verbose_name=_("Xã / thôn đăng ký"),
    )
    cooperative = models.OneToOneField(
        "cooperatives.Cooperative",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="ocop_entity",
        verbose_name=_("Hợp tác xã trong sổ HTX"),
    )
    household = models.OneToOneField(
        "households.Household",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="ocop_entity",
        verbose_name=_("Hộ gia đình trong sổ hộ"),
        # Kept by Django: households are partitioned (ntm.core.partitions).
        db_constraint=False,
    )
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="ocop_entities",
        verbose_name=_("Tài khoản của chủ thể"),
        help_text=_(
            "Người dùng có vai trò Chủ thể sản xuất được sửa hồ sơ của chủ thể này."
        ),
    )
    address = models.CharField(_("Địa chỉ sản xuất, kinh doanh"), max_length=255)
    # Personal data: staff and the entity's own accounts only.
    representative = models.CharField(_("Người đại diện"), max_length=120, blank=True)
    representative_phone = models.CharField(
        _("Điện thoại người đại diện"), max_length=20, blank=True
    )
    # What a shopper may see, only when the entity publishes it.
    contact_phone = models.CharField(
        _("Điện thoại liên hệ kinh doanh"), max_length=20, blank=True
    )
    contact_email = models.EmailField(_("Thư điện tử kinh doanh"), blank=True)
    website = models.URLField(_("Trang web"), blank=True)
    contact_is_public = models.BooleanField(
        _("Công khai thông tin liên hệ kinh doanh"),
        default=False,
        help_text=_(
            "Điện thoại, thư điện tử kinh doanh hiện trên trang công khai của sản phẩm."
        ),
    )
    gs1_company_prefix = models.CharField(
        _("Mã doanh nghiệp GS1"),
        max_length=12,
        blank=True,
        validators=[validate_company_prefix],
        help_text=_("Gồm mã quốc gia 893; để trống nếu chưa đăng ký GS1."),
    )
    gln = models.CharField(
        _("Mã địa điểm toàn cầu (GLN)"),
        max_length=13,
        blank=True,
        validators=[validate_gln],
    )
    is_active = models.BooleanField(_("Đang hoạt động"), default=True)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)
    search_text = models.CharField(max_length=400, editable=False, blank=True)

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("chủ thể OCOP")
        verbose_name_plural = _("chủ thể OCOP")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("ocop:entity-detail", args=[self.pk])

    def build_search_text(self):
        return fold(f"{self.code} {self.name} {self.address}")[:400]

    @property
    def public_contact(self):
        """(phone, e-mail, website) a shopper may see; blanks when unpublished."""
        if not self.contact_is_public:
            return ("", "", self.website)
        return (self.contact_phone, self.contact_email, self.website)

    @property
    def public_address(self):
        # A household business's address is its home: part of the contact
        # the entity chooses to publish.
        return self.address if self.contact_is_public else ""


# -- products -----------------------------------------------------------------


class ProductQuerySet(ScopedQuerySet):
    scope_field = "entity__unit"

    def active(self):
        return self.filter(is_active=True)

    def matching(self, query):
        products = self
        for term in fold_terms(query):
            products = products.filter(search_text__contains=term)
        return products

    def outside(self, evaluation_round):
        """Products not yet entered in ``evaluation_round``."""
        return self.exclude(evaluations__round=evaluation_round)

    def with_certificate(self, day):
        """Annotate the certificate valid on ``day`` (the latest if several):
        ``current_stars``, ``current_valid_until``, ``current_certificate``."""
        valid = (
            Evaluation.objects.valid_on(day)
            .filter(product=OuterRef("pk"))
            .order_by("-certificate_date", "-pk")
        )
        return self.annotate(
            current_stars=Subquery(valid.values("stars")[:1]),
            current_valid_until=Subquery(valid.values("valid_until")[:1]),
            current_certificate=Subquery(valid.values("certificate_number")[:1]),
        )


class Product(TimeStampedModel):
    entity = models.ForeignKey(
        Entity, models.PROTECT, related_name="products", verbose_name=_("Chủ thể")
    )
    name = models.CharField(_("Tên sản phẩm"), max_length=200)
    group = models.CharField(_("Nhóm sản phẩm"), max_length=15, choices=ProductGroup)
    description = models.TextField(_("Mô tả"), max_length=5000, blank=True)
    gtin = models.CharField(
        _("Mã GTIN"),
        max_length=14,
        blank=True,
        validators=[validate_gtin14],
        help_text=_("Mã vạch sản phẩm (GTIN-8/12/13/14), lưu dạng 14 chữ số."),
    )
    is_active = models.BooleanField(_("Đang sản xuất, kinh doanh"), default=True)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)
    search_text = models.CharField(max_length=400, editable=False, blank=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("sản phẩm OCOP")
        verbose_name_plural = _("sản phẩm OCOP")
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "name"],
                name="one_product_name_per_entity",
                violation_error_message=_("Chủ thể này đã có sản phẩm mang tên này."),
            ),
            models.UniqueConstraint(
                fields=["gtin"],
                condition=~Q(gtin=""),
                name="one_product_per_gtin",
                violation_error_message=_(
                    "Mã GTIN này đã được gán cho một sản phẩm khác."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("ocop:product-detail", args=[self.pk])

    def build_search_text(self):
        return fold(f"{self.name} {self.entity.name} {self.gtin}")[:400]


# -- scoring sheets -----------------------------------------------------------


class ScoringSheet(TimeStampedModel):
    """A versioned scoring sheet of one product group, loaded from a file.

    Evaluations keep the sheet they were scored on; a new version of the
    file is a new sheet, and a sheet in use is never replaced in place.
    """

    code = models.CharField(_("Mã phiếu"), max_length=60)
    version = models.PositiveSmallIntegerField(_("Phiên bản"), default=1)
    group = models.CharField(_("Nhóm sản phẩm"), max_length=15, choices=ProductGroup)
    name = models.CharField(_("Tên phiếu"), max_length=255)
    decision = models.CharField(_("Căn cứ"), max_length=255, blank=True)
    source = models.TextField(_("Nguồn"), max_length=2000, blank=True)
    notes = models.TextField(_("Ghi chú"), max_length=2000, blank=True)
    file_name = models.CharField(_("Tệp"), max_length=120, blank=True)
    file_digest = models.CharField(max_length=64, editable=False)

    class Meta:
        ordering = ["group", "-version"]
        verbose_name = _("phiếu chấm điểm OCOP")
        verbose_name_plural = _("phiếu chấm điểm OCOP")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="one_scoring_sheet_per_version",
                violation_error_message=_(
                    "Đã có phiếu chấm điểm cùng mã và phiên bản này."
                ),
            )
        ]

    def __str__(self):
        return f"{self.name} (phiên bản {self.version})"

    @property
    def max_points(self):
        return sum((part.max_points for part in self.parts.all()), Decimal(0))


class ScoringPart(models.Model):
    """Part A, B or C of a sheet, with its total (40 / 25 / 35 in QĐ 148)."""

    sheet = models.ForeignKey(ScoringSheet, models.CASCADE, related_name="parts")
    code = models.CharField(_("Phần"), max_length=5)
    name = models.CharField(_("Tên phần"), max_length=255)
    max_points = models.DecimalField(_("Điểm tối đa"), max_digits=5, decimal_places=2)
    confirmed = models.BooleanField(_("Đã xác minh"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sheet", "order"]
        verbose_name = _("phần của phiếu chấm")
        verbose_name_plural = _("phần của phiếu chấm")

    def __str__(self):
        return f"{self.code}. {self.name}"


class ScoringCriterion(models.Model):
    part = models.ForeignKey(ScoringPart, models.CASCADE, related_name="criteria")
    number = models.CharField(_("Số"), max_length=10)
    name = models.CharField(_("Nội dung"), max_length=500)
    max_points = models.DecimalField(_("Điểm tối đa"), max_digits=5, decimal_places=2)
    confirmed = models.BooleanField(_("Đã xác minh"), default=False)
    note = models.TextField(_("Ghi chú"), max_length=2000, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["part__order", "order"]
        verbose_name = _("tiêu chí chấm điểm")
        verbose_name_plural = _("tiêu chí chấm điểm")

    def __str__(self):
        return f"{self.number}. {self.name}"


# -- evaluation rounds and evaluations ----------------------------------------


class EvaluationRoundQuerySet(ScopedQuerySet):
    scope_field = "unit"


class EvaluationRound(TimeStampedModel):
    """An evaluation round (đợt đánh giá, phân hạng) of one council."""

    name = models.CharField(_("Tên đợt"), max_length=200)
    year = models.PositiveSmallIntegerField(_("Năm"))
    council_level = models.CharField(
        _("Cấp hội đồng"), max_length=12, choices=CouncilLevel
    )
    unit = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        related_name="+",
        verbose_name=_("Địa bàn"),
        help_text=_("Tỉnh (hoặc huyện, trước 2025) tổ chức đợt đánh giá."),
    )
    held_on = models.DateField(_("Ngày họp hội đồng"))
    note = models.TextField(_("Ghi chú"), max_length=2000, blank=True)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = EvaluationRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("đợt đánh giá OCOP")
        verbose_name_plural = _("đợt đánh giá OCOP")

    def __str__(self):
        return self.name


class EvaluationQuerySet(ScopedQuerySet):
    scope_field = "product__entity__unit"

    def certified(self):
        return self.filter(status=Evaluation.Status.CERTIFIED)

    def open(self):
        """Waiting for scores or for the office's decision."""
        return self.filter(status__in=Evaluation.Status.group("open"))

    def certified_during(self, start, end):
        """Certified, 3★ or more, and the certificate valid on a day of [start, end]."""
        return self.certified().filter(
            stars__gte=OCOP_MIN_STARS,
            certificate_date__lte=end,
            valid_until__gte=start,
        )

    def valid_on(self, day):
        return self.certified_during(day, day)

    def readable(self, paths, user):
        """Certified results for anyone; the others within ``paths`` (staff
        and councils, by lineage) and for the entity's own accounts."""
        condition = Q(status=Evaluation.Status.CERTIFIED)
        if paths:
            within = Evaluation.objects.within_any(paths, lineage=True)
            condition |= Q(pk__in=within.values("pk"))
        if user.is_authenticated:
            own = Evaluation.objects.filter(product__entity__accounts=user)
            condition |= Q(pk__in=own.values("pk"))
        return self.filter(condition)

    def expiring_between(self, first, last):
        """Certified whose last valid day falls in [first, last]."""
        return self.certified().filter(valid_until__gte=first, valid_until__lte=last)


# 3★ and above count as OCOP products (domain facts §3); only they are
# certified.
OCOP_MIN_STARS = 3


class Evaluation(TimeStampedModel):
    """One product in one round: the scores, the stars, the certificate."""

    class Status(StateChoices):
        DRAFT = "nhap", _("Chờ chấm điểm")
        SCORED = "da_cham", _("Đã chấm điểm")
        APPROVED = "da_duyet", _("Đã duyệt kết quả")
        CERTIFIED = "da_cap", _("Đã cấp giấy chứng nhận")

        TRANSITIONS = transitions(
            score=Transition(_("Chấm điểm"), sources=[DRAFT, SCORED], target=SCORED),
            approve=Transition(_("Duyệt kết quả"), sources=[SCORED], target=APPROVED),
            send_back=Transition(
                _("Trả lại để chấm lại"),
                sources=[SCORED],
                target=DRAFT,
                dangerous=True,
            ),
            certify=Transition(
                _("Ghi nhận giấy chứng nhận"), sources=[APPROVED], target=CERTIFIED
            ),
        )
        GROUPS = groups(open=[DRAFT, SCORED], decided=[APPROVED, CERTIFIED])

    round = models.ForeignKey(
        EvaluationRound,
        models.PROTECT,
        related_name="evaluations",
        verbose_name=_("Đợt đánh giá"),
    )
    product = models.ForeignKey(
        Product, models.PROTECT, related_name="evaluations", verbose_name=_("Sản phẩm")
    )
    sheet = models.ForeignKey(
        ScoringSheet,
        models.PROTECT,
        related_name="evaluations",
        verbose_name=_("Phiếu chấm"),
    )
    status = models.CharField(
        _("Trạng thái"), max_length=10, choices=Status, default=Status.DRAFT
    )
    total = models.DecimalField(
        _("Tổng điểm"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    stars = models.PositiveSmallIntegerField(_("Hạng sao"), null=True, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người chấm"),
    )
    scored_at = models.DateTimeField(_("Chấm lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người duyệt"),
    )
    approved_at = models.DateTimeField(_("Duyệt lúc"), null=True, blank=True)
    return_reason = models.TextField(_("Lý do trả lại"), max_length=2000, blank=True)
    certificate_number = models.CharField(
        _("Số quyết định / giấy chứng nhận"), max_length=60, blank=True
    )
    certificate_date = models.DateField(_("Ngày cấp"), null=True, blank=True)
    valid_until = models.DateField(_("Hiệu lực đến"), null=True, blank=True)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-round__held_on", "product__name", "pk"]
        verbose_name = _("kết quả đánh giá OCOP")
        verbose_name_plural = _("kết quả đánh giá OCOP")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "product"],
                name="one_evaluation_per_round_product",
                violation_error_message=_("Sản phẩm này đã có trong đợt đánh giá."),
            ),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | (Q(total__gte=0) & Q(total__lte=100)),
                name="ocop_total_within_100",
                violation_error_message=_("Tổng điểm phải từ 0 đến 100."),
            ),
            models.CheckConstraint(
                condition=Q(stars__isnull=True) | (Q(stars__gte=1) & Q(stars__lte=5)),
                name="ocop_stars_one_to_five",
                violation_error_message=_("Hạng sao phải từ 1 đến 5."),
            ),
            models.CheckConstraint(
                condition=~Q(status="da_cap")
                | (
                    Q(certificate_date__isnull=False)
                    & Q(valid_until__isnull=False)
                    & ~Q(certificate_number="")
                ),
                name="ocop_certified_has_certificate",
                violation_error_message=_(
                    "Sản phẩm đã cấp giấy chứng nhận phải có số, ngày cấp và thời hạn."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.product} — {self.round}"

    def get_absolute_url(self):
        return reverse("ocop:evaluation-detail", args=[self.pk])

    def is_valid_on(self, day):
        return (
            self.status == self.Status.CERTIFIED
            and self.certificate_date <= day <= self.valid_until
        )

    def is_expired_on(self, day):
        """Derived from the dates: certified, and its last valid day has passed."""
        return self.status == self.Status.CERTIFIED and self.valid_until < day

    @staticmethod
    def valid_until_for(certificate_date):
        return add_months(certificate_date, VALIDITY_MONTHS)


class Score(models.Model):
    """The points a council gave one criterion of the sheet."""

    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        ScoringCriterion, models.PROTECT, related_name="scores"
    )
    points = models.DecimalField(_("Điểm"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["criterion__part__order", "criterion__order"]
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"],
                name="one_score_per_criterion",
                violation_error_message=_("Tiêu chí này đã được chấm điểm."),
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0),
                name="ocop_points_not_negative",
                violation_error_message=_("Điểm không được âm."),
            ),
        ]

    def __str__(self):
        return f"{self.criterion.number}: {self.points}"


class ExpiryReminder(models.Model):
    """A reminder sent for a certificate nearing its end: once per window."""

    evaluation = models.ForeignKey(
        Evaluation, models.CASCADE, related_name="expiry_reminders"
    )
    valid_until = models.DateField(_("Hiệu lực đến"))
    window_days = models.PositiveSmallIntegerField(_("Nhắc trước (ngày)"))
    sent_on = models.DateField(_("Ngày gửi"))
    recipients = models.PositiveIntegerField(_("Số người nhận"), default=0)

    class Meta:
        ordering = ["-sent_on", "pk"]
        verbose_name = _("nhắc hết hiệu lực")
        verbose_name_plural = _("nhắc hết hiệu lực")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "valid_until", "window_days"],
                name="one_expiry_reminder_per_window",
                violation_error_message=_("Đã gửi nhắc hạn cho giấy chứng nhận này."),
            )
        ]

    def __str__(self):
        return f"{self.evaluation} — {self.sent_on:%d/%m/%Y}"


# -- sales channels and green / circular value chains --------------------------


def _live_during(start, end, first="listed_from", last="listed_to"):
    """Q: a dated record that held on at least one day of [start, end]."""
    return Q(**{f"{first}__lte": end}) & (
        Q(**{f"{last}__isnull": True}) | Q(**{f"{last}__gte": start})
    )


class SalesChannelQuerySet(ScopedQuerySet):
    scope_field = "entity__unit"

    def live_during(self, start, end):
        return self.filter(_live_during(start, end))

    def live_on(self, day):
        return self.live_during(day, day)

    def online(self):
        return self.filter(kind=SalesChannel.Kind.ECOMMERCE)

    def selling(self, product):
        """Channels of ``product``'s entity that list it or all its products."""
        return self.filter(entity_id=product.entity_id).filter(
            Q(product=product) | Q(product__isnull=True)
        )


class SalesChannel(TimeStampedModel):
    """A modern channel an entity sells through, dated so years keep their figure."""

    class Kind(models.TextChoices):
        SUPERMARKET = "sieu_thi", _("Siêu thị")
        CONVENIENCE_STORE = "cua_hang_tien_loi", _("Cửa hàng tiện lợi")
        ECOMMERCE = "san_tmdt", _("Sàn thương mại điện tử")

    entity = models.ForeignKey(
        Entity,
        models.CASCADE,
        related_name="sales_channels",
        verbose_name=_("Chủ thể"),
    )
    product = models.ForeignKey(
        Product,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="sales_channels",
        verbose_name=_("Sản phẩm"),
    )
    kind = models.CharField(_("Kênh"), max_length=20, choices=Kind)
    platform = models.ForeignKey(
        "households.EcommercePlatform",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="ocop_listings",
        verbose_name=_("Sàn thương mại điện tử"),
    )
    name = models.CharField(
        _("Tên siêu thị, cửa hàng hoặc gian hàng"), max_length=200, blank=True
    )
    url = models.URLField(_("Đường dẫn gian hàng"), max_length=500, blank=True)
    listed_from = models.DateField(_("Bán từ ngày"))
    listed_to = models.DateField(_("Đến ngày"), null=True, blank=True)
    note = models.CharField(_("Ghi chú"), max_length=255, blank=True)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = SalesChannelQuerySet.as_manager()

    class Meta:
        ordering = ["entity__name", "-listed_from", "pk"]
        verbose_name = _("kênh bán hàng hiện đại")
        verbose_name_plural = _("kênh bán hàng hiện đại")
        constraints = [
            models.CheckConstraint(
                condition=Q(listed_to__isnull=True)
                | Q(listed_to__gte=models.F("listed_from")),
                name="sales_channel_dates_ordered",
                violation_error_message=_(
                    "Ngày ngừng bán không được trước ngày bắt đầu bán."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind="san_tmdt") | ~Q(url=""),
                name="ecommerce_listing_has_link",
                violation_error_message=_(
                    "Gian hàng trên sàn thương mại điện tử phải có đường dẫn."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.display_name}"

    @property
    def display_name(self):
        return self.name or (str(self.platform) if self.platform_id else "")

    def is_live_on(self, day):
        return self.listed_from <= day and (
            self.listed_to is None or self.listed_to >= day
        )


def green_evidence_path(instance, filename):
    return f"ocop/chuoi-xanh/{instance.entity_id}/{filename}"


class GreenChainQuerySet(ScopedQuerySet):
    scope_field = "entity__unit"

    def live_during(self, start, end):
        return self.filter(_live_during(start, end, "valid_from", "valid_to"))

    def counted(self):
        """Those target 8 counts: with evidence and a raw-material area."""
        evidence = ~Q(evidence_file="") | ~Q(evidence_url="")
        area = Q(
            linkage_model__isnull=False,
            linkage_model__has_raw_material_area=True,
        ) | ~Q(raw_material_area="")
        return self.filter(evidence & area)


class GreenChain(TimeStampedModel):
    """An entity's circular-economy or green-OCOP value chain (target 8).

    It relies on a stable raw-material area: a cooperative linkage model's
    (``cooperatives.LinkageModel``) or one named here; it counts for the
    target only with evidence (a file or a link) and such an area, on the
    days between ``valid_from`` and ``valid_to``.
    """

    class Kind(models.TextChoices):
        CIRCULAR = "tuan_hoan", _("Chuỗi giá trị kinh tế tuần hoàn")
        GREEN = "ocop_xanh", _("OCOP xanh")

    entity = models.ForeignKey(
        Entity,
        models.CASCADE,
        related_name="green_chains",
        verbose_name=_("Chủ thể"),
    )
    kind = models.CharField(_("Loại"), max_length=12, choices=Kind)
    description = models.TextField(_("Mô tả chuỗi giá trị"), max_length=5000)
    linkage_model = models.ForeignKey(
        "cooperatives.LinkageModel",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="ocop_green_chains",
        verbose_name=_("Mô hình liên kết có vùng nguyên liệu"),
    )
    raw_material_area = models.CharField(
        _("Vùng nguyên liệu"),
        max_length=255,
        blank=True,
        help_text=_("Tên, vị trí vùng nguyên liệu khi không thuộc mô hình liên kết."),
    )
    area_ha = models.DecimalField(
        _("Diện tích vùng nguyên liệu (ha)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
    )
    evidence_file = models.FileField(
        _("Tệp minh chứng"),
        upload_to=green_evidence_path,
        blank=True,
        validators=[UploadValidator("evidence")],
    )
    evidence_name = models.CharField(_("Tên tệp"), max_length=255, blank=True)
    evidence_url = models.URLField(_("Liên kết minh chứng"), max_length=500, blank=True)
    valid_from = models.DateField(_("Từ ngày"))
    valid_to = models.DateField(_("Đến ngày"), null=True, blank=True)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = GreenChainQuerySet.as_manager()

    class Meta:
        ordering = ["entity__name", "-valid_from", "pk"]
        verbose_name = _("chuỗi giá trị tuần hoàn, OCOP xanh")
        verbose_name_plural = _("chuỗi giá trị tuần hoàn, OCOP xanh")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="green_chain_dates_ordered",
                violation_error_message=_(
                    "Ngày kết thúc không được trước ngày bắt đầu."
                ),
            ),
            models.CheckConstraint(
                condition=Q(area_ha__isnull=True) | Q(area_ha__gte=0),
                name="green_chain_area_not_negative",
                violation_error_message=_("Diện tích vùng nguyên liệu không được âm."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.entity}"

    @property
    def has_evidence(self):
        return bool(self.evidence_file or self.evidence_url)

    @property
    def area_text(self):
        if self.linkage_model_id and self.linkage_model.has_raw_material_area:
            return self.linkage_model.raw_material_area or str(self.linkage_model)
        return self.raw_material_area

    @property
    def counts_for_target(self):
        return self.has_evidence and bool(self.area_text)

    def is_live_on(self, day):
        return self.valid_from <= day and (
            self.valid_to is None or self.valid_to >= day
        )
