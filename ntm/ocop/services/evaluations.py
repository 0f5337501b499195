"""Evaluation rounds and the workflow of an evaluation.

draft → scored (a council member fills the whole sheet; re-scoring before
approval is allowed) → approved (the Agriculture office, not the person who
scored) → certified (the certificate's number and date; valid 36 months).
A scored result may be sent back to draft with a reason. Each transition
locks the row and re-checks the state inside its transaction, so two
clicks at once make one change; no step can be skipped.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.core.audit import log_action
from ntm.core.states import lock

from ..models import (
    OCOP_MIN_STARS,
    CouncilLevel,
    Evaluation,
    EvaluationRound,
    Score,
    ScoringCriterion,
)
from ..ranking import stars_for
from .errors import OcopError
from .register import apply_changes, log_created
from .sheets import current_sheet

ROUND_FIELDS = ["name", "year", "council_level", "unit", "held_on", "note", "is_demo"]
# QĐ 1489/QĐ-TTg of 06/07/2025 left two council levels, province and central
# (domain facts §3); its effective date is taken as its signing date.
DISTRICT_COUNCILS_END = datetime.date(2025, 7, 6)
# The highest rank each council recognises: under QĐ 148 the district 3★,
# the province 4★ (and 3★ since QĐ 1489), the central council 5★.
COUNCIL_MAX_STARS = {
    CouncilLevel.DISTRICT: 3,
    CouncilLevel.PROVINCE: 4,
    CouncilLevel.CENTRAL: 5,
}
Status = Evaluation.Status


# -- rounds ---------------------------------------------------------------------


@transaction.atomic
def create_round(*, by, **fields):
    """Open an evaluation round of a council.

    Refuses a district council meeting on or after 06/07/2025 (QĐ 1489) and
    a meeting day outside the round's year.
    """
    evaluation_round = EvaluationRound(**fields)
    _check_round(evaluation_round)
    evaluation_round.save()
    return log_created(evaluation_round, ROUND_FIELDS, "ocop.round.created", by=by)


@transaction.atomic
def update_round(evaluation_round, *, by, **fields):
    """Change a round (same rules) and record every changed field."""
    return apply_changes(
        evaluation_round,
        fields,
        ROUND_FIELDS,
        "ocop.round.changed",
        by=by,
        check=_check_round,
    )


def _check_round(evaluation_round):
    if (
        evaluation_round.council_level == CouncilLevel.DISTRICT
        and evaluation_round.held_on >= DISTRICT_COUNCILS_END
    ):
        raise OcopError(
            _(
                "Từ ngày 06/07/2025 (QĐ 1489/QĐ-TTg) chỉ còn hội đồng cấp tỉnh và "
                "cấp trung ương."
            )
        )
    if evaluation_round.held_on.year != evaluation_round.year:
        raise OcopError(_("Ngày họp hội đồng phải thuộc năm của đợt đánh giá."))


# -- the workflow ---------------------------------------------------------------


@transaction.atomic
def enter_product(evaluation_round, *, product, by, is_demo=False):
    """Put ``product`` into a round, on the current sheet of its group.

    Refuses an inactive product, a group without a loaded sheet, and a
    product already in the round.
    """
    if not product.is_active:
        raise OcopError(_("Sản phẩm không còn sản xuất, kinh doanh."))
    sheet = current_sheet(product.group)
    if sheet is None:
        raise OcopError(
            _("Chưa nạp phiếu chấm điểm cho nhóm “%(group)s”.")
            % {"group": product.get_group_display()}
        )
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                round=evaluation_round, product=product, sheet=sheet, is_demo=is_demo
            )
    except IntegrityError:
        raise OcopError(_("Sản phẩm đã có trong đợt đánh giá này.")) from None
    log_action(
        evaluation,
        "ocop.evaluation.created",
        by=by,
        data={"note": f"{evaluation_round} · {sheet}"},
    )
    return evaluation


def parse_points(criterion, raw):
    """A criterion's points from input, or OcopError naming the criterion."""
    try:
        points = Decimal(str(raw).replace(",", "."))
    except (InvalidOperation, ValueError):
        points = None
    if points is None or not points.is_finite():
        raise OcopError(
            _("Điểm của tiêu chí %(number)s không phải là số.")
            % {"number": criterion.number}
        )
    if not Decimal(0) <= points <= criterion.max_points:
        raise OcopError(
            _("Điểm của tiêu chí %(number)s phải từ 0 đến %(max)s.")
            % {"number": criterion.number, "max": criterion.max_points.normalize()}
        )
    if points != points.quantize(Decimal("0.01")):
        raise OcopError(
            _("Điểm của tiêu chí %(number)s có nhiều nhất hai chữ số thập phân.")
            % {"number": criterion.number}
        )
    return points


