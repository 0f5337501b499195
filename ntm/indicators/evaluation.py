"""The engine: does this unit meet this requirement in this period, and why.

``evaluate(criteria_set, units, period)`` answers for many units at once:

1. every indicator the set needs is measured for every unit, in bulk:
   - computed: the registered provider runs once (live for an open period,
     frozen snapshots for a closed one) and its leaf values are summed up to
     each unit: every leaf is placed once per day under each prefix of its
     path (``Context.members_on``, through the ``Locator``, which follows
     reorganisations), so a unit's total is a dictionary read and a sum;
   - entered: approved values only; values of several units (an old commune's
     three predecessors, a commune's villages) combine by the indicator's
     aggregation rule, and only when every unit expected below has one;
   - roll-up: child units (of the named kinds) are evaluated against another
     set and counted;
2. each requirement picks its variant for the unit (region, commune group) and
   compares: met, not met, or no data (never shown as met);
3. criteria and the set take the worst status of their parts.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.core.numbers import round_half_up
from ntm.units.models import Reorganisation, Unit
from ntm.units.scope import prefixes

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
    entries: Sequence = ()  # approved IndicatorValue rows used
    pending: Sequence = ()  # values entered but not approved
    detail: str = ""
    # Roll-ups: the child evaluations counted, so views can name the laggards.
    children: Sequence = ()


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
    """Not met if any part is; else no data if any part (or nothing) is."""
    status = None
    for part in statuses:
        if part == NOT_MET:
            return NOT_MET
        if part == NO_DATA or status is None:
            status = part
    return status or NO_DATA


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
        self._entered = {}
        self._locator = None
        self._rollups = {}
        self._rows = {}  # unit id: (id, path, valid_from, valid_to)
        self._placed = defaultdict(set)  # day: unit ids already placed
        self._members = defaultdict(lambda: defaultdict(list))  # day: prefix: ids
        self._level_ids = {}  # (level, day): ids of the units valid that day
        self._targets = None  # (units, [(id, path, key day)]) of the last call

    # -- computed indicators -------------------------------------------------
    def leaf_values(self, indicator):
        """({unit id: (numerator, denominator)}, as_of) for the leaf units."""
        if indicator.code not in self._leaf_values:
            provider = providers.provider_for(indicator.code)
            # Dated records (work dossiers of a year) answer for any year;
            # today's records (households) only for the open one.
            if self.live or (provider is not None and provider.dated):
                if provider is None:
                    self._leaf_values[indicator.code] = ({}, None)
                else:
                    computed = provider.compute_for(self.period)
                    for code in provider.codes:
                        self._leaf_values[code] = (
                            computed.get(code, {}),
                            self.computed_at,
                        )
            else:
                self.load_snapshots([indicator])
        return self._leaf_values[indicator.code]

    def entered_values(self, indicator):
        """The period's entered values of ``indicator`` (every status), by path."""
        if indicator.pk not in self._entered:
            self.load_entered([indicator])
        return self._entered[indicator.pk]

    def load_entered(self, indicators):
        """Read the entered values of several indicators in one query.

        A set has dozens of entered indicators; one query for all of them
        beats one per indicator (the plan dashboard reads three years of two
        commune sets).
        """
        wanted = [
            i.pk
            for i in indicators
            if i.source == Indicator.Source.ENTERED and i.pk not in self._entered
        ]
        if not wanted:
            return
        for pk in wanted:
            self._entered[pk] = []
        rows = (
            IndicatorValue.objects.filter(indicator__in=wanted, period=self.period)
            .select_related("unit", "reviewed_by")
            .defer("unit__boundary")
            .order_by("unit__path")
        )
        for value in rows:
            self._entered[value.indicator_id].append(value)

    def load_snapshots(self, indicators):
        """Read the frozen values of several computed indicators in one query."""
        wanted = {
            i.pk: i.code
            for i in indicators
            if i.source == Indicator.Source.COMPUTED
            and i.code not in self._leaf_values
            and not getattr(providers.provider_for(i.code), "dated", False)
        }
        if self.live or not wanted:
            return
        values = {pk: {} for pk in wanted}
        as_of = dict.fromkeys(wanted)
        rows = ComputedSnapshot.objects.filter(
            period=self.period, indicator__in=list(wanted)
        ).values_list(
            "indicator_id", "unit_id", "numerator", "denominator", "computed_at"
        )
        for indicator_id, unit_id, numerator, denominator, computed_at in rows:
            values[indicator_id][unit_id] = (numerator, denominator)
            latest = as_of[indicator_id]
            as_of[indicator_id] = max(latest, computed_at) if latest else computed_at
        for pk, code in wanted.items():
            self._leaf_values[code] = (values[pk], as_of[pk])

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
                    for prefix in prefixes(path):
                        members[prefix].append(pk)
            placed.update(missing)
        return self._members[day]

    def units_within(self, unit, level, kinds=()):
        """Units on ``level`` that exist in the period, in ``unit``'s territory.

        The communes of Huyện Đại Lộc in 2024 are its 18; in 2025, after the
        district ended, the five new communes formed on its territory.
        """
        ids = self.ids_at_level(level, self.day, kinds)
        wanted = set(ids)
        members = self.members_on(_key_day(unit, self), ids)
        inside = [pk for pk in members.get(unit.path, ()) if pk in wanted]
        return list(
            Unit.objects.filter(pk__in=inside).defer("boundary").order_by("path")
        )

    def ids_at_level(self, level, day, kinds=()):
        """Ids of the units on ``level`` (of ``kinds``, if given) on ``day``."""
        key = (level, day, tuple(kinds))
        if key not in self._level_ids:
            rows = Unit.objects.valid_on(day).filter(level=level)
            if kinds:
                rows = rows.filter(kind__in=kinds)
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
    its successors (forward) or predecessors (backward) until it reaches units
    valid on the day. When there are several (a merge walked backwards, a
    split walked forwards), the unit sat in the deepest unit containing all of
    them: Xã Hà Nha, formed in 2025 from three communes of Huyện Đại Lộc, sits
    on 31/12/2024 in "49/506/" — inside the district, in none of the three.
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
        if not nxt or any(other not in self.units for other in nxt):
            return None
        paths = [self._walk(*self.units[other], day, depth + 1) for other in nxt]
        if None in paths:
            return None
        return _common_prefix(paths)


