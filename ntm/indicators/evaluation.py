"""The engine: does this unit meet this requirement in this period, and why.

``evaluate(criteria_set, units, period)`` answers for many units at once:

1. every indicator the set needs is measured for every unit, in bulk:
   - computed: the registered provider runs once (live for an open period,
     frozen snapshots for a closed one) and its leaf values are summed up to
     each unit through ``locate``, which follows reorganisations;
   - entered: approved values only; values of several units (an old commune's
     three predecessors, a commune's villages) combine by the indicator's
     aggregation rule;
   - roll-up: child units are evaluated against another set and counted;
2. each requirement picks its variant for the unit (region, commune group) and
   compares: met, not met, or no data (never shown as met);
3. criteria and the set take the worst status of their parts.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from ntm.units.models import Reorganisation, Unit

from . import providers
from .models import (
    ComputedSnapshot,
    Indicator,
    IndicatorValue,
    Requirement,
    UnitClassification,
)

MET, NOT_MET, NO_DATA = "met", "not_met", "no_data"
HUNDRED = Decimal(100)


@dataclass
class Measurement:
    value: Decimal | None
    source: str  # computed, entered, rollup
    as_of: object = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    entries: list = field(default_factory=list)  # approved IndicatorValue rows used
    pending: list = field(default_factory=list)  # values entered but not approved
    detail: str = ""


@dataclass
class RequirementResult:
    requirement: Requirement
    measurement: Measurement
    status: str

    @property
    def value(self):
        return self.measurement.value


@dataclass
class CriterionResult:
    criterion: object
    results: list
    status: str


@dataclass
class UnitEvaluation:
    unit: Unit
    criteria_set: object
    period: object
    criteria: list
    status: str

    def counts(self):
        tally = {MET: 0, NOT_MET: 0, NO_DATA: 0}
        for criterion in self.criteria:
            tally[criterion.status] += 1
        return tally

    def result_for(self, code):
        for criterion in self.criteria:
            for result in criterion.results:
                if result.requirement.code == code:
                    return result
        return None

    def criterion(self, number):
        return next(
            (c for c in self.criteria if str(c.criterion.number) == str(number)), None
        )


def worst(statuses):
    statuses = list(statuses)
    if NOT_MET in statuses:
        return NOT_MET
    if not statuses or NO_DATA in statuses:
        return NO_DATA
    return MET


class Context:
    """Work shared by the evaluations of one period: provider runs, unit lookups."""

    def __init__(self, period):
        self.period = period
        self.day = period.reference_day
        today = timezone.localdate()
        self.live = period.start <= today <= period.end or period.start > today
        self.computed_at = timezone.now()
        self._leaf_values = {}
        self._locator = None
        self._rollups = {}

    # -- computed indicators -------------------------------------------------
    def leaf_values(self, indicator):
        """{unit id: (numerator, denominator)} for the indicator's leaf units."""
        if indicator.code not in self._leaf_values:
            if self.live:
                provider = providers.provider_for(indicator.code)
                if provider is None:
                    self._leaf_values[indicator.code] = ({}, None)
                else:
                    computed = provider.compute()
                    for code in provider.codes:
                        self._leaf_values[code] = (
                            computed.get(code, {}),
                            self.computed_at,
                        )
            else:
                rows = ComputedSnapshot.objects.filter(
                    indicator=indicator, period=self.period
                ).values_list("unit_id", "numerator", "denominator", "computed_at")
                values, as_of = {}, None
                for unit_id, numerator, denominator, computed_at in rows:
                    values[unit_id] = (numerator, denominator)
                    as_of = max(as_of, computed_at) if as_of else computed_at
                self._leaf_values[indicator.code] = (values, as_of)
        return self._leaf_values[indicator.code]

    @property
    def locator(self):
        if self._locator is None:
            self._locator = Locator()
        return self._locator


class Locator:
    """Where a unit's territory sat on another day, through reorganisations.

    A unit valid on the day is where it is. Otherwise it follows the links to
    its sole successor (forward) or sole predecessor (backward) until it reaches
    a unit valid on the day; a split (several successors) or a merge walked
    backwards (several predecessors) has no single answer and yields None.
    """

    def __init__(self):
        links = Reorganisation.successors.through.objects.values_list(
            "reorganisation_id", "unit_id"
        )
        successors_of_event = defaultdict(list)
        for event_id, unit_id in links:
            successors_of_event[event_id].append(unit_id)
        self.forward = defaultdict(list)
        self.backward = defaultdict(list)
        for (
            event_id,
            unit_id,
        ) in Reorganisation.predecessors.through.objects.values_list(
            "reorganisation_id", "unit_id"
        ):
            for successor in successors_of_event[event_id]:
                self.forward[unit_id].append(successor)
                self.backward[successor].append(unit_id)
        involved = set(self.forward) | set(self.backward)
        self.units = {
            u.pk: u
            for u in Unit.objects.filter(pk__in=involved).only(
                "pk", "path", "valid_from", "valid_to"
            )
        }

    def paths_on(self, units, day):
        """{unit id: path on ``day`` or None} for (id, path, from, to) tuples."""
        located = {}
        for pk, path, valid_from, valid_to in units:
            located[pk] = self._walk(pk, path, valid_from, valid_to, day)
        return located

    def _walk(self, pk, path, valid_from, valid_to, day, depth=0):
        if (valid_from is None or valid_from <= day) and (
            valid_to is None or valid_to >= day
        ):
            return path
        if depth > 10:
            return None
        after = valid_to is not None and valid_to < day
        nxt = self.forward.get(pk, []) if after else self.backward.get(pk, [])
        if len(nxt) != 1 or nxt[0] not in self.units:
            return None
        unit = self.units[nxt[0]]
        return self._walk(
            unit.pk, unit.path, unit.valid_from, unit.valid_to, day, depth + 1
        )


