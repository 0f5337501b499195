"""Pages of the evaluations: rounds, the scoring sheet, approval, certificates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ntm.core.models import ActionLog

from ..forms import (
    CertifyForm,
    EnterProductForm,
    RoundForm,
    ScoringForm,
    SendBackForm,
    SheetUploadForm,
)
from ..models import (
    Evaluation,
    EvaluationRound,
    Product,
    ScoringCriterion,
    ScoringPart,
    ScoringSheet,
)
from ..permissions import (
    allowed_actions,
    can_edit_round,
    can_enter_product,
    can_load_sheets,
    can_manage_rounds,
    can_score_evaluation,
    can_view_evaluation,
    round_keeper_paths,
    round_reader_paths,
)
from ..services import (
    OcopError,
    ScoringFileError,
    approve_evaluation,
    certify_evaluation,
    create_round,
    enter_product,
    load_scoring_file,
    score_evaluation,
    send_back_evaluation,
    update_round,
)
from .common import form_status

Status = Evaluation.Status


# -- rounds -------------------------------------------------------------------------


@login_required
def round_list(request):
    paths = round_reader_paths(request.user)
    if not paths:
        raise PermissionDenied
    rounds = EvaluationRound.objects.select_related("unit").annotate(
        products=Count("evaluations")
    )
    context = {
        "rounds": rounds,
        "can_create": can_manage_rounds(request.user),
        "queue": Evaluation.objects.within_any(paths, lineage=True)
        .open()
        .select_related("product__entity", "round")
        .order_by("round__held_on", "product__name"),
    }
    return render(request, "ocop/round_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    if not can_manage_rounds(request.user):
        raise PermissionDenied
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_round = create_round(by=request.user, **form.cleaned_data)
        except OcopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã mở đợt đánh giá."))
            return redirect("ocop:round-detail", evaluation_round.pk)
    return render(
        request, "ocop/round_form.html", {"form": form}, status=form_status(form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request, pk):
    evaluation_round = get_object_or_404(EvaluationRound, pk=pk)
    if not can_edit_round(request.user, evaluation_round):
        raise PermissionDenied
    form = RoundForm(request.POST or None, user=request.user, instance=evaluation_round)
    if request.method == "POST" and form.is_valid():
        try:
            update_round(evaluation_round, by=request.user, **form.cleaned_data)
        except OcopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("ocop:round-detail", evaluation_round.pk)
    context = {"form": form, "round": evaluation_round}
    return render(request, "ocop/round_form.html", context, status=form_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def round_detail(request, pk):
    """A round's products; the office adds products to it here."""
    evaluation_round = get_object_or_404(
        EvaluationRound.objects.select_related("unit"), pk=pk
    )
    paths = round_reader_paths(request.user)
    if not paths:
        raise PermissionDenied
    can_add = can_edit_round(request.user, evaluation_round)
    candidates = (
        Product.objects.active()
        .within_any(round_keeper_paths(request.user), lineage=True)
        .outside(evaluation_round)
        .select_related("entity")
        .order_by("entity__name", "name")
    )
    form = EnterProductForm(request.POST or None, products=candidates)
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            product = form.cleaned_data["product"]
            if not can_enter_product(request.user, evaluation_round, product):
                raise PermissionDenied
            try:
                enter_product(evaluation_round, product=product, by=request.user)
            except OcopError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Đã đưa sản phẩm vào đợt đánh giá."))
                return redirect("ocop:round-detail", evaluation_round.pk)
    evaluations = (
        evaluation_round.evaluations.within_any(paths, lineage=True)
        .select_related("product__entity", "sheet")
        .order_by("product__name")
    )
    context = {
        "round": evaluation_round,
        "evaluations": evaluations,
        "form": form if can_add else None,
        "can_edit": can_add,
    }
    return render(request, "ocop/round_detail.html", context, status=form_status(form))


# -- evaluations --------------------------------------------------------------------


def evaluation_detail(request, pk):
    evaluation = get_object_or_404(_evaluations(), pk=pk)
    if not can_view_evaluation(request.user, evaluation):
        raise PermissionDenied
    return _render_evaluation(request, evaluation)


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_score(request, pk):
    """The whole scoring sheet in one form: every criterion, one save."""
    evaluation = get_object_or_404(_evaluations(), pk=pk)
    if not can_score_evaluation(request.user, evaluation):
        raise PermissionDenied
    form = ScoringForm(request.POST or None, evaluation=evaluation)
    if request.method == "POST" and form.is_valid():
        try:
            score_evaluation(evaluation, points=form.points(), by=request.user)
        except OcopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Đã chấm %(total)s điểm: %(stars)s sao.")
                % {"total": evaluation.total, "stars": evaluation.stars},
            )
            return redirect(evaluation)
    context = {"evaluation": evaluation, "form": form}
    return render(
        request, "ocop/evaluation_score.html", context, status=form_status(form)
    )


