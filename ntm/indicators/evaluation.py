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
from django.utils.translation import gettext as _

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


@dataclass(slots=True)
class Measurement:
    value: Decimal | None
    source: str  # computed, entered, rollup
    as_of: object = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    entries: list = field(default_factory=list)  # approved IndicatorValue rows used
    pending: list = field(default_factory=list)  # values entered but not approved
    detail: str = ""


@dataclass(slots=True)
class RequirementResult:
    requirement: Requirement
    measurement: Measurement
    status: str

    @property
    def value(self):
        return self.measurement.value


@dataclass(slots=True)
class CriterionResult:
    criterion: object
    results: list
    status: str


@dataclass(slots=True)
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
    """Work shared by the evaluations of one period: provider runs, unit lookups.

    ``live`` says whether computed indicators are read from today's records
    (an open or future period) or from the snapshots frozen when the period
    closed; pass it to override the calendar (tests, what-if screens).
    """

    def __init__(self, period, live=None):
        self.period = period
        self.day = period.reference_day
        today = timezone.localdate()
        if live is None:
            live = period.start <= today <= period.end or period.start > today
        self.live = live
        self.computed_at = timezone.now()
        self._leaf_values = {}
        self._locator = None
        self._rollups = {}
        self._rows = {}  # unit id: (id, path, valid_from, valid_to)
        self._placed = defaultdict(set)  # day: unit ids already placed
        self._members = defaultdict(lambda: defaultdict(list))  # day: prefix: ids
        self._level_ids = {}  # (level, day): ids of the units valid that day

    # -- computed indicators -------------------------------------------------
    def leaf_values(self, indicator):
        """({unit id: (numerator, denominator)}, as_of) for the leaf units."""
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

    # -- where units sit -----------------------------------------------------
    def members_on(self, day, ids):
        """{path: [unit id, ...]}: the units ``ids`` under each path on ``day``.

        Each unit is placed once per day (through reorganisations) and under
        every prefix of its path, so that the units below any path are one
        dictionary read away. Shared by every indicator of the evaluation.
        """
        placed = self._placed[day]
        missing = [pk for pk in ids if pk not in placed]
        if missing:
            members = self._members[day]
            located = self.locator.paths_on(self._unit_rows(missing), day)
            for pk, path in located.items():
                if path is not None:
                    for prefix in _prefixes(path):
                        members[prefix].append(pk)
            placed.update(missing)
        return self._members[day]

    def ids_at_level(self, level, day):
        """Ids of the units on ``level`` that exist on ``day`` (rows cached)."""
        key = (level, day)
        if key not in self._level_ids:
            rows = Unit.objects.valid_on(day).filter(level=level)
            ids = []
            for row in rows.values_list("pk", "path", "valid_from", "valid_to"):
                self._rows[row[0]] = row
                ids.append(row[0])
            self._level_ids[key] = ids
        return self._level_ids[key]

    def _unit_rows(self, ids):
        missing = [pk for pk in ids if pk not in self._rows]
        if len(missing) > 500:
            # One pass over the table beats IN lists beyond SQLite's limit.
            rows = Unit.objects.values_list("pk", "path", "valid_from", "valid_to")
        else:
            rows = Unit.objects.filter(pk__in=missing).values_list(
                "pk", "path", "valid_from", "valid_to"
            )
        for row in rows:
            self._rows[row[0]] = row
        return [self._rows[pk] for pk in ids if pk in self._rows]


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
        rows = Unit.objects.values_list("pk", "path", "valid_from", "valid_to")
        if len(involved) <= 500:
            rows = rows.filter(pk__in=involved)
        self.units = {row[0]: row for row in rows if row[0] in involved}

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
        return self._walk(*self.units[nxt[0]], day, depth + 1)


def _key_day(unit, context):
    """The day on which a unit's territory is read: the period's, if it existed."""
    return context.day if unit.is_valid_on(context.day) else unit.reference_day


def _key_days(units, context):
    return {unit.pk: _key_day(unit, context) for unit in units}


def _prefixes(path):
    parts = path.split("/")[:-1]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def measure(indicator, units, context):
    """{unit id: Measurement} for one indicator and many units."""
    if indicator.source == Indicator.Source.COMPUTED:
        return _measure_computed(indicator, units, context)
    if indicator.source == Indicator.Source.ROLLUP:
        return _measure_rollup(indicator, units, context)
    return _measure_entered(indicator, units, context)


def _measure_computed(indicator, units, context):
    leaves, as_of = context.leaf_values(indicator)
    days = _key_days(units, context)
    members = {day: context.members_on(day, leaves) for day in set(days.values())}
    source = Indicator.Source.COMPUTED
    result = {}
    for unit in units:
        numerator, denominator, found = Decimal(0), None, False
        for pk in members[days[unit.pk]].get(unit.path, ()):
            pair = leaves.get(pk)
            if pair is None:
                continue
            found = True
            numerator += pair[0]
            if pair[1] is not None:
                denominator = pair[1] if denominator is None else denominator + pair[1]
        if not found:
            result[unit.pk] = Measurement(None, source, as_of)
            continue
        result[unit.pk] = Measurement(
            _value(indicator, numerator, denominator),
            source,
            as_of,
            numerator,
            denominator,
        )
    return result