def _common_prefix(paths):
    """ "49/506/20512/" and "49/506/20515/" -> "49/506/"; None when nothing shared."""
    parts = [path.split("/")[:-1] for path in paths]
    shared = []
    for segments in zip(*parts, strict=False):
        if len(set(segments)) != 1:
            break
        shared.append(segments[0])
    return "/".join(shared) + "/" if shared else None


def _key_day(unit, context):
    """The day on which a unit's territory is read: the period's, if it existed."""
    return context.day if unit.is_valid_on(context.day) else unit.reference_day


def _targets(units, context):
    """[(unit id, path, key day)] for ``units``, kept for the next indicator."""
    cached = context._targets
    if cached is None or cached[0] is not units:
        cached = (units, [(u.pk, u.path, _key_day(u, context)) for u in units])
        context._targets = cached
    return cached[1]


def _key_days(units, context):
    return {pk: day for pk, _path, day in _targets(units, context)}


def measure(indicator, units, context):
    """{unit id: Measurement} for one indicator and many units."""
    if indicator.source == Indicator.Source.COMPUTED:
        return _measure_computed(indicator, units, context)
    if indicator.source == Indicator.Source.ROLLUP:
        return _measure_rollup(indicator, units, context)
    return _measure_entered(indicator, units, context)


def _measure_computed(indicator, units, context):
    leaves, as_of = context.leaf_values(indicator)
    targets = _targets(units, context)
    days = {day for _pk, _path, day in targets}
    members = {day: context.members_on(day, leaves) for day in days}
    source = Indicator.Source.COMPUTED
    values = {}  # the same pair gives the same value; villages repeat pairs
    result = {}
    for pk, path, day in targets:
        below = members[day].get(path)
        pair = None
        if below and len(below) == 1:
            pair = leaves.get(below[0])
        elif below:
            numerator, denominator, found = Decimal(0), None, False
            for leaf in below:
                part = leaves.get(leaf)
                if part is None:
                    continue
                found = True
                numerator += part[0]
                if part[1] is not None:
                    denominator = (
                        part[1] if denominator is None else denominator + part[1]
                    )
            pair = (numerator, denominator) if found else None
        if pair is None:
            result[pk] = Measurement(None, source, as_of)
            continue
        if pair not in values:
            values[pair] = _value(indicator, *pair)
        result[pk] = Measurement(values[pair], source, as_of, *pair)
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
    values = context.entered_values(indicator)
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
            value = round_half_up(total / count, 2)
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
    # Only the kinds named count: thị trấn are not judged by the commune set.
    candidates = context.ids_at_level(
        indicator.rollup_level, context.day, indicator.rollup_kind_list
    )
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
        counted = [evaluations[pk] for pk in children_of[unit.pk]]
        for child in counted:
            tally[rollup_status(child, indicator)] += 1
        total = sum(tally.values())
        if total == 0 or tally[NO_DATA] == total:
            value = None
        elif indicator.measure == Indicator.Measure.PERCENT:
            value = round_half_up(Decimal(tally[MET]) * HUNDRED / total, 2)
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
            children=counted,
        )
    return result


def rollup_status(evaluation, indicator):
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
        return round_half_up(numerator * HUNDRED / denominator, 2)
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
        overall = MET if criteria else NO_DATA
        for criterion, requirements in plans[unit_tags]:
            results = []
            summary = MET if requirements else NO_DATA
            for requirement, requirement_pk, measurements in requirements:
                measurement = measurements[pk]
                verdict = (requirement_pk, measurement.value)
                status = verdicts.get(verdict)
                if status is None:
                    met = requirement.is_met_by(measurement.value)
                    status = NO_DATA if met is None else (MET if met else NOT_MET)
                    verdicts[verdict] = status
                if status == NOT_MET:
                    summary = NOT_MET
                elif status == NO_DATA and summary == MET:
                    summary = NO_DATA
                results.append(RequirementResult(requirement, measurement, status))
            if summary == NOT_MET:
                overall = NOT_MET
            elif summary == NO_DATA and overall == MET:
                overall = NO_DATA
            criterion_results.append(CriterionResult(criterion, results, summary))
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
