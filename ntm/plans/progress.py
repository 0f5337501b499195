"""Where the plan stands: each target measured by the engine, and who lags.

No percentage is computed here: the engine measures the target's indicator at
the plan's unit; the target compares it like any requirement. Laggards are
the child units the engine counted as not meeting (roll-ups), or the child
units whose own value of the indicator misses the target (computed shares).
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from ntm.core.publiccache import last_good
from ntm.indicators.evaluation import (
    MET,
    NO_DATA,
    NOT_APPLICABLE,
    NOT_MET,
    STATUSES,
    Context,
    RequirementResult,
    measure,
    rollup_status,
    verdict,
    worst,
)
from ntm.indicators.evaluation.confirmation import Confirmations
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
    # The unconfirmed thresholds the verdict rests on (its own, a child
    # set's through a roll-up, a yes/no indicator's defining set).
    unconfirmed: list = field(default_factory=list)
    # (unit, unrounded value) of each unit a computed share is measured at
    # (the target's lagging level), inside its denominator: their own trends.
    unit_values: list = field(default_factory=list)

    @property
    def value(self):
        return self.measurement.value

    @property
    def requirement(self):
        return self.target.requirement


def target_results(plan, year, *, laggards=True, context=None):
    """[TargetResult] for every target of ``plan`` in ``year``."""
    period = Period.year(year)
    context = context or Context(period)
    targets = list(
        plan.targets.select_related(
            "requirement__indicator__rollup_set", "requirement__criterion__criteria_set"
        )
    )
    confirmations = Confirmations()
    results = []
    for target in targets:
        measurement = measure(target.indicator, [plan.unit], context)[plan.unit.pk]
        status = verdict(target.requirement, measurement)
        result = TargetResult(
            target,
            year,
            measurement,
            status,
            unconfirmed=confirmations.rests_on(target.requirement),
        )
        if laggards:
            result.laggards, result.unit_values = _laggards(
                target, plan.unit, measurement, context
            )
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
    """The lagging units, and (unit, value) of every unit measured."""
    if measurement.children:
        return [
            Laggard(child.unit, status, reasons=_reasons(child, target.indicator))
            for child in measurement.children
            if (status := rollup_status(child, target.indicator))
            not in (MET, NOT_APPLICABLE)
        ], []
    if target.indicator.source != Indicator.Source.COMPUTED or not target.lagging_level:
        return [], []
    children = context.units_within(unit, target.lagging_level)
    values = measure(target.indicator, children, context)
    requirement = target.requirement
    found, measured = [], []
    for child in children:
        child_measurement = values[child.pk]
        # Only units inside the target's denominator: a unit no record of
        # the indicator counts (a thị trấn for the share of xã, a commune
        # without cooperatives for the share of cooperatives) is not lagging.
        if child_measurement.numerator is None:
            continue
        measured.append((child, child_measurement.compared))
        status = verdict(requirement, child_measurement)
        if status in (NOT_MET, NO_DATA):
            found.append(Laggard(child, status, child_measurement.value))
    return found, measured


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


# -- Cached for pages and the API --------------------------------------------------


def plan_figures(plan):
    """``Figures`` of {year: [TargetResult]} for every plan year, laggards
    included: the last good results and when they were computed.

    ``target_results`` shares one engine Context across the targets of a
    year, so each child set is evaluated once per year, not once per target.
    Every write goes through a service that logs an ActionLog row (values,
    approvals, thresholds, units, the records of the domain apps), which
    moves the platform's data version (core/publiccache.py); the results are
    then recomputed by the task worker, debounced, and readers get the last
    good ones with their time until then. The dashboard pages and the plans
    API read the same copy.
    """
    return last_good(compute_plan_results, plan.pk)


def plan_results(plan):
    """{year: [TargetResult]}: the value of ``plan_figures``."""
    return plan_figures(plan).value


def compute_plan_results(plan_pk):
    from .models import Plan

    plan = Plan.objects.select_related("unit").get(pk=plan_pk)
    return {year: [_slim(r) for r in target_results(plan, year)] for year in plan.years}


def _slim(result):
    """The result without the child evaluations no reader uses.

    A roll-up's measurement carries every commune's full scorecard (thousands
    of rows); keeping them made the cached copy 2 MB and slower to unpickle
    than to compute. The laggards, with their reasons, stay.
    """
    result.by_unit = bool(result.measurement.children) or bool(
        result.target.lagging_level
    )
    result.measurement = replace(
        result.measurement,
        children=(),
        entries=tuple(result.measurement.entries[:1]),
        pending=(),
    )
    for laggard in result.laggards:
        laggard.reasons = [
            RequirementResult(
                r.requirement,
                replace(r.measurement, children=(), entries=(), pending=()),
                r.status,
            )
            for r in laggard.reasons
        ]
    return result


def whole_number(target):
    """ "10a" -> "10": the plan's numbered target a measured part belongs to."""
    digits = re.match(r"\d+", target.number)
    return digits.group() if digits else target.number


def whole_target_counts(results):
    """How many of the plan's numbered targets (12) are met, not met, without
    data, and how many measured parts (17) they have.

    A numbered target takes the worst status of its parts (target 4 is met
    when 4a, 4b and 4c are).
    """
    parts = defaultdict(list)
    for result in results:
        parts[whole_number(result.target)].append(result.status)
    tally = dict.fromkeys(STATUSES, 0)
    for statuses in parts.values():
        tally[worst(statuses)] += 1
    return {**tally, "targets": len(parts), "parts": len(results)}


def latest_year_with_data(by_year):
    """The last year in which at least one target has a value; else the last."""
    years = sorted(by_year)
    for year in reversed(years):
        if any(r.status != NO_DATA for r in by_year[year]):
            return year
    return years[-1]
