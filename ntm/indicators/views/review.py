"""The review queue: submitted values below the reviewer's units, approving
them and sending them back with a reason.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import ReturnForm
from ..models import IndicatorValue
from ..permissions import REVIEWERS, can_review_value
from ..services import WorkflowError, approve_value, return_value

# The transitions a reviewer may make on a value they did not submit.
REVIEWING = {"approve", "send_back"}


@login_required
def review_queue(request):
    paths = request.user.paths(*REVIEWERS)
    if not paths:
        raise PermissionDenied
    return _render_queue(request, paths)


@login_required
@require_POST
def value_approve(request, pk):
    value = _reviewable(request, pk)
    try:
        approve_value(value, by=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Đã duyệt %(code)s của %(unit)s.")
            % {"code": value.indicator.code, "unit": value.unit},
        )
    return _redirect_next(request, "indicators:review-queue")


@login_required
@require_POST
def value_return(request, pk):
    value = _reviewable(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _render_queue(
            request, request.user.paths(*REVIEWERS), bound={value.pk: form}
        )
    try:
        return_value(value, by=request.user, reason=form.cleaned_data["reason"])
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Đã trả lại %(code)s của %(unit)s.")
            % {"code": value.indicator.code, "unit": value.unit},
        )
    return _redirect_next(request, "indicators:review-queue")


def _reviewable(request, pk):
    value = get_object_or_404(
        IndicatorValue.objects.select_related("unit", "indicator", "submitted_by"),
        pk=pk,
    )
    if not can_review_value(request.user, value):
        raise PermissionDenied
    return value


def _render_queue(request, paths, bound=None):
    values = (
        IndicatorValue.objects.submitted()
        .within_any(paths)
        .select_related("indicator", "unit__parent", "period", "submitted_by")
        .prefetch_related("evidence")
        .order_by("submitted_at")
    )
    bound = bound or {}
    rows = []
    for value in values:
        can_review = can_review_value(request.user, value)
        rows.append(
            {
                "value": value,
                "can_review": can_review,
                "actions": IndicatorValue.Status.actions_from(
                    value.status, allowed=REVIEWING if can_review else ()
                ),
                "form": bound.get(value.pk) or ReturnForm(auto_id=f"id_{value.pk}_%s"),
            }
        )
    return render(
        request,
        "indicators/review_queue.html",
        {"rows": rows},
        status=422 if bound else 200,
    )


def _redirect_next(request, default):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)
