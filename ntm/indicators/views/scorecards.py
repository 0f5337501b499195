"""Public evaluation pages: a unit's scorecard, one requirement's drill-down,
the matrix of every unit below an area, and their workbooks. Evaluations are
aggregates without personal data, so these pages are public.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from ntm.core.models import ActionLog
from ntm.core.publiccache import shared_page
from ntm.core.spreadsheets import xlsx_response
from ntm.units.models import Unit
from ntm.units.queries import UnitNotFound, areas_on

from .. import exports
from ..evaluation import MET, Context, evaluate, measure
from ..forms import MatrixFilterForm
from ..models import CriteriaSet, Indicator, IndicatorValue, Period, Requirement
from ..permissions import can_enter_value
from .common import (
    areas_of_level,
    set_and_year,
    unit_in,
    unit_or_404,
    year_end,
    year_url,
    years_of,
)


@shared_page
def evaluation_detail(request, set_code, unit_code):
    """A unit's scorecard against one set: criteria, values, sources."""
    page = _scorecard(request, set_code, unit_code)
    return render(request, "indicators/evaluation_detail.html", page)


def evaluation_export(request, set_code, unit_code):
    """The scorecard as a workbook (public, as the page is)."""
    page = _scorecard(request, set_code, unit_code)
    content = exports.scorecard_workbook(page["evaluation"], int(page["year"]))
    return xlsx_response(content, f"danh-gia-{page['unit'].code}-{page['year']}")


def _scorecard(request, set_code, unit_code):
    """The scorecard page's context (a unit missing that year is a UnitNotFound,
    which the units middleware answers)."""
    criteria_set, year = set_and_year(request, set_code)
    unit = unit_or_404(unit_code, year, level=criteria_set.level)
    period = Period.year(year)
    # Scoped: a commune's scorecard reads that commune's villages, not the
    # country's (ntm.indicators.providers.Within).
    context = Context(period, within=[unit])
    evaluation = evaluate(criteria_set, [unit], period, context)[unit.pk]
    sets = CriteriaSet.objects.active().for_year(year).filter(level=unit.level)
    return {
        "evaluation": evaluation,
        "counts": evaluation.counts(),
        "unit": unit,
        "criteria_set": criteria_set,
        "year": str(year),
        "years": years_of(criteria_set),
        "sets": sets,
        "can_enter": can_enter_value(request.user, unit),
    }


@shared_page
def requirement_detail(request, set_code, unit_code, code):
    """One requirement of a scorecard: value, parts, evidence, history, children."""
    criteria_set, year = set_and_year(request, set_code)
    unit = unit_or_404(unit_code, year, level=criteria_set.level)
    period = Period.year(year)
    context = Context(period, within=[unit])
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


@shared_page
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
    criteria_set, year = set_and_year(request, set_code)
    try:
        parent = unit_in(parent_code, year)
    except UnitNotFound as missing:
        return _matrix_areas(request, criteria_set, year, missing)
    if parent.level >= criteria_set.level:
        raise Http404(_("Đơn vị này không có đơn vị cấp dưới thuộc bộ tiêu chí."))
    day = year_end(year)
    units = (
        Unit.objects.valid_on(day)
        .within(parent)
        .at_level(criteria_set.level)
        .select_related("parent")
        .in_natural_order()
    )
    period = Period.year(year)
    evaluations = list(
        evaluate(criteria_set, units, period, Context(period, within=[parent])).values()
    )
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
        "years": years_of(criteria_set),
        "criteria": criteria,
        "form": form,
        "fields": [form[form.field_name(c)] for c in criteria],
        "rows": rows,
        "total_units": len(evaluations),
        "total_met": sum(1 for e in evaluations if e.status == MET),
        "totals": totals,
        "show_parent": any(u.parent_id != parent.pk for u in units),
    }


def _matrix_areas(request, criteria_set, year, missing):
    """The matrices that year offers when the asked unit did not exist then.

    Choosing 2024 on the city's matrix (the city was formed in 2025) lists
    the province and district that held its territory in 2024, or every area
    of the set's level when no reorganisation links the code.
    """
    day = year_end(year)
    areas = list(areas_on(missing, day=day, below_level=criteria_set.level))
    return render(
        request,
        "indicators/matrix_areas.html",
        {
            "criteria_set": criteria_set,
            "missing": missing,
            "areas": areas or areas_of_level(criteria_set.level, day),
            "year": str(year),
            "years": years_of(criteria_set),
        },
        status=404,
    )


def _children(indicator, unit, year, context):
    """The unit's children with their value of the indicator, and a link each."""
    day = year_end(year)
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
                "url": year_url(
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
            url = year_url(
                "indicators:requirement-detail",
                [elsewhere.criterion.criteria_set.code, child.code, elsewhere.code],
                year,
            )
        rows.append({"unit": child, "measurement": measured[child.pk], "url": url})
    return rows
