"""Screens of the engine: scorecards, matrices, entry, review, criteria sets.

Evaluations are aggregates without personal data, so scorecards, matrices
and criteria sets are public; entering and reviewing values need a role.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ntm.core.models import ActionLog
from ntm.core.numbers import plain_number
from ntm.core.spreadsheets import ImportForm, xlsx_response
from ntm.core.states import Actions
from ntm.units.models import Unit
from ntm.units.queries import UnitNotFound, areas_on, get_unit

from . import exports
from .evaluation import MET, Context, evaluate, measure
from .forms import (
    EvidenceForm,
    MatrixFilterForm,
    RequirementForm,
    ReturnForm,
    ValueForm,
    YearForm,
)
from .imports import ValueImportError, import_values
from .models import (
    CriteriaSet,
    Evidence,
    Indicator,
    IndicatorValue,
    Period,
    Requirement,
)
from .permissions import (
    ENTERERS,
    REVIEWERS,
    can_edit_criteria,
    can_enter_value,
    can_review_value,
)
from .services import (
    WorkflowError,
    add_evidence,
    approve_value,
    return_value,
    save_value,
    submit_value,
    update_requirement,
)

# The transitions a reviewer may make on a value they did not submit.
REVIEWING = {"approve", "send_back"}


# -- criteria sets ------------------------------------------------------------


def criteriaset_list(request):
    sets = CriteriaSet.objects.active().order_by("level", "code", "-version")
    return render(request, "indicators/criteriaset_list.html", {"sets": sets})


def criteriaset_detail(request, set_code):
    criteria_set, year = _set_and_year(request, set_code)
    day = _day(year)
    criteria = criteria_set.criteria.prefetch_related(
        "requirements__indicator"
    ).order_by("order")
    areas = _areas(criteria_set.level, day)
    return render(
        request,
        "indicators/criteriaset_detail.html",
        {
            "criteria_set": criteria_set,
            "criteria": criteria,
            "year": str(year),
            "years": _years(criteria_set),
            "areas": areas,
            "can_edit": can_edit_criteria(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def requirement_edit(request, pk):
    requirement = get_object_or_404(
        Requirement.objects.select_related("indicator", "criterion__criteria_set"),
        pk=pk,
    )
    if not can_edit_criteria(request.user):
        raise PermissionDenied
    form = RequirementForm(request.POST or None, requirement=requirement)
    if request.method == "POST" and form.is_valid():
        try:
            update_requirement(requirement, by=request.user, **form.changed_fields())
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu yêu cầu %s.") % requirement.code)
            return redirect(
                "indicators:criteriaset-detail",
                requirement.criterion.criteria_set.code,
            )
    return render(
        request,
        "indicators/requirement_edit.html",
        {
            "requirement": requirement,
            "form": form,
            "history": ActionLog.objects.for_object(requirement).select_related(
                "actor"
            ),
        },
        status=422 if form.errors else 200,
    )


# -- scorecards and matrices --------------------------------------------------


def evaluation_detail(request, set_code, unit_code):
    """A unit's scorecard against one set: criteria, values, sources."""
    page = _scorecard(request, set_code, unit_code)
    if not isinstance(page, dict):
        return page
    return render(request, "indicators/evaluation_detail.html", page)


def evaluation_export(request, set_code, unit_code):
    """The scorecard as a workbook (public, as the page is)."""
    page = _scorecard(request, set_code, unit_code)
    if not isinstance(page, dict):
        return page
    content = exports.scorecard_workbook(page["evaluation"], int(page["year"]))
    return xlsx_response(content, f"danh-gia-{page['unit'].code}-{page['year']}")


def _scorecard(request, set_code, unit_code):
    """The scorecard page's context, or the response saying the unit is missing."""
    criteria_set, year = _set_and_year(request, set_code)
    unit = _unit_or_404(unit_code, year, level=criteria_set.level)
    period = Period.year(year)
    context = Context(period)
    evaluation = evaluate(criteria_set, [unit], period, context)[unit.pk]
    sets = CriteriaSet.objects.active().for_year(year).filter(level=unit.level)
    return {
        "evaluation": evaluation,
        "counts": evaluation.counts(),
        "unit": unit,
        "criteria_set": criteria_set,
        "year": str(year),
        "years": _years(criteria_set),
        "sets": sets,
        "can_enter": can_enter_value(request.user, unit),
        "closed": not context.live,
    }


def requirement_detail(request, set_code, unit_code, code):
    """One requirement of a scorecard: value, parts, evidence, history, children."""
    criteria_set, year = _set_and_year(request, set_code)
    unit = _unit_or_404(unit_code, year, level=criteria_set.level)
    period = Period.year(year)
    context = Context(period)
    result = evaluate(criteria_set, [unit], period, context)[unit.pk].result_for(code)
    if result is None:
        raise Http404(_("Bộ tiêu chí không có yêu cầu %s.") % code)
    indicator = result.requirement.indicator
    entry = (
        IndicatorValue.objects.filter(indicator=indicator, unit=unit, period=period)
        .select_related("submitted_by", "reviewed_by")
        .prefetch_related("evidence")
        .first()
    )
    page = {
        "result": result,
        "indicator": indicator,
        "unit": unit,
        "criteria_set": criteria_set,
        "year": str(year),
        "entry": entry,
        "history": ActionLog.objects.for_object(entry).select_related("actor")
        if entry
        else [],
        "children": _children(indicator, unit, year, context),
        "can_enter": can_enter_value(request.user, unit),
    }
    template = "indicators/requirement_detail.html"
    if request.htmx:
        template += "#drilldown"
    return render(request, template, page)


