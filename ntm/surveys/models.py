"""Surveys of households: questions, choices, one response per household."""

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Case, Min, Q, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ntm.accounts.models import Role
from ntm.core.models import ProvincePartitioned, TimeStampedModel
from ntm.core.states import StateChoices, Transition, groups, transitions
from ntm.households.models import Household
from ntm.units.scope import ScopedQuerySet

# A rating counts as satisfied from 4 of 5 up (4 = hài lòng, 5 = rất hài lòng).
SATISFIED_RATING = 4


class SurveyQuerySet(ScopedQuerySet):
    def open_now(self):
        return self.filter(_taking_answers())

    def seconds_to_next_change(self, most=None):
        """Seconds until one of these surveys opens or closes (at most ``most``,
        PUBLIC_PAGE_SECONDS by default): how long a public page listing them
        may be kept."""
        most = most or settings.PUBLIC_PAGE_SECONDS
        now = timezone.now()
        found = self.aggregate(
            opens=Min("opens_at", filter=Q(opens_at__gt=now)),
            closes=Min("closes_at", filter=Q(closes_at__gt=now)),
        )
        upcoming = [t for t in found.values() if t is not None]
        if not upcoming:
            return most
        return max(1, min(most, int((min(upcoming) - now).total_seconds())))

    def for_citizens(self):
        """What a citizen may open: surveys taking answers now, then those whose
        results are public (closed, or published while open)."""
        accepting = _taking_answers()
        results = Q(status=Survey.Status.CLOSED) | Q(
            status=Survey.Status.OPEN, publish_results=True
        )
        return self.filter(accepting | results).annotate(
            taking_answers=Case(
                When(accepting, then=True),
                default=False,
                output_field=BooleanField(),
            )
        )

    def in_year(self, year):
        """Surveys whose answering window touches ``year``."""
        return self.filter(opens_at__year__lte=year, closes_at__year__gte=year)

    def visible_to(self, user, *roles):
        roles = roles or (
            Role.DISTRICT_ADMIN,
            Role.OFFICE_STAFF,
            Role.COMMUNE_OFFICER,
            Role.VILLAGE_HEAD,
        )
        if not user.is_authenticated:
            return self.none()
        # Surveys of the member's units and below, and of the units above (a
        # district survey reaches the commune's households too).
        return self.within_any(user.paths(*roles), above=True)


def _taking_answers():
    """Open and within its window, now (the rule Survey.is_accepting applies)."""
    now = timezone.now()
    return Q(status=Survey.Status.OPEN, opens_at__lte=now, closes_at__gt=now)


class Survey(TimeStampedModel):
    class Status(StateChoices):
        DRAFT = "draft", _("Nháp")
        OPEN = "open", _("Đang mở")
        CLOSED = "closed", _("Đã đóng")

        TRANSITIONS = transitions(
            # A closed survey may be reopened (a window extended).
            open=Transition(
                _("Mở khảo sát"),
                sources=[DRAFT, CLOSED],
                target=OPEN,
                confirm=_("Mở khảo sát? Sau khi mở không sửa được câu hỏi."),
            ),
            close=Transition(
                _("Đóng khảo sát"),
                sources=[OPEN],
                target=CLOSED,
                confirm=_("Đóng khảo sát?"),
            ),
        )
        # Questions change only in a draft; the rest is public.
        GROUPS = groups(editable=[DRAFT], published=[OPEN, CLOSED])

    class Verification(models.TextChoices):
        PHONE_DIGITS = "phone4", _("4 số cuối điện thoại của hộ")
        SMS_CODE = "sms", _("Mã xác nhận gửi qua tin nhắn")

    title = models.CharField(_("Tên khảo sát"), max_length=200)
    slug = models.SlugField(_("Đường dẫn"), max_length=60, unique=True)
    description = models.TextField(_("Giới thiệu"), max_length=2000, blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        related_name="surveys",
        verbose_name=_("Phạm vi (đơn vị)"),
    )
    opens_at = models.DateTimeField(_("Mở từ"))
    closes_at = models.DateTimeField(_("Đóng lúc"))
    status = models.CharField(
        _("Trạng thái"), max_length=8, choices=Status, default=Status.DRAFT
    )
    verification = models.CharField(
        _("Cách xác minh hộ"),
        max_length=8,
        choices=Verification,
        default=Verification.PHONE_DIGITS,
    )
    publish_results = models.BooleanField(_("Công khai kết quả"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "pk"]
        verbose_name = _("khảo sát")
        verbose_name_plural = _("khảo sát")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_it_opens",
                violation_error_message=_(
                    "Thời điểm đóng khảo sát phải sau thời điểm mở."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:survey-detail", args=[self.pk])

    def get_public_url(self):
        return reverse("surveys:public-start", args=[self.slug])

    @property
    def is_editable(self):
        return self.Status.in_group(self.status, "editable")

    @property
    def is_accepting(self):
        now = timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at

    @property
    def results_are_public(self):
        return self.status == self.Status.CLOSED or self.publish_results


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Chọn một")
        MULTIPLE = "multiple", _("Chọn nhiều")
        RATING = "rating", _("Thang điểm 1–5")
        TEXT = "text", _("Trả lời tự do")

    survey = models.ForeignKey(Survey, models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)
    kind = models.CharField(_("Loại câu hỏi"), max_length=8, choices=Kind)
    text = models.CharField(_("Nội dung câu hỏi"), max_length=500)
    required = models.BooleanField(_("Bắt buộc trả lời"), default=True)
    content_area = models.CharField(
        _("Nội dung đánh giá"),
        max_length=120,
        blank=True,
        help_text=_("Ví dụ: Giao thông, Y tế, Môi trường (để tính tỷ lệ hài lòng)."),
    )
    counts_for_satisfaction = models.BooleanField(
        _("Tính vào tỷ lệ hài lòng"), default=False
    )
    relevant_question = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependants",
        verbose_name=_("Chỉ hiện khi câu hỏi"),
    )
    relevant_choice = models.ForeignKey(
        "Choice",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("được chọn"),
    )
    xlsform_name = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        ordering = ["survey", "order", "pk"]
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")

    def __str__(self):
        return self.text

    @property
    def has_choices(self):
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)


