"""The NTM programme's managers, the trainings held for them, and who attended.

The roster of a year (``ProgramStaff``) is the denominator of the plan's
target 5: "100 % of managers at all levels trained in digital transformation".
A person appears once per year under a stable staff code, so that a training
attended in 2023 still counts for the 2024 roster.
"""

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ntm.core.models import TimeStampedModel
from ntm.core.text import fold, fold_terms
from ntm.core.uploads import UploadValidator
from ntm.units.scope import ScopedQuerySet


def _trained_on(day):
    # By staff code, not by entry: the 2024 entry of someone trained in 2023
    # (under their 2023 entry) counts as trained.
    return Exists(
        Participation.objects.filter(
            staff__code=OuterRef("code"),
            attended=True,
            training__topic=Training.Topic.DIGITAL,
            training__held_on__lte=day,
        )
    )


class ProgramStaffQuerySet(ScopedQuerySet):
    def of_year(self, year):
        return self.filter(year=year)

    def active(self):
        return self.filter(is_active=True)

    def trained_by(self, day):
        """Entries whose person attended a digital-transformation training
        held on or before ``day``, under this or an earlier year's entry."""
        return self.filter(_trained_on(day))

    def with_trained(self, day):
        """Each entry with ``trained``: the ``trained_by`` answer for it."""
        return self.annotate(trained=_trained_on(day))

    def matching(self, query):
        entries = self
        for term in fold_terms(query):
            entries = entries.filter(
                Q(search_text__contains=term) | Q(code__istartswith=term)
            )
        return entries


class ProgramStaff(TimeStampedModel):
    """One manager of the NTM programme on one year's roster."""

    code = models.CharField(
        _("Mã cán bộ"),
        max_length=20,
        help_text=_("Giữ nguyên qua các năm để tính tập huấn đã dự những năm trước."),
    )
    year = models.PositiveSmallIntegerField(_("Năm"))
    full_name = models.CharField(_("Họ và tên"), max_length=120)
    position = models.CharField(_("Chức vụ"), max_length=120, blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        related_name="program_staff",
        verbose_name=_("Đơn vị công tác"),
    )
    is_active = models.BooleanField(
        _("Đang đảm nhiệm"),
        default=True,
        help_text=_("Bỏ chọn khi cán bộ thôi đảm nhiệm; không tính vào danh sách."),
    )
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)
    search_text = models.CharField(max_length=300, editable=False, blank=True)

    objects = ProgramStaffQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "unit__path", "full_name"]
        verbose_name = _("cán bộ quản lý Chương trình NTM")
        verbose_name_plural = _("cán bộ quản lý Chương trình NTM")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "code"],
                name="one_roster_entry_per_year",
                violation_error_message=_(
                    "Mã cán bộ này đã có trong danh sách của năm đó."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.year})"

    def get_absolute_url(self):
        return reverse("knowledge:staff-edit", args=[self.pk])

    @property
    def level(self):
        """District, commune or village level: the level of the unit."""
        return self.unit.get_level_display()

    def build_search_text(self):
        return fold(f"{self.code} {self.full_name} {self.position}")[:300]


class TrainingQuerySet(ScopedQuerySet):
    scope_field = "organiser"

    def digital(self):
        return self.filter(topic=Training.Topic.DIGITAL)

    def of_year(self, year):
        return self.filter(held_on__year=year)

    def with_attendance(self):
        """Each training with ``invited`` (on its list) and ``present``
        (listed people who attended, plus those counted without names)."""
        return self.annotate(
            invited=Count("participations"),
            present=Count("participations", filter=Q(participations__attended=True))
            + F("unlisted_attendees"),
        )

    def attendance_by_audience(self):
        """{audience: people who attended} over these trainings: the
        figures of officials, residents and businesses trained (V.1)."""
        listed = (
            Participation.objects.filter(training__in=self.values("pk"), attended=True)
            .order_by()
            .values_list("training__audience")
            .annotate(n=Count("id"))
        )
        unlisted = (
            self.order_by()
            .values_list("audience")
            .annotate(n=Sum("unlisted_attendees"))
        )
        totals = dict.fromkeys(Training.Audience.values, 0)
        for audience, n in [*listed, *unlisted]:
            totals[audience] += n or 0
        return totals

    def seen_within(self, paths):
        """Trainings organised within ``paths`` (or by units merged into
        them), and those a roster entry within ``paths`` was invited to.

        The district trains the communes' staff: a commune officer sees the
        district's training their own people attended, not the others.
        """
        if not paths:
            return self.none()
        organised = self.within_any(paths, lineage=True).values("pk")
        invited = Participation.objects.within_any(paths).values("training_id")
        return self.filter(Q(pk__in=organised) | Q(pk__in=invited))


