"""The tables of a report, computed by the engine: nobody types these figures.

Rows are plain strings (numbers already in Vietnamese notation) so that the
page and the DOCX print the same thing; ``typed`` rows keep the measured
value as a number (or yes/no) for the XLSX annex.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ntm.core.numbers import format_quantity
from ntm.indicators.evaluation import (
    MET,
    NOT_APPLICABLE,
    NOT_MET,
    Context,
    measure,
    verdict,
)
from ntm.indicators.exports import value_cell
from ntm.indicators.models import Period
from ntm.plans.progress import target_results

from .models import SectionSpec

STATUS_TEXT = {
    MET: gettext_lazy("Đạt"),
    NOT_MET: gettext_lazy("Chưa đạt"),
    NOT_APPLICABLE: gettext_lazy("Không áp dụng"),
}
NO_DATA_TEXT = gettext_lazy("Chưa có số liệu")


def plan_target_table(form, *, context=None, typed=False):
    """(header, rows): every target of the form's plan measured in its year."""
    header = [_("Mục tiêu"), _("Nội dung"), _("Yêu cầu"), _("Kết quả"), _("Đánh giá")]
    if form.plan is None:
        return header, []
    rows = [
        [
            result.target.number,
            result.target.title,
            result.target.requirement.threshold_display,
            _value(result.value, result.target.indicator, typed),
            _status(result.status),
        ]
        for result in target_results(
            form.plan, form.year, laggards=False, context=context
        )
    ]
    return header, rows


def unit_figure_table(form, unit, *, context=None, typed=False):
    """(header, rows): the plan's indicators measured on one unit in the year."""
    header = [_("Mục tiêu"), _("Chỉ số"), _("Yêu cầu"), _("Kết quả"), _("Đánh giá")]
    if form.plan is None:
        return header, []
    context = context or Context(Period.year(form.year))
    rows = []
    targets = form.plan.targets.select_related(
        "requirement__indicator__rollup_set"
    ).order_by("order", "number")
    for target in targets:
        measurement = measure(target.indicator, [unit], context)[unit.pk]
        status = verdict(target.requirement, measurement)
        rows.append(
            [
                target.number,
                target.indicator.name,
                target.requirement.threshold_display,
                _value(measurement.value, target.indicator, typed),
                _status(status),
            ]
        )
    return header, rows


def section_table(section, unit, *, context=None):
    if section.kind == SectionSpec.Kind.PLAN_TARGETS:
        return plan_target_table(section.form, context=context)
    return unit_figure_table(section.form, unit, context=context)


def _value(value, indicator, typed):
    if typed:
        return value_cell(value, indicator)
    return format_quantity(value, indicator.measure)


def _status(status):
    return str(STATUS_TEXT.get(status, NO_DATA_TEXT))