class Choice(models.Model):
    question = models.ForeignKey(Question, models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("Lựa chọn"), max_length=300)
    value = models.CharField(_("Giá trị"), max_length=100)
    satisfied = models.BooleanField(_("Tính là hài lòng"), default=False)

    class Meta:
        ordering = ["question", "order", "pk"]
        verbose_name = _("lựa chọn")
        verbose_name_plural = _("lựa chọn")

    def __str__(self):
        return self.label


class ResponseQuerySet(models.QuerySet):
    def in_unit(self, unit):
        """Responses of the households of ``unit`` (through today's villages),
        including those no longer followed: their answers stay counted."""
        return self.filter(household__in=Household.all_objects.in_unit(unit))

    def online(self):
        return self.filter(channel=Response.Channel.ONLINE)


class Response(ProvincePartitioned):
    class Channel(models.TextChoices):
        ONLINE = "online", _("Trực tuyến")
        PAPER = "paper", _("Phiếu giấy")

    survey = models.ForeignKey(Survey, models.CASCADE, related_name="responses")
    # Kept by Django: households are partitioned (ntm.core.partitions).
    household = models.ForeignKey(
        "households.Household",
        models.PROTECT,
        related_name="survey_responses",
        db_constraint=False,
    )
    channel = models.CharField(
        _("Hình thức"), max_length=8, choices=Channel, default=Channel.ONLINE
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người nhập phiếu giấy"),
    )
    submitted_at = models.DateTimeField(_("Thời điểm trả lời"), default=timezone.now)
    is_demo = models.BooleanField(default=False)
    # The partition key on PostgreSQL: the household's province when it
    # answered.
    PROVINCE_FROM = "household"

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["survey", "submitted_at", "pk"]
        verbose_name = _("phiếu trả lời")
        verbose_name_plural = _("phiếu trả lời")
        constraints = [
            # The rule Kobo, ODK and Decidim leave to the browser: one answer
            # per household, held by the database under concurrent submits.
            # With the partition key, which a partitioned table's unique
            # keys must name: a household answers from one province.
            models.UniqueConstraint(
                fields=["survey", "household", "province_code"],
                name="one_response_per_household",
                violation_error_message=_("Hộ đã trả lời khảo sát này."),
            ),
        ]

    def __str__(self):
        return f"{self.survey} / {self.household.code}"


class Answer(models.Model):
    """One answer; a multiple-choice question has one row per chosen choice."""

    # Kept by Django: responses are partitioned (ntm.core.partitions).
    response = models.ForeignKey(
        Response, models.CASCADE, related_name="answers", db_constraint=False
    )
    question = models.ForeignKey(Question, models.CASCADE, related_name="answers")
    choice = models.ForeignKey(
        Choice, models.CASCADE, null=True, blank=True, related_name="answers"
    )
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["response", "question", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="answer_rating_1_to_5",
                violation_error_message=_("Điểm đánh giá phải từ 1 đến 5."),
            ),
        ]

    def __str__(self):
        return f"{self.question_id}: {self.choice_id or self.rating or self.text}"