@transaction.atomic
def score_evaluation(evaluation, *, points, by):
    """Record the council's points for every criterion of the sheet.

    ``points`` maps criterion ids to numbers; every criterion of the
    evaluation's sheet needs one, between 0 and its maximum. The total is
    their sum and the stars follow from it (``ranking.stars_for``). Allowed
    from draft, and again from scored until the result is approved.
    """
    lock(evaluation)
    target = Status.check(evaluation.status, "score", OcopError)
    criteria = list(ScoringCriterion.objects.filter(part__sheet=evaluation.sheet_id))
    given = {str(key): value for key, value in points.items()}
    missing = [c.number for c in criteria if str(c.pk) not in given]
    if missing:
        raise OcopError(
            _("Còn thiếu điểm các tiêu chí: %(numbers)s.")
            % {"numbers": ", ".join(missing)}
        )
    known = {str(c.pk) for c in criteria}
    if set(given) - known:
        raise OcopError(_("Có điểm cho tiêu chí không thuộc phiếu chấm này."))
    rows = [
        Score(
            evaluation=evaluation,
            criterion=criterion,
            points=parse_points(criterion, given[str(criterion.pk)]),
        )
        for criterion in criteria
    ]
    total = sum((row.points for row in rows), Decimal(0))
    evaluation.scores.all().delete()
    Score.objects.bulk_create(rows)
    evaluation.status = target
    evaluation.total = total
    evaluation.stars = stars_for(total)
    evaluation.scored_by = by
    evaluation.scored_at = timezone.now()
    evaluation.return_reason = ""
    evaluation.save(
        update_fields=[
            "status",
            "total",
            "stars",
            "scored_by",
            "scored_at",
            "return_reason",
            "updated_at",
        ]
    )
    log_action(
        evaluation,
        "ocop.evaluation.scored",
        by=by,
        data={
            "note": _("%(total)s điểm, %(stars)s sao")
            % {"total": _points(total), "stars": evaluation.stars}
        },
    )
    return evaluation


@transaction.atomic
def approve_evaluation(evaluation, *, by):
    """Approve a scored result; not by the person who scored it."""
    lock(evaluation)
    target = Status.check(evaluation.status, "approve", OcopError)
    if evaluation.scored_by_id == by.pk:
        raise OcopError(_("Người chấm điểm không tự duyệt kết quả của mình."))
    evaluation.status = target
    evaluation.approved_by = by
    evaluation.approved_at = timezone.now()
    evaluation.save(
        update_fields=["status", "approved_by", "approved_at", "updated_at"]
    )
    log_action(
        evaluation,
        "ocop.evaluation.approved",
        by=by,
        data={"note": _("%(stars)s sao") % {"stars": evaluation.stars}},
    )
    return evaluation


@transaction.atomic
def send_back_evaluation(evaluation, *, reason, by):
    """Return a scored result to draft for re-scoring, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise OcopError(_("Hãy ghi lý do trả lại."))
    lock(evaluation)
    evaluation.status = Status.check(evaluation.status, "send_back", OcopError)
    evaluation.return_reason = reason
    evaluation.save(update_fields=["status", "return_reason", "updated_at"])
    log_action(evaluation, "ocop.evaluation.returned", by=by, data={"note": reason})
    return evaluation


@transaction.atomic
def certify_evaluation(evaluation, *, number, certificate_date, by):
    """Record the certificate of an approved result: number, date, validity.

    Refuses fewer than 3★ (not an OCOP product), more stars than the round's
    council recognises, a date before the council met or in the future. The
    certificate is valid to the same day 36 months later (``VALIDITY_MONTHS``).
    """
    number = (number or "").strip()
    if not number:
        raise OcopError(_("Hãy ghi số quyết định hoặc giấy chứng nhận."))
    lock(evaluation)
    target = Status.check(evaluation.status, "certify", OcopError)
    if evaluation.stars < OCOP_MIN_STARS:
        raise OcopError(
            _("Sản phẩm đạt %(stars)s sao: từ 3 sao trở lên mới được công nhận OCOP.")
            % {"stars": evaluation.stars}
        )
    evaluation_round = evaluation.round
    highest = COUNCIL_MAX_STARS[CouncilLevel(evaluation_round.council_level)]
    if evaluation.stars > highest:
        raise OcopError(
            _("Hội đồng %(level)s công nhận đến %(max)s sao.")
            % {
                "level": evaluation_round.get_council_level_display().lower(),
                "max": highest,
            }
        )
    if certificate_date < evaluation_round.held_on:
        raise OcopError(_("Ngày cấp không được trước ngày họp hội đồng."))
    if certificate_date > timezone.localdate():
        raise OcopError(_("Ngày cấp không được sau hôm nay."))
    evaluation.status = target
    evaluation.certificate_number = number
    evaluation.certificate_date = certificate_date
    evaluation.valid_until = Evaluation.valid_until_for(certificate_date)
    evaluation.save(
        update_fields=[
            "status",
            "certificate_number",
            "certificate_date",
            "valid_until",
            "updated_at",
        ]
    )
    log_action(
        evaluation,
        "ocop.evaluation.certified",
        by=by,
        data={
            "note": _("%(number)s ngày %(day)s, hiệu lực đến %(until)s")
            % {
                "number": number,
                "day": certificate_date.strftime("%d/%m/%Y"),
                "until": evaluation.valid_until.strftime("%d/%m/%Y"),
            }
        },
    )
    return evaluation


def _points(value):
    return f"{value.normalize():f}".replace(".", ",")