def evaluation_matrix(request, set_code, parent_code):
    """Every unit of the set's level below ``parent_code``, criterion by criterion."""
    page = _matrix(request, set_code, parent_code)
    if not isinstance(page, dict):
        return page
    template = "indicators/evaluation_matrix.html"
    if request.htmx:
        template += "#matrix"
    return render(request, template, page)


def evaluation_matrix_export(request, set_code, parent_code):
    """The matrix as a workbook, with the page's filters (public, as it is)."""
    page = _matrix(request, set_code, parent_code)
    if not isinstance(page, dict):
        return page
    content = exports.matrix_workbook(page)
    return xlsx_response(content, f"bang-tong-hop-{page['parent'].code}-{page['year']}")


def _matrix(request, set_code, parent_code):
    """The matrix page's context, or the response saying the unit is missing."""
    criteria_set, year = _set_and_year(request, set_code)
    try:
        parent = _unit_in(parent_code, year)
    except UnitNotFound as missing:
        return _matrix_areas(request, criteria_set, year, missing)
    if parent.level >= criteria_set.level:
        raise Http404(_("Đơn vị này không có đơn vị cấp dưới thuộc bộ tiêu chí."))
    day = _day(year)
    units = (
        Unit.objects.valid_on(day)
        .within(parent)
        .at_level(criteria_set.level)
        .select_related("parent")
        .in_natural_order()
    )
    evaluations = list(evaluate(criteria_set, units, Period.year(year)).values())
    criteria = list(criteria_set.criteria.order_by("order"))
    form = MatrixFilterForm(request.GET, criteria=criteria)
    rows = form.apply(evaluations)
    totals = [
        sum(1 for e in evaluations if e.criteria[i].status == MET)
        for i in range(len(criteria))
    ]
    # The export takes the filters shown, whatever htmx has changed since.
    query = request.GET.copy()
    query["nam"] = str(year)
    return {
        "export_query": query.urlencode(),
        "criteria_set": criteria_set,
        "parent": parent,
        "year": str(year),
        "years": _years(criteria_set),
        "criteria": criteria,
        "form": form,
        "fields": [form[form.field_name(c)] for c in criteria],
        "rows": rows,
        "total_units": len(evaluations),
        "total_met": sum(1 for e in evaluations if e.status == MET),
        "totals": totals,
        "show_parent": any(u.parent_id != parent.pk for u in units),
    }


# -- entering values ----------------------------------------------------------


@login_required
def entry_start(request):
    """The units where the user may enter values this year."""
    year = YearForm(request.GET).year() or timezone.localdate().year
    day = _day(year)
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
    unit, period = _entry_unit(request, unit_code)
    return _render_entry(request, unit, period)


@login_required
@require_POST
def value_save(request, unit_code, indicator_code):
    unit, period = _entry_unit(request, unit_code)
    indicator = _entered_indicator(unit, period, indicator_code)
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
        return _back_to_entry(unit, period, indicator)
    return _render_entry(request, unit, period, bound={indicator.pk: form}, status=422)