@login_required
@require_POST
def evaluation_approve(request, pk):
    evaluation = get_object_or_404(_evaluations(), pk=pk)
    if "approve" not in allowed_actions(request.user, evaluation):
        raise PermissionDenied
    try:
        approve_evaluation(evaluation, by=request.user)
    except OcopError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã duyệt kết quả đánh giá."))
    return redirect(evaluation)


@login_required
@require_POST
def evaluation_send_back(request, pk):
    evaluation = get_object_or_404(_evaluations(), pk=pk)
    if "send_back" not in allowed_actions(request.user, evaluation):
        raise PermissionDenied
    form = SendBackForm(request.POST)
    if form.is_valid():
        try:
            send_back_evaluation(
                evaluation, reason=form.cleaned_data["reason"], by=request.user
            )
        except OcopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã trả lại để chấm lại."))
            return redirect(evaluation)
    return _render_evaluation(request, evaluation, send_back_form=form, status=400)


@login_required
@require_POST
def evaluation_certify(request, pk):
    evaluation = get_object_or_404(_evaluations(), pk=pk)
    if "certify" not in allowed_actions(request.user, evaluation):
        raise PermissionDenied
    form = CertifyForm(request.POST)
    if form.is_valid():
        try:
            certify_evaluation(evaluation, by=request.user, **form.cleaned_data)
        except OcopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã ghi nhận giấy chứng nhận."))
            return redirect(evaluation)
    return _render_evaluation(request, evaluation, certify_form=form, status=400)


def _evaluations():
    return Evaluation.objects.select_related(
        "product__entity__unit", "round__unit", "sheet", "scored_by", "approved_by"
    )


def _render_evaluation(
    request, evaluation, *, send_back_form=None, certify_form=None, status=200
):
    allowed = allowed_actions(request.user, evaluation)
    scores = {s.criterion_id: s.points for s in evaluation.scores.all()}
    parts = evaluation.sheet.parts.prefetch_related("criteria")
    context = {
        "evaluation": evaluation,
        "round_visible": bool(round_reader_paths(request.user)),
        "expired": evaluation.is_expired_on(timezone.localdate()),
        "parts": [
            (part, [(c, scores.get(c.pk)) for c in part.criteria.all()])
            for part in parts
        ],
        # One entry per action open to this user now, for its own form.
        **{
            f"{action.name}_action": action
            for action in Status.actions_from(evaluation.status, allowed=allowed)
        },
        "send_back_form": send_back_form or SendBackForm(),
        "certify_form": certify_form or CertifyForm(),
        "history": ActionLog.objects.for_object(evaluation).select_related("actor"),
    }
    return render(request, "ocop/evaluation_detail.html", context, status=status)


# -- scoring sheets -----------------------------------------------------------------


def sheet_list(request):
    """Public: the sheets in use, each criterion flagged when unconfirmed."""
    sheets = ScoringSheet.objects.prefetch_related(
        Prefetch(
            "parts",
            queryset=ScoringPart.objects.prefetch_related(
                Prefetch(
                    "criteria", queryset=ScoringCriterion.objects.order_by("order")
                )
            ),
        )
    ).annotate(used=Count("evaluations"))
    form = SheetUploadForm() if can_load_sheets(request.user) else None
    return render(request, "ocop/sheet_list.html", {"sheets": sheets, "form": form})


@login_required
@require_POST
def sheet_upload(request):
    """A district admin loads a new version of a sheet (or replaces an unused one)."""
    if not can_load_sheets(request.user):
        raise PermissionDenied
    form = SheetUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            sheet, action = load_scoring_file(
                upload.read(),
                name=upload.name,
                by=request.user,
                force=form.cleaned_data["force"],
            )
        except ScoringFileError as error:
            form.add_error("file", str(error))
        else:
            if action is None:
                messages.info(
                    request,
                    _("Phiếu %(sheet)s đã có; không thay đổi.") % {"sheet": sheet},
                )
            else:
                messages.success(request, _("Đã nạp %(sheet)s.") % {"sheet": sheet})
            return redirect("ocop:sheet-list")
    sheets = ScoringSheet.objects.prefetch_related("parts__criteria").annotate(
        used=Count("evaluations")
    )
    return render(
        request,
        "ocop/sheet_list.html",
        {"sheets": sheets, "form": form},
        status=400,
    )