def _key_day(unit, context):
    """The day on which a unit's territory is read: the period's, if it existed."""
    return context.day if unit.is_valid_on(context.day) else unit.reference_day


def _prefixes(path):
    parts = path.split("/")[:-1]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _accumulate(context, pairs_by_unit):
    """Sum (numerator, denominator) pairs into every prefix of their path, per day."""
    cache = {}

    def totals(day):
        if day not in cache:
            rows = Unit.objects.filter(pk__in=list(pairs_by_unit)).values_list(
                "pk", "path", "valid_from", "valid_to"
            )
            located = context.locator.paths_on(rows, day)
            sums = defaultdict(lambda: [Decimal(0), None, 0])
            for pk, path in located.items():
                if path is None:
                    continue
                numerator, denominator = pairs_by_unit[pk]
                for prefix in _prefixes(path):
                    entry = sums[prefix]
                    entry[0] += numerator
                    if denominator is not None:
                        entry[1] = (entry[1] or Decimal(0)) + denominator
                    entry[2] += 1
            cache[day] = sums
        return cache[day]

    return totals


def measure(indicator, units, context):
    """{unit id: Measurement} for one indicator and many units."""
    if indicator.source == Indicator.Source.COMPUTED:
        return _measure_computed(indicator, units, context)
    if indicator.source == Indicator.Source.ROLLUP:
        return _measure_rollup(indicator, units, context)
    return _measure_entered(indicator, units, context)


def _measure_computed(indicator, units, context):
    leaves, as_of = context.leaf_values(indicator)
    totals = _accumulate(context, leaves)
    result = {}
    for unit in units:
        entry = totals(_key_day(unit, context)).get(unit.path) if leaves else None
        if entry is None or entry[2] == 0:
            result[unit.pk] = Measurement(None, Indicator.Source.COMPUTED, as_of)
            continue
        numerator, denominator, _count = entry
        result[unit.pk] = Measurement(
            _value(indicator, numerator, denominator),
            Indicator.Source.COMPUTED,
            as_of,
            numerator,
            denominator,
        )
    return result


def _measure_entered(indicator, units, context):
    values = list(
        IndicatorValue.objects.filter(indicator=indicator, period=context.period)
        .select_related("unit", "reviewed_by")
        .order_by("unit__path")
    )
    approved = {
        v.unit_id: v for v in values if v.status == IndicatorValue.Status.APPROVED
    }
    pending = defaultdict(list)
    for v in values:
        if v.status != IndicatorValue.Status.APPROVED:
            pending[v.unit.path].append(v)
    pairs = {
        pk: (v.value, Decimal(1)) for pk, v in approved.items() if v.value is not None
    }
    totals = _accumulate(context, pairs)
    by_unit = {v.unit_id: v for v in approved.values()}
    result = {}
    for unit in units:
        own = by_unit.get(unit.pk)
        waiting = pending.get(unit.path, [])
        if own is not None and own.value is not None:
            result[unit.pk] = Measurement(
                own.value,
                Indicator.Source.ENTERED,
                own.reviewed_at,
                entries=[own],
                pending=waiting,
            )
            continue
        if indicator.aggregation == Indicator.Aggregation.NONE or not pairs:
            result[unit.pk] = Measurement(
                None, Indicator.Source.ENTERED, pending=waiting
            )
            continue
        entry = totals(_key_day(unit, context)).get(unit.path)
        if entry is None or entry[2] == 0:
            result[unit.pk] = Measurement(
                None, Indicator.Source.ENTERED, pending=waiting
            )
            continue
        total, count, n = entry[0], entry[1], entry[2]
        if indicator.aggregation == Indicator.Aggregation.SUM:
            value = total
        elif indicator.aggregation == Indicator.Aggregation.ALL:
            value = Decimal(1) if total == count else Decimal(0)
        elif indicator.aggregation == Indicator.Aggregation.ANY:
            value = Decimal(1) if total > 0 else Decimal(0)
        else:  # entered percentages of several units: their mean
            value = (total / count).quantize(Decimal("0.01"))
        result[unit.pk] = Measurement(
            value,
            Indicator.Source.ENTERED,
            pending=waiting,
            detail=f"gộp từ giá trị đã duyệt của {n} đơn vị",
        )
    return result