def _measure_entered(indicator, units, context):
    """Approved values only; a unit without its own combines those below it.

    A unit's own approved value wins. Otherwise the approved values of the
    units placed under it (its communes, or the old communes it replaced)
    combine by the indicator's aggregation, and every unit of the
    indicator's level that existed in the period and lies under it must
    have one: a partial sum or "all" is no data, never met.
    """
    source = Indicator.Source.ENTERED
    values = list(
        IndicatorValue.objects.filter(indicator=indicator, period=context.period)
        .select_related("unit", "reviewed_by")
        .order_by("unit__path")
    )
    approved = {
        v.unit_id: v
        for v in values
        if v.status == IndicatorValue.Status.APPROVED and v.value is not None
    }
    pending = defaultdict(list)
    for v in values:
        if v.unit_id not in approved:
            pending[v.unit_id].append(v)
    aggregate = indicator.aggregation != Indicator.Aggregation.NONE
    expected = set()
    if aggregate:
        expected = set(context.ids_at_level(indicator.level, context.day))
        days = _key_days(units, context)
        members = {
            day: context.members_on(day, [*approved, *expected])
            for day in set(days.values())
        }
    result = {}
    for unit in units:
        waiting = pending.get(unit.pk, [])
        own = approved.get(unit.pk)
        if own is not None:
            result[unit.pk] = Measurement(
                own.value, source, own.reviewed_at, entries=[own], pending=waiting
            )
            continue
        if not aggregate:
            result[unit.pk] = Measurement(None, source, pending=waiting)
            continue
        below = members[days[unit.pk]].get(unit.path, ())
        used = [approved[pk] for pk in below if pk in approved]
        lacking = [
            pk
            for pk in below
            if pk in expected and pk not in approved and pk != unit.pk
        ]
        waiting = waiting + [v for pk in lacking for v in pending.get(pk, [])]
        if not used or lacking:
            detail = ""
            if used:
                detail = _(
                    "thiếu giá trị đã duyệt của %(missing)d/%(total)d đơn vị"
                ) % {"missing": len(lacking), "total": len(lacking) + len(used)}
            result[unit.pk] = Measurement(
                None, source, entries=used, pending=waiting, detail=detail
            )
            continue
        total = sum((v.value for v in used), Decimal(0))
        count = len(used)
        if indicator.aggregation == Indicator.Aggregation.SUM:
            value = total
        elif indicator.aggregation == Indicator.Aggregation.ALL:
            value = Decimal(1) if all(v.value != 0 for v in used) else Decimal(0)
        elif indicator.aggregation == Indicator.Aggregation.ANY:
            value = Decimal(1) if any(v.value != 0 for v in used) else Decimal(0)
        else:  # entered percentages of several units: their mean
            value = (total / count).quantize(Decimal("0.01"))
        result[unit.pk] = Measurement(
            value,
            source,
            max(v.reviewed_at for v in used),
            total,
            Decimal(count),
            entries=used,
            pending=waiting,
            detail=_("gộp từ giá trị đã duyệt của %d đơn vị") % count,
        )
    return result


def _measure_rollup(indicator, units, context):
    """Count (or share) the child units that meet another set, in one pass."""
    candidates = context.ids_at_level(indicator.rollup_level, context.day)
    days = _key_days(units, context)
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
        children = (
            Unit.objects.filter(pk__in=needed)
            if len(needed) <= 500
            else (
                Unit.objects.valid_on(context.day).filter(level=indicator.rollup_level)
            )
        )
        context._rollups[key] = evaluate(
            indicator.rollup_set,
            children.defer("boundary"),
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
            detail=_(
                "%(met)d đạt, %(not_met)d chưa đạt, %(no_data)d chưa có số liệu"
                " / %(total)d"
            )
            % {
                "met": tally[MET],
                "not_met": tally[NOT_MET],
                "no_data": tally[NO_DATA],
                "total": total,
            },
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
    measured = {pk: measure(ind, units, context) for pk, ind in indicators.items()}
    tags = variants_for(units)
    picked = {}  # (criterion id, unit's tags): requirements; few combinations
    evaluations = {}
    for unit in units:
        unit_tags = frozenset(tags.get(unit.pk, ()))
        criterion_results = []
        for criterion in criteria:
            key = (criterion.pk, unit_tags)
            if key not in picked:
                picked[key] = _pick_variants(criterion.requirements.all(), unit_tags)
            results = []
            for requirement in picked[key]:
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
        if requirement.variant:
            if requirement.variant in unit_tags:
                chosen[requirement.code] = requirement
        else:
            chosen.setdefault(requirement.code, requirement)
    return sorted(chosen.values(), key=lambda r: (r.order, r.code))