@login_required
@require_POST
def evidence_add(request, unit_code, indicator_code):
    unit, period = _entry_unit(request, unit_code)
    indicator = _entered_indicator(unit, period, indicator_code)
    entry = _entry_or_404(indicator, unit, period)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Chưa chọn tệp minh chứng."))
        return _back_to_entry(unit, period, indicator)
    try:
        add_evidence(entry, upload=form.cleaned_data["file"], by=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã thêm minh chứng cho %s.") % indicator.code)
    return _back_to_entry(unit, period, indicator)


@login_required
@require_POST
def value_submit(request, unit_code, indicator_code):
    unit, period = _entry_unit(request, unit_code)
    indicator = _entered_indicator(unit, period, indicator_code)
    entry = _entry_or_404(indicator, unit, period)
    try:
        submit_value(entry, by=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã gửi duyệt %s.") % indicator.code)
    return _back_to_entry(unit, period, indicator)


@login_required
def value_template(request, unit_code):
    unit, period = _entry_unit(request, unit_code)
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
    unit, period = _entry_unit(request, unit_code)
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


@login_required
def evidence_download(request, pk):
    evidence = get_object_or_404(Evidence.objects.select_related("value__unit"), pk=pk)
    value = evidence.value
    if not (
        can_enter_value(request.user, value.unit)
        or can_review_value(request.user, value)
    ):
        raise PermissionDenied
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.name
    )


# -- review -------------------------------------------------------------------


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


# -- helpers ------------------------------------------------------------------


def _day(year):
    """Pages read units as they were on the last day of the year."""
    return datetime.date(year, 12, 31)


def _years(criteria_set):
    this_year = timezone.localdate().year
    first = criteria_set.first_year or this_year - 2
    last = criteria_set.last_year or this_year
    return [str(year) for year in range(first, last + 1)]


def _set_and_year(request, set_code):
    """The set version in force in the requested year, and that year.

    Without ``?nam=`` the year is the current one, or the set's last year
    when the set has ended (a 2023–2025 set opens on 2025, not on nothing).
    """
    versions = CriteriaSet.objects.active().filter(code=set_code)
    year = YearForm(request.GET).year()
    if year is None:
        year = timezone.localdate().year
        latest = versions.order_by("-version").first()
        if latest is None:
            raise Http404(_("Không có bộ tiêu chí %s.") % set_code)
        if not versions.for_year(year).exists():
            if latest.last_year and latest.last_year < year:
                year = latest.last_year
            elif latest.first_year and latest.first_year > year:
                year = latest.first_year
    criteria_set = versions.for_year(year).order_by("-version").first()
    if criteria_set is None:
        raise Http404(
            _("Bộ tiêu chí %(code)s không áp dụng cho năm %(year)s.")
            % {"code": set_code, "year": year}
        )
    return criteria_set, year


def _unit_in(code, year):
    """The unit carrying ``code`` on 31/12 of ``year`` (UnitNotFound if none)."""
    return get_unit(
        code, on=_day(year), queryset=Unit.objects.select_related("parent__parent")
    )


def _unit_or_404(code, year, level=None):
    """The unit carrying ``code`` on 31/12 of ``year`` and ``level``."""
    unit = _unit_in(code, year)
    if level is not None and unit.level != level:
        raise Http404(_("Bộ tiêu chí này không áp dụng cho cấp của đơn vị."))
    return unit


def _matrix_areas(request, criteria_set, year, missing):
    """The matrices that year offers when the asked unit did not exist then.

    Choosing 2024 on the city's matrix (the city was formed in 2025) lists
    the province and district that held its territory in 2024, or every area
    of the set's level when no reorganisation links the code.
    """
    day = _day(year)
    areas = list(areas_on(missing, day=day, below_level=criteria_set.level))
    return render(
        request,
        "indicators/matrix_areas.html",
        {
            "criteria_set": criteria_set,
            "missing": missing,
            "areas": areas or _areas(criteria_set.level, day),
            "year": str(year),
            "years": _years(criteria_set),
        },
        status=404,
    )


def _areas(level, day):
    """Units whose children are at ``level`` on ``day``: the matrices to open."""
    for parent_level in range(level - 1, 0, -1):
        areas = list(Unit.objects.valid_on(day).at_level(parent_level))
        if areas:
            return areas
    return []


def _children(indicator, unit, year, context):
    """The unit's children with their value of the indicator, and a link each."""
    day = _day(year)
    if indicator.source == Indicator.Source.ROLLUP:
        units = list(
            Unit.objects.valid_on(day)
            .within(unit)
            .at_level(indicator.rollup_level)
            .in_natural_order()
        )
        evaluations = evaluate(indicator.rollup_set, units, context.period, context)
        return [
            {
                "unit": child,
                "status": evaluations[child.pk].status,
                "url": _url(
                    "indicators:evaluation-detail",
                    [indicator.rollup_set.code, child.code],
                    year,
                ),
            }
            for child in units
        ]
    if indicator.source == Indicator.Source.ENTERED and indicator.level <= unit.level:
        # Entered for the unit itself: its children have no value of it.
        return []
    units = list(unit.children.valid_on(day).in_natural_order())
    if not units:
        return []
    measured = measure(indicator, units, context)
    # The drill-down of a set at the children's level using the same indicator.
    elsewhere = (
        Requirement.objects.filter(
            indicator=indicator, criterion__criteria_set__level=units[0].level
        )
        .filter(criterion__criteria_set__in=CriteriaSet.objects.active().for_year(year))
        .select_related("criterion__criteria_set")
        .first()
    )
    rows = []
    for child in units:
        url = None
        if elsewhere is not None:
            url = _url(
                "indicators:requirement-detail",
                [elsewhere.criterion.criteria_set.code, child.code, elsewhere.code],
                year,
            )
        rows.append({"unit": child, "measurement": measured[child.pk], "url": url})
    return rows


def _url(name, args, year):
    return f"{reverse(name, args=args)}?nam={year}"


def _entry_unit(request, unit_code):
    year = YearForm(request.GET).year() or timezone.localdate().year
    unit = get_unit(unit_code, on=_day(year))
    if not can_enter_value(request.user, unit):
        raise PermissionDenied
    return unit, Period.year(year)


def _entered_indicator(unit, period, code):
    indicators = exports.entered_indicators(unit, int(period.code))
    return get_object_or_404(indicators, code=code)


def _entry_or_404(indicator, unit, period):
    return get_object_or_404(
        IndicatorValue.objects.select_related("reviewed_by", "submitted_by"),
        indicator=indicator,
        unit=unit,
        period=period,
    )


def _entry_url(unit, period):
    return _url("indicators:value-entry", [unit.code], period.code)


def _back_to_entry(unit, period, indicator):
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