class Training(TimeStampedModel):
    class Topic(models.TextChoices):
        DIGITAL = "digital", _("Chuyển đổi số")
        OTHER = "other", _("Chủ đề khác")

    class Level(models.TextChoices):
        DISTRICT = "district", _("Cấp huyện")
        COMMUNE = "commune", _("Cấp xã")

    # The plan trains officials, residents and businesses (V.1): target 5
    # counts the roster (officials); the others are counted by audience.
    class Audience(models.TextChoices):
        OFFICIALS = "officials", _("Cán bộ, công chức")
        RESIDENTS = "residents", _("Người dân")
        BUSINESSES = "businesses", _("Doanh nghiệp, hợp tác xã")

    title = models.CharField(_("Tên lớp tập huấn"), max_length=255)
    topic = models.CharField(
        _("Chủ đề"), max_length=10, choices=Topic, default=Topic.DIGITAL
    )
    organiser = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        related_name="trainings",
        verbose_name=_("Đơn vị tổ chức"),
    )
    held_on = models.DateField(_("Ngày tổ chức"))
    place = models.CharField(_("Địa điểm"), max_length=255, blank=True)
    hours = models.DecimalField(
        _("Số giờ"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    level = models.CharField(
        _("Cấp tổ chức"), max_length=10, choices=Level, default=Level.DISTRICT
    )
    audience = models.CharField(
        _("Đối tượng"), max_length=10, choices=Audience, default=Audience.OFFICIALS
    )
    unlisted_attendees = models.PositiveIntegerField(
        _("Số người tham dự không ghi tên"),
        default=0,
        help_text=_(
            "Lớp đông người dân: ghi số người có mặt theo sổ điểm danh giấy "
            "thay vì nhập từng người."
        ),
    )
    note = models.TextField(_("Ghi chú"), max_length=2000, blank=True)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "title", "pk"]
        verbose_name = _("lớp tập huấn")
        verbose_name_plural = _("lớp tập huấn")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gt=0),
                name="training_hours_positive",
                violation_error_message=_("Số giờ tập huấn phải lớn hơn 0."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("knowledge:training-detail", args=[self.pk])


class ParticipationQuerySet(models.QuerySet):
    def within_any(self, paths):
        """Participants on the roster of units below ``paths`` (guests typed
        by name belong to no unit and are left out)."""
        return self.filter(
            staff__in=ProgramStaff.objects.within_any(paths, lineage=True)
        )


class Participation(TimeStampedModel):
    """One person invited to or attending a training.

    Roster members are linked; others (village heads not on the roster,
    guests) are typed by name, role and unit.
    """

    training = models.ForeignKey(
        Training, models.CASCADE, related_name="participations"
    )
    # PROTECT: attendance is the roster entry's history (target 5).
    staff = models.ForeignKey(
        ProgramStaff,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("Cán bộ trong danh sách"),
    )
    name = models.CharField(_("Họ và tên"), max_length=120, blank=True)
    role = models.CharField(_("Chức vụ"), max_length=120, blank=True)
    unit_name = models.CharField(_("Đơn vị"), max_length=120, blank=True)
    attended = models.BooleanField(_("Có tham dự"), default=True)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["training", "id"]
        verbose_name = _("người tham gia tập huấn")
        verbose_name_plural = _("người tham gia tập huấn")
        constraints = [
            models.UniqueConstraint(
                fields=["training", "staff"],
                condition=Q(staff__isnull=False),
                name="one_participation_per_staff",
                violation_error_message=_("Cán bộ này đã có trong danh sách lớp."),
            ),
            models.CheckConstraint(
                condition=Q(staff__isnull=False) | ~Q(name=""),
                name="participant_named_or_on_roster",
                violation_error_message=_(
                    "Chọn cán bộ trong danh sách hoặc nhập họ tên người tham gia."
                ),
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.staff.full_name if self.staff_id else self.name


def guide_path(guide, filename):
    return f"kien-thuc/{filename}"


class GuideQuerySet(ScopedQuerySet):
    scope_field = "publisher"

    def published(self):
        return self.filter(is_published=True)

    def readable_by(self, paths):
        """Published guides, and the drafts of units within ``paths``."""
        drafts = self.within_any(paths, lineage=True).values("pk") if paths else []
        return self.filter(Q(is_published=True) | Q(pk__in=drafts))

    def search(self, text):
        """Guides matching every word of ``text``, diacritics ignored, best
        first: a word in the title weighs more than one in the text
        (``search.py``: the full-text search of the database in use)."""
        from .search import ranked

        return ranked(self, text)


class Guide(TimeStampedModel):
    """One piece of technical know-how: a guide, a video, a production model.

    Published guides are public: they carry the publishing unit, never a
    person's name or phone. ``search_title`` and ``search_body`` hold the
    folded text (no diacritics, "đ" as "d") that full-text search reads, so
    "ky thuat trong lua" finds "Kỹ thuật trồng lúa" on either database.
    """

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Tài liệu hướng dẫn")
        VIDEO = "video", _("Video")
        IMAGE = "image", _("Hình ảnh, tờ rơi")
        MODEL = "model", _("Mô hình sản xuất")

    class Field(models.TextChoices):
        CROPS = "crops", _("Trồng trọt")
        LIVESTOCK = "livestock", _("Chăn nuôi, thú y")
        FISHERY = "fishery", _("Thủy sản")
        FORESTRY = "forestry", _("Lâm nghiệp")
        PROCESSING = "processing", _("Chế biến, OCOP")
        DIGITAL = "digital", _("Chuyển đổi số, thương mại điện tử")
        ENVIRONMENT = "environment", _("Môi trường, nước sạch")
        TOURISM = "tourism", _("Du lịch nông thôn")
        OTHER = "other", _("Lĩnh vực khác")

    class Season(models.TextChoices):
        ANY = "", _("Quanh năm")
        WINTER_SPRING = "winter_spring", _("Vụ Đông Xuân")
        SUMMER_AUTUMN = "summer_autumn", _("Vụ Hè Thu")
        WINTER = "winter", _("Vụ Đông")

    title = models.CharField(_("Tiêu đề"), max_length=200)
    kind = models.CharField(
        _("Loại"), max_length=10, choices=Kind, default=Kind.DOCUMENT
    )
    field = models.CharField(
        _("Lĩnh vực"), max_length=12, choices=Field, default=Field.CROPS
    )
    subject = models.CharField(
        _("Cây trồng, vật nuôi"),
        max_length=80,
        blank=True,
        help_text=_("Ví dụ: Lúa, Rau màu, Bò, Gà thả vườn."),
    )
    season = models.CharField(
        _("Mùa vụ"), max_length=14, choices=Season, blank=True, default=Season.ANY
    )
    summary = models.TextField(_("Tóm tắt"), max_length=1000, blank=True)
    body = models.TextField(_("Nội dung"), max_length=50_000, blank=True)
    file = models.FileField(
        _("Tệp tài liệu"),
        upload_to=guide_path,
        max_length=200,
        blank=True,
        validators=[UploadValidator("guide")],
    )
    video_url = models.URLField(
        _("Liên kết video"),
        max_length=500,
        blank=True,
        help_text=_("Địa chỉ http:// hoặc https:// của video (YouTube, Facebook…)."),
    )
    publisher = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        related_name="guides",
        verbose_name=_("Đơn vị đăng"),
    )
    is_published = models.BooleanField(
        _("Công khai"),
        default=True,
        help_text=_("Bỏ chọn để lưu bản nháp: chỉ đơn vị đăng nhìn thấy."),
    )
    downloads = models.PositiveIntegerField(_("Lượt tải"), default=0, editable=False)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)
    search_title = models.CharField(max_length=200, editable=False, blank=True)
    # Folded subject, field, summary and body (each limited on its own).
    search_body = models.TextField(max_length=52_000, editable=False, blank=True)

    objects = GuideQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("tài liệu kiến thức")
        verbose_name_plural = _("tài liệu kiến thức")
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(video_url="") | ~Q(body=""),
                name="guide_has_content",
                violation_error_message=_(
                    "Cần có nội dung, tệp tài liệu hoặc liên kết video."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("library:guide-detail", args=[self.pk])

    def fold_text(self):
        """Fill the folded columns full-text search reads."""
        self.search_title = fold(self.title)[:200]
        self.search_body = fold(
            " ".join(
                [
                    self.subject,
                    self.get_field_display(),
                    self.summary,
                    self.body,
                ]
            )
        )

    @property
    def file_name(self):
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""
