from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ntm.core.models import TimeStampedModel
from ntm.core.states import StateChoices, Transition, groups, transitions
from ntm.core.uploads import UploadValidator
from ntm.units.models import Unit
from ntm.units.scope import ScopedQuerySet


class DossierQuerySet(ScopedQuerySet):
    def with_status(self, status):
        return self.filter(status=status)


class Dossier(TimeStampedModel):
    """A unit's request to be recognised (QĐ 18/2022/QĐ-TTg), from the
    self-assessment to the decision, and a possible revocation."""

    class Kind(models.TextChoices):
        NTM = "ntm", _("Đạt chuẩn nông thôn mới")
        ADVANCED = "nang_cao", _("Đạt chuẩn nông thôn mới nâng cao")
        MODEL = "kieu_mau", _("Đạt chuẩn nông thôn mới kiểu mẫu")

    class Status(StateChoices):
        DRAFT = "draft", _("Đang lập")
        SELF_ASSESSED = "self_assessed", _("Đã tự đánh giá")
        POSTED = "posted", _("Đang niêm yết")
        SUBMITTED = "submitted", _("Đã trình")
        UNDER_APPRAISAL = "under_appraisal", _("Đang thẩm định")
        APPRAISED = "appraised", _("Đã thẩm định")
        RECOGNISED = "recognised", _("Đã công nhận")
        REFUSED = "refused", _("Không công nhận")
        REVOKED = "revoked", _("Đã thu hồi công nhận")

        TRANSITIONS = transitions(
            # Repeatable until the first posting, to take newer figures.
            self_assess=Transition(
                _("Tự đánh giá"), sources=[DRAFT, SELF_ASSESSED], target=SELF_ASSESSED
            ),
            # Each posting is recorded; the first one moves the dossier.
            post=Transition(
                _("Ghi lần niêm yết"), sources=[SELF_ASSESSED, POSTED], target=POSTED
            ),
            submit=Transition(
                _("Trình hồ sơ"),
                sources=[POSTED],
                target=SUBMITTED,
                confirm=_("Trình hồ sơ? Số liệu sẽ được chốt tại thời điểm trình."),
            ),
            receive=Transition(
                _("Tiếp nhận hồ sơ"), sources=[SUBMITTED], target=UNDER_APPRAISAL
            ),
            # The first verdict opens the appraisal of a dossier not received.
            appraise=Transition(
                _("Thẩm định hồ sơ"),
                sources=[SUBMITTED, UNDER_APPRAISAL],
                target=UNDER_APPRAISAL,
            ),
            conclude=Transition(
                _("Kết luận thẩm định"), sources=[UNDER_APPRAISAL], target=APPRAISED
            ),
            recognise=Transition(
                _("Quyết định công nhận"), sources=[APPRAISED], target=RECOGNISED
            ),
            refuse=Transition(
                _("Quyết định không công nhận"), sources=[APPRAISED], target=REFUSED
            ),
            revoke=Transition(
                _("Thu hồi"),
                sources=[RECOGNISED],
                target=REVOKED,
                dangerous=True,
                confirm=_("Thu hồi quyết định công nhận?"),
            ),
        )
        GROUPS = groups(
            # Being built: figures not frozen, evidence may still be added.
            open=[DRAFT, SELF_ASSESSED, POSTED],
            # Not yet posted publicly: only its readers see it.
            private=[DRAFT, SELF_ASSESSED],
            awaiting_appraisal=[SUBMITTED, UNDER_APPRAISAL],
        )

    class Result(models.TextChoices):
        MET = "met", _("Đạt")
        NOT_MET = "not_met", _("Chưa đạt")

    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="+", verbose_name=_("Đơn vị")
    )
    kind = models.CharField(_("Mức đề nghị"), max_length=10, choices=Kind)
    year = models.PositiveSmallIntegerField(_("Năm"))
    criteria_set = models.ForeignKey(
        "indicators.CriteriaSet",
        models.PROTECT,
        related_name="+",
        verbose_name=_("Bộ tiêu chí"),
    )
    status = models.CharField(
        _("Trạng thái"), max_length=16, choices=Status, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    # The self-assessment: figures from the engine, frozen at submission.
    assessment = models.JSONField(_("Kết quả tự đánh giá"), default=dict, blank=True)
    assessed_at = models.DateTimeField(null=True, blank=True)
    satisfaction = models.JSONField(_("Kết quả lấy ý kiến"), default=dict, blank=True)
    # Criteria not met (or without data) when the dossier was submitted: a
    # submission like that needs the submitter's explicit confirmation.
    submitted_unmet = models.JSONField(
        _("Tiêu chí chưa đạt khi trình"), default=list, blank=True
    )
    submitted_to = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Nơi nhận hồ sơ"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    submitted_on = models.DateField(_("Ngày trình"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    appraisal_result = models.CharField(
        _("Kết luận thẩm định"), max_length=8, choices=Result, blank=True
    )
    appraisal_summary = models.TextField(
        _("Ý kiến thẩm định chung"), max_length=8000, blank=True
    )
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )
    appraised_on = models.DateField(_("Ngày thẩm định"), null=True, blank=True)
    decision_number = models.CharField(_("Số quyết định"), max_length=60, blank=True)
    decision_date = models.DateField(_("Ngày quyết định"), null=True, blank=True)
    decision_signer = models.CharField(_("Người ký"), max_length=150, blank=True)
    decision_signer_position = models.CharField(
        _("Chức vụ người ký"), max_length=150, blank=True
    )
    revocation_reason = models.TextField(
        _("Lý do thu hồi"), max_length=4000, blank=True
    )
    revocation_number = models.CharField(
        _("Số quyết định thu hồi"), max_length=60, blank=True
    )
    revocation_date = models.DateField(_("Ngày thu hồi"), null=True, blank=True)
    is_demo = models.BooleanField(_("Dữ liệu minh họa"), default=False)

    objects = DossierQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "unit__path", "kind"]
        verbose_name = _("hồ sơ xét công nhận")
        verbose_name_plural = _("hồ sơ xét công nhận")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "year"],
                name="one_dossier_per_unit_kind_year",
                violation_error_message=_("Đơn vị đã có hồ sơ loại này trong năm đó."),
            )
        ]

    def __str__(self):
        return f"{self.unit} — {self.get_kind_display()} {self.year}"

    def get_absolute_url(self):
        return reverse("dossiers:dossier-detail", args=[self.pk])

    @property
    def is_frozen(self):
        """Submitted dossiers keep the figures they were submitted with."""
        return not self.Status.in_group(self.status, "open")

    @property
    def is_open_for_edits(self):
        return not self.is_frozen


