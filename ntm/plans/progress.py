"""Where the plan stands: each target measured by the engine, and who lags.

No percentage is computed here: the engine measures the target's indicator at
the plan's unit; the target compares it like any requirement. Laggards are
the child units the engine counted as not meeting (roll-ups), or the child
units whose own value of the indicator misses the target (computed shares).
"""

from dataclasses import dataclass, field

from ntm.indicators.evaluation import (
    MET,
    NO_DATA,
    NOT_MET,
    Context,
    measure,
    rollup_status,
)
from ntm.indicators.models import Indicator, Period


@dataclass
class Laggard:
    unit: object
    status: str
    value: object = None
    reasons: list = field(default_factory=list)


@dataclass
class TargetResult:
    target: object
    year: int
    measurement: object
    status: str
    laggards: list = field(default_factory=list)

    @property
    def value(self):
        return self.measurement.value


def target_results(plan, year, *, laggards=True, context=None):
    """[TargetResult] for every target of ``plan`` in ``year``."""
    period = Period.year(year)
    context = context or Context(period)
    targets = list(plan.targets.select_related("requirement__indicator__rollup_set"))
    results = []
    for target in targets:
        measurement = measure(target.indicator, [plan.unit], context)[plan.unit.pk]
        met = target.requirement.is_met_by(measurement.value)
        status = NO_DATA if met is None else (MET if met else NOT_MET)
        result = TargetResult(target, year, measurement, status)
        if laggards:
            result.laggards = _laggards(target, plan.unit, measurement, context)
        results.append(result)
    return results


def trend(plan, *, laggards_year=None):
    """{target id: [TargetResult per plan year]}, laggards for one year only."""
    by_target = {}
    for year in plan.years:
        for result in target_results(plan, year, laggards=year == laggards_year):
            by_target.setdefault(result.target.pk, []).append(result)
    return by_target


def _laggards(target, unit, measurement, context):
    if measurement.children:
        return [
            Laggard(child.unit, status, reasons=_reasons(child, target.indicator))
            for child in measurement.children
            if (status := rollup_status(child, target.indicator)) != MET
        ]
    if target.indicator.source != Indicator.Source.COMPUTED or not target.lagging_level:
        return []
    children = context.units_within(unit, target.lagging_level)
    values = measure(target.indicator, children, context)
    requirement = target.requirement
    found = []
    for child in children:
        child_measurement = values[child.pk]
        met = requirement.is_met_by(child_measurement.value)
        if met is not True:
            found.append(
                Laggard(
                    child,
                    NO_DATA if met is None else NOT_MET,
                    child_measurement.value,
                )
            )
    return found


def _reasons(evaluation, indicator):
    """The requirements a lagging unit misses, or lacks data for."""
    if indicator.rollup_requirement:
        found = evaluation.result_for(indicator.rollup_requirement)
        return [found] if found else []
    return [
        result
        for criterion in evaluation.criteria
        for result in criterion.results
        if result.status in (NOT_MET, NO_DATA)
    ][:5]
