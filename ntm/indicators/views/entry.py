"""Entering values: the units a user may enter for, the entry page with its
workbook template and import, saving a draft and sending it for review.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ntm.core.numbers import plain_number
from ntm.core.spreadsheets import ImportForm, xlsx_response
from ntm.core.states import Actions
from ntm.units.models import Unit
from ntm.units.queries import get_unit

from .. import exports
from ..forms import EvidenceForm, ValueForm, YearForm
from ..imports import ValueImportError, import_values
from ..models import IndicatorValue, Period
from ..permissions import ENTERERS, can_enter_value, can_review_value
from ..services import WorkflowError, save_value, submit_value
from .common import year_end, year_url


@login_required
def entry_start(request):
    """The units where the user may enter values this year."""
    year = YearForm(request.GET).year() or timezone.localdate().year
    day = year_end(year)
    held = Unit.objects.valid_on(day).filter(
        memberships__user=request.user, memberships__role__in=ENTERERS
    )
    if not request.user.memberships.filter(role__in=ENTERERS).exists():
        raise PermissionDenied
    units = []
    for unit in held.distinct():
        units.append(unit)
        units.extend(unit.children.valid_on(day).filter(level__lte=Unit.Level.COMMUNE))
    return render(
        request,
        "indicators/entry_start.html",
        {"units": units, "year": str(year)},
    )


@login_required
def value_entry(request, unit_code):
    unit, period = entry_unit(request, unit_code)
    return _render_entry(request, unit, period)


@login_required
@require_POST
def value_save(request, unit_code, indicator_code):
    unit, period = entry_unit(request, unit_code)
    indicator = entered_indicator(unit, period, indicator_code)
    form = ValueForm(request.POST, auto_id=f"id_{indicator.pk}_%s")
    if form.is_valid():
        try:
            save_value(
                indicator=indicator,
                unit=unit,
                period=period,
                by=request.user,
                **form.cleaned_data,
            )
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã lưu nháp %s.") % indicator.code)
        return back_to_entry(unit, period, indicator)
    return _render_entry(request, unit, period, bound={indicator.pk: form}, status=422)


@login_required
@require_POST
def value_submit(request, unit_code, indicator_code):
    unit, period = entry_unit(request, unit_code)
    indicator = entered_indicator(unit, period, indicator_code)
    entry = entry_or_404(indicator, unit, period)
    try:
        submit_value(entry, by=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã gửi duyệt %s.") % indicator.code)
    return back_to_entry(unit, period, indicator)


@login_required
def value_template(request, unit_code):
    unit, period = entry_unit(request, unit_code)
    indicators = list(exports.entered_indicators(unit, int(period.code)))
    content = exports.build_entry_template(
        unit,
        period,
        indicators,
        exports.current_values(unit, period, indicators),
    )
    return xlsx_response(content, f"mau-nhap-chi-tieu-{unit.code}-{period.code}")


@login_required
@require_POST
def value_import(request, unit_code):
    unit, period = entry_unit(request, unit_code)
    form = ImportForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        try:
            result = import_values(
                form.cleaned_data["file"],
                unit=unit,
                period=period,
                indicators=exports.entered_indicators(unit, int(period.code)),
                by=request.user,
            )
        except ValueImportError as error:
            report = error
        else:
            messages.success(
                request, _("Giá trị được lưu dạng nháp.") + " " + result.message
            )
            return redirect(_entry_url(unit, period))
    return _render_entry(
        request, unit, period, import_form=form, report=report, status=422
    )


def entry_unit(request, unit_code):
    year = YearForm(request.GET).year() or timezone.localdate().year
    unit = get_unit(unit_code, on=year_end(year))
    if not can_enter_value(request.user, unit):
        raise PermissionDenied
    return unit, Period.year(year)


def entered_indicator(unit, period, code):
    indicators = exports.entered_indicators(unit, int(period.code))
    return get_object_or_404(indicators, code=code)


def entry_or_404(indicator, unit, period):
    return get_object_or_404(
        IndicatorValue.objects.select_related("reviewed_by", "submitted_by"),
        indicator=indicator,
        unit=unit,
        period=period,
    )


def _entry_url(unit, period):
    return year_url("indicators:value-entry", [unit.code], period.code)


def back_to_entry(unit, period, indicator):
    return redirect(f"{_entry_url(unit, period)}#ct-{indicator.pk}")


def _render_entry(
    request, unit, period, bound=None, import_form=None, report=None, status=200
):
    year = int(period.code)
    indicators = list(
        exports.entered_indicators(unit, year).prefetch_related(
            "requirements__criterion__criteria_set"
        )
    )
    values = exports.current_values(unit, period, indicators)
    bound = bound or {}
    rows = []
    for indicator in indicators:
        entry = values.get(indicator.pk)
        form = bound.get(indicator.pk) or ValueForm(
            auto_id=f"id_{indicator.pk}_%s",
            initial={
                "value": plain_number(entry.value) if entry else "",
                "note": entry.note if entry else "",
            },
        )
        rows.append(
            {
                "indicator": indicator,
                "entry": entry,
                "form": form,
                "evidence_form": EvidenceForm(auto_id=f"id_{indicator.pk}_ev_%s"),
                "requirements": [
                    r
                    for r in indicator.requirements.all()
                    if r.criterion.criteria_set.is_active
                ],
                "actions": _entry_actions(request.user, entry),
            }
        )
    return render(
        request,
        "indicators/value_entry.html",
        {
            "unit": unit,
            "period": period,
            "year": str(year),
            "rows": rows,
            "import_form": import_form or ImportForm(),
            "report": report,
        },
        status=status,
    )


def _entry_actions(user, entry):
    """What the entry page offers on a value: sending it for review, and to a
    reviewer, returning it (which unlocks an approved value)."""
    if entry is None:
        return Actions()
    reviewer = can_review_value(user, entry)
    allowed = {"submit", "send_back"} if reviewer else {"submit"}
    return IndicatorValue.Status.actions_from(entry.status, allowed=allowed)