def evidence_path(instance, filename):
    return f"dossiers/{instance.dossier.year}/{instance.dossier_id}/{filename}"


class DossierEvidence(TimeStampedModel):
    """A document supporting one criterion of the self-assessment."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="evidence")
    criterion_number = models.CharField(_("Tiêu chí"), max_length=20)
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
        ordering = ["criterion_number", "created_at"]
        verbose_name = _("minh chứng hồ sơ")
        verbose_name_plural = _("minh chứng hồ sơ")

    def __str__(self):
        return self.name


class Posting(TimeStampedModel):
    """One public posting of the self-assessment report (QĐ 18/2022, Điều 5)."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="postings")
    posted_on = models.DateField(_("Ngày niêm yết"))
    place = models.CharField(_("Nơi niêm yết"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["posted_on", "id"]
        verbose_name = _("lần niêm yết")
        verbose_name_plural = _("lần niêm yết")

    def __str__(self):
        return f"{self.posted_on:%d/%m/%Y} — {self.place}"


class CriterionAppraisal(TimeStampedModel):
    """The council's verdict and comments on one criterion of a dossier."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="appraisals")
    criterion_number = models.CharField(_("Tiêu chí"), max_length=20)
    verdict = models.CharField(_("Kết luận"), max_length=8, choices=Dossier.Result)
    comment = models.TextField(_("Ý kiến"), max_length=4000, blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["dossier", "id"]
        verbose_name = _("ý kiến thẩm định tiêu chí")
        verbose_name_plural = _("ý kiến thẩm định tiêu chí")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "criterion_number"],
                name="one_appraisal_per_criterion",
                violation_error_message=_(
                    "Tiêu chí này đã được thẩm định trong hồ sơ."
                ),
            )
        ]

    def __str__(self):
        return f"{self.dossier_id} / {self.criterion_number}: {self.verdict}"


class CouncilVote(TimeStampedModel):
    """One council member's verdict on the whole dossier, before the chair
    concludes; the conclusion keeps them (the votes no longer change)."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="votes")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("Thành viên hội đồng"),
    )
    verdict = models.CharField(_("Ý kiến"), max_length=8, choices=Dossier.Result)
    comment = models.TextField(_("Nhận xét"), max_length=4000, blank=True)

    class Meta:
        ordering = ["dossier", "id"]
        verbose_name = _("ý kiến thành viên hội đồng")
        verbose_name_plural = _("ý kiến thành viên hội đồng")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "member"],
                name="one_vote_per_member",
                violation_error_message=_("Thành viên đã cho ý kiến về hồ sơ này."),
            )
        ]

    def __str__(self):
        return f"{self.dossier_id} / {self.member_id}: {self.verdict}"
