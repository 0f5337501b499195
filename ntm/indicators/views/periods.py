"""Reporting periods: closing a year (its figures frozen) and reopening one,
with a reason, to correct it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from ..forms import ReopenForm
from ..models import Period
from ..permissions import can_close_period
from ..services import WorkflowError, close_period, reopen_period

CLOSED = _lazy(
    "Đã khóa sổ %(period)s: %(count)s giá trị tính từ dữ liệu được lưu cố định."
)


@login_required
@require_GET
def period_list(request):
    if not can_close_period(request.user):
        raise PermissionDenied
    return _render_periods(request)


def _render_periods(request, bound=None):
    today = timezone.localdate()
    periods = Period.objects.select_related("closed_by", "reopened_by").order_by(
        "-start"
    )
    rows = [
        {
            "period": period,
            "actions": Period.Status.actions_from(period.status),
            # close_period refuses a year still running: no button for it.
            "ended": period.end < today,
            "form": (bound or {}).get(period.pk) or ReopenForm(),
        }
        for period in periods
    ]
    return render(
        request,
        "indicators/period_list.html",
        {"rows": rows},
        status=422 if bound else 200,
    )


@login_required
@require_POST
def period_close(request, code):
    period = _period(request, code)
    try:
        frozen = close_period(period, by=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            CLOSED % {"period": period, "count": frozen},
        )
    return redirect("indicators:period-list")


@login_required
@require_POST
def period_reopen(request, code):
    period = _period(request, code)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _render_periods(request, bound={period.pk: form})
    try:
        reopen_period(period, by=request.user, reason=form.cleaned_data["reason"])
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã mở lại %(period)s.") % {"period": period})
    return redirect("indicators:period-list")


def _period(request, code):
    if not can_close_period(request.user):
        raise PermissionDenied
    return get_object_or_404(Period, code=code)