def _measure_rollup(indicator, units, context):
    """Count (or share) the child units that meet another set, in one pass."""
    candidates = {
        c.pk: c
        for c in Unit.objects.valid_on(context.day).filter(level=indicator.rollup_level)
    }
    rows = [(c.pk, c.path, c.valid_from, c.valid_to) for c in candidates.values()]
    located = {}
    children_of = {}
    for unit in units:
        day = _key_day(unit, context)
        if day not in located:
            located[day] = context.locator.paths_on(rows, day)
        children_of[unit.pk] = [
            pk
            for pk, path in located[day].items()
            if path and path.startswith(unit.path)
        ]
    needed = sorted({pk for kids in children_of.values() for pk in kids})
    key = (indicator.rollup_set_id, tuple(needed))
    if key not in context._rollups:
        context._rollups[key] = evaluate(
            indicator.rollup_set,
            [candidates[pk] for pk in needed],
            context.period,
            context,
        )
    evaluations = context._rollups[key]
    result = {}
    for unit in units:
        tally = {MET: 0, NOT_MET: 0, NO_DATA: 0}
        for pk in children_of[unit.pk]:
            tally[_rollup_status(evaluations[pk], indicator)] += 1
        total = sum(tally.values())
        if total == 0 or tally[NO_DATA] == total:
            value = None
        elif indicator.measure == Indicator.Measure.PERCENT:
            value = (Decimal(tally[MET]) * HUNDRED / total).quantize(Decimal("0.01"))
        else:
            value = Decimal(tally[MET])
        result[unit.pk] = Measurement(
            value,
            Indicator.Source.ROLLUP,
            context.computed_at,
            Decimal(tally[MET]),
            Decimal(total),
            detail=f"{tally[MET]} đạt, {tally[NOT_MET]} chưa đạt, "
            f"{tally[NO_DATA]} chưa có số liệu / {total}",
        )
    return result


def _rollup_status(evaluation, indicator):
    if indicator.rollup_requirement:
        found = evaluation.result_for(indicator.rollup_requirement)
        return found.status if found else NO_DATA
    if indicator.rollup_criterion:
        found = evaluation.criterion(indicator.rollup_criterion)
        return found.status if found else NO_DATA
    return evaluation.status


def _value(indicator, numerator, denominator):
    if indicator.measure == Indicator.Measure.PERCENT:
        if not denominator:
            return None
        return (numerator * HUNDRED / denominator).quantize(Decimal("0.01"))
    if indicator.measure == Indicator.Measure.BOOLEAN:
        if denominator is None:
            return Decimal(1) if numerator > 0 else Decimal(0)
        return Decimal(1) if denominator and numerator == denominator else Decimal(0)
    return numerator


def variants_for(units):
    """{unit id: {"region:DHNTB", "group:2", ...}} in one query."""
    tags = defaultdict(set)
    for unit_id, scheme, value in UnitClassification.objects.filter(
        unit__in=[u.pk for u in units]
    ).values_list("unit_id", "scheme", "value"):
        tags[unit_id].add(f"{scheme}:{value}")
    return tags


def evaluate(criteria_set, units, period, context=None):
    """{unit id: UnitEvaluation} for every unit, against one criteria set."""
    context = context or Context(period)
    units = list(units)
    criteria = list(
        criteria_set.criteria.prefetch_related("requirements__indicator__rollup_set")
    )
    indicators = {
        r.indicator_id: r.indicator for c in criteria for r in c.requirements.all()
    }
    measured = {pk: measure(ind, units, context) for pk, ind in indicators.items()}
    tags = variants_for(units)
    evaluations = {}
    for unit in units:
        criterion_results = []
        for criterion in criteria:
            results = []
            for requirement in _pick_variants(
                criterion.requirements.all(), tags[unit.pk]
            ):
                measurement = measured[requirement.indicator_id][unit.pk]
                met = requirement.is_met_by(measurement.value)
                status = NO_DATA if met is None else (MET if met else NOT_MET)
                results.append(RequirementResult(requirement, measurement, status))
            criterion_results.append(
                CriterionResult(criterion, results, worst(r.status for r in results))
            )
        evaluations[unit.pk] = UnitEvaluation(
            unit,
            criteria_set,
            period,
            criterion_results,
            worst(c.status for c in criterion_results),
        )
    return evaluations


def _pick_variants(requirements, unit_tags):
    """One requirement per code: the unit's variant if there is one, else general."""
    chosen = {}
    for requirement in requirements:
        current = chosen.get(requirement.code)
        if requirement.variant and requirement.variant in unit_tags:
            chosen[requirement.code] = requirement
        elif not requirement.variant and (
            current is None or current.variant not in unit_tags
        ):
            chosen.setdefault(requirement.code, requirement)
    return sorted(chosen.values(), key=lambda r: (r.order, r.code))
