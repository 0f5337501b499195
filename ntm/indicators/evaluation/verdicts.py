"""Verdicts: each requirement's variant compared with its measurement, criteria
and sets taking the worst of their parts, and roll-ups (child units evaluated
against another set and counted). ``measure`` dispatches on the indicator's
source.
"""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from ntm.core.numbers import round_half_up
from ntm.units.models import Unit

from ..models import Indicator, UnitClassification
from .context import Context, key_days
from .measuring import HUNDRED, measure_computed, measure_entered
from .results import (
    MET,
    NO_DATA,
    NOT_APPLICABLE,
    NOT_MET,
    STATUSES,
    CriterionResult,
    Measurement,
    RequirementResult,
    UnitEvaluation,
    worst,
)


def measure(indicator, units, context):
    """{unit id: Measurement} for one indicator and many units."""
    if indicator.source == Indicator.Source.COMPUTED:
        return measure_computed(indicator, units, context)
    if indicator.source == Indicator.Source.ROLLUP:
        return _measure_rollup(indicator, units, context)
    return measure_entered(indicator, units, context)


def _measure_rollup(indicator, units, context):
    """Count (or share) the child units that meet another set, in one pass."""
    # Only the kinds named count: thị trấn are not judged by the commune set.
    candidates = context.ids_at_level(
        indicator.rollup_level, context.day, indicator.rollup_kind_list
    )
    days = key_days(units, context)
    members = {day: context.members_on(day, candidates) for day in set(days.values())}
    wanted = set(candidates)
    children_of = {
        unit.pk: [
            pk for pk in members[days[unit.pk]].get(unit.path, ()) if pk in wanted
        ]
        for unit in units
    }
    needed = sorted({pk for kids in children_of.values() for pk in kids})
    key = (indicator.rollup_set_id, tuple(needed))
    if key not in context._rollups:
        if len(needed) <= 500:
            children = Unit.objects.filter(pk__in=needed)
        else:
            children = Unit.objects.valid_on(context.day).filter(
                level=indicator.rollup_level
            )
            if context.within is not None:
                children = children.filter(context.within.q(""))
        context._rollups[key] = evaluate(
            indicator.rollup_set,
            children.defer("boundary"),
            context.period,
            context,
        )
    evaluations = context._rollups[key]
    result = {}
    for unit in units:
        tally = dict.fromkeys(STATUSES, 0)
        counted = [evaluations[pk] for pk in children_of[unit.pk]]
        for child in counted:
            tally[rollup_status(child, indicator)] += 1
        # Children the requirement does not apply to are not in the share.
        total = sum(tally.values()) - tally[NOT_APPLICABLE]
        exact = None
        if (
            total == 0
            and tally[NOT_APPLICABLE]
            or total == 0
            or tally[NO_DATA] == total
        ):
            value = None
        elif indicator.measure == Indicator.Measure.PERCENT:
            exact = Decimal(tally[MET]) * HUNDRED / total
            value = round_half_up(exact, 2)
        else:
            value = Decimal(tally[MET])
        detail = _(
            "%(met)d đạt, %(not_met)d chưa đạt, %(no_data)d chưa có số liệu / %(total)d"
        ) % {
            "met": tally[MET],
            "not_met": tally[NOT_MET],
            "no_data": tally[NO_DATA],
            "total": total,
        }
        if tally[NOT_APPLICABLE]:
            detail += _("; %d không áp dụng") % tally[NOT_APPLICABLE]
        result[unit.pk] = Measurement(
            value,
            Indicator.Source.ROLLUP,
            context.computed_at,
            Decimal(tally[MET]),
            Decimal(total),
            detail=detail,
            children=counted,
            exact=exact,
            not_applicable=total == 0 and tally[NOT_APPLICABLE] > 0,
        )
    return result


def verdict(requirement, measurement):
    """The status of ``requirement`` for ``measurement``.

    The unrounded value is compared (38 587 / 38 588 is not 100 %); a share
    of nothing does not apply; no value is no data, never met.
    """
    if measurement.not_applicable:
        return NOT_APPLICABLE
    met = requirement.is_met_by(measurement.compared)
    return NO_DATA if met is None else (MET if met else NOT_MET)


def rollup_status(evaluation, indicator):
    if indicator.rollup_requirement:
        found = evaluation.result_for(indicator.rollup_requirement)
        return found.status if found else NO_DATA
    if indicator.rollup_criterion:
        found = evaluation.criterion(indicator.rollup_criterion)
        return found.status if found else NO_DATA
    return evaluation.status


def variants_for(units):
    """{unit id: {"region:DHNTB", "group:2", ...}} in one query."""
    ids = {u.pk for u in units}
    rows = UnitClassification.objects.values_list("unit_id", "scheme", "value")
    if len(ids) <= 500:
        rows = rows.filter(unit__in=ids)
    tags = defaultdict(set)
    for unit_id, scheme, value in rows:
        if unit_id in ids:
            tags[unit_id].add(f"{scheme}:{value}")
    return tags


def evaluate(criteria_set, units, period, context=None):
    """{unit id: UnitEvaluation} for every unit, against one criteria set.

    A constant number of queries whatever the number of units: each
    indicator is measured once for all of them.
    """
    context = context or Context(period)
    units = list(units)
    criteria = list(
        criteria_set.criteria.prefetch_related("requirements__indicator__rollup_set")
    )
    indicators = {
        r.indicator_id: r.indicator for c in criteria for r in c.requirements.all()
    }
    context.expect(indicators.values())
    context.load_snapshots(indicators.values())
    context.load_entered(indicators.values())
    measured = {pk: measure(ind, units, context) for pk, ind in indicators.items()}
    tags = variants_for(units)
    # Per (criterion, unit's classes): the requirements that apply, each with
    # its measurements; few combinations. Statuses are cached per
    # (requirement, value) because values repeat from unit to unit.
    plans = {}
    verdicts = {}
    evaluations = {}
    no_tags = frozenset()
    for unit in units:
        pk = unit.pk
        unit_tags = frozenset(tags[pk]) if pk in tags else no_tags
        if unit_tags not in plans:
            plans[unit_tags] = [
                (
                    criterion,
                    [
                        (
                            requirement,
                            requirement.pk,
                            measured[requirement.indicator_id],
                        )
                        for requirement in _pick_variants(
                            criterion.requirements.all(), unit_tags
                        )
                    ],
                )
                for criterion in criteria
            ]
        criterion_results = []
        for criterion, requirements in plans[unit_tags]:
            results = []
            for requirement, requirement_pk, measurements in requirements:
                measurement = measurements[pk]
                key = (
                    requirement_pk,
                    measurement.compared,
                    measurement.not_applicable,
                )
                status = verdicts.get(key)
                if status is None:
                    status = verdicts[key] = verdict(requirement, measurement)
                results.append(RequirementResult(requirement, measurement, status))
            summary = worst(r.status for r in results)
            criterion_results.append(CriterionResult(criterion, results, summary))
        overall = worst(c.status for c in criterion_results)
        evaluations[pk] = UnitEvaluation(
            unit, criteria_set, period, criterion_results, overall
        )
    return evaluations


def _pick_variants(requirements, unit_tags):
    """One requirement per code: the unit's variant if there is one, else general."""
    chosen = {}
    for requirement in requirements:
        if requirement.variant:
            if requirement.variant in unit_tags:
                chosen[requirement.code] = requirement
        else:
            chosen.setdefault(requirement.code, requirement)
    return sorted(chosen.values(), key=lambda r: (r.order, r.code))
