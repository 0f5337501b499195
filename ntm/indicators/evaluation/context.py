"""The work shared by one period's evaluations: provider runs, frozen snapshots,
entered values read in bulk, and where every unit sits on a day.
"""

from collections import defaultdict

from django.utils import timezone

from ntm.units.models import Unit
from ntm.units.scope import narrowest, prefixes

from .. import providers
from ..models import ComputedSnapshot, Indicator, IndicatorValue
from .locator import Locator


class Context:
    """Work shared by the evaluations of one period: provider runs, unit lookups.

    ``live`` says whether computed indicators are read from today's records
    (an open or future period) or from snapshots (a past one; a closed one
    reads every computed value, dated ones too, from what its closing
    froze); pass it to override the calendar (tests, what-if screens).

    ``within`` (units) scopes the context to their territory: scoped
    providers then compute only the villages below those units, so that a
    district's page or its recomputation after a household change does not
    pay for the whole country. Evaluating a unit outside it is an error.
    """

    def __init__(self, period, live=None, within=None):
        self.period = period
        self.day = period.reference_day
        today = timezone.localdate()
        if live is None:
            live = not period.is_closed and (
                period.start <= today <= period.end or period.start > today
            )
        self.live = live
        # A closed period reads every computed value from what was frozen,
        # dated providers included: its figures never change.
        self.frozen = period.is_closed and not live
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
        self._wanted = None  # codes the evaluations will read (None: unknown)
        self.within = self._scope(within)

    # -- computed indicators -------------------------------------------------
    def leaf_values(self, indicator):
        """({unit id: (numerator, denominator)}, as_of) for the leaf units."""
        if indicator.code not in self._leaf_values:
            provider = providers.provider_for(indicator.code)
            # Dated records (work dossiers of a year) answer for any year;
            # today's records (households) only for the open one.
            if self.live or (
                provider is not None and provider.dated and not self.frozen
            ):
                if provider is None:
                    self._leaf_values[indicator.code] = ({}, None)
                else:
                    computed = provider.compute_for(
                        self.period,
                        live=self.live,
                        within=self.within,
                        # Not again what an earlier set's pass computed.
                        wanted=(self._wanted or set()) - self._leaf_values.keys(),
                    )
                    # A joint pass answers for other providers' codes too.
                    for code in {*provider.codes, *computed}:
                        self._leaf_values[code] = (
                            computed.get(code, {}),
                            self.computed_at,
                        )
            else:
                self.load_snapshots([indicator])
        return self._leaf_values[indicator.code]

    def expect(self, indicators):
        """Say which indicators the evaluations will read, so that a joint
        pass (the register's) computes them all at once and nothing more."""
        codes = {i.code for i in indicators if i.source == Indicator.Source.COMPUTED}
        self._wanted = codes if self._wanted is None else self._wanted | codes

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
            and (
                self.frozen
                or not getattr(providers.provider_for(i.code), "dated", False)
            )
        }
        if self.live or not wanted:
            return
        values = {pk: {} for pk in wanted}
        as_of = dict.fromkeys(wanted)
        rows = ComputedSnapshot.objects.filter(
            period=self.period, indicator__in=list(wanted)
        )
        if self.within is not None:
            # A district's page reads its provinces' partitions only.
            rows = rows.filter(province_code__in=self.within.provinces)
        rows = rows.values_list(
            "indicator_id", "unit_id", "numerator", "denominator", "computed_at"
        )
        for indicator_id, unit_id, numerator, denominator, computed_at in rows:
            values[indicator_id][unit_id] = (numerator, denominator)
            latest = as_of[indicator_id]
            as_of[indicator_id] = max(latest, computed_at) if latest else computed_at
        for pk, code in wanted.items():
            self._leaf_values[code] = (values[pk], as_of[pk])

    def _scope(self, units):
        """The ``Within`` of ``units`` on the period's day, or None (every unit).

        A unit that does not exist on that day is read on another day
        (``key_day``), across reorganisations: no scope then. Units that
        reorganisations place inside the territory count too.
        """
        if units is None:
            return None
        units = list(units)
        if not units or not all(unit.is_valid_on(self.day) for unit in units):
            return None
        paths = tuple(narrowest(unit.path for unit in units))
        within = providers.Within(paths)
        # Only those the paths miss: units elsewhere in the tree (the 2024
        # villages of a commune merged into this district in 2025).
        rows = self.locator.units
        placed = self.locator.paths_on(rows.values(), self.day)
        ids = tuple(
            sorted(
                pk
                for pk, path in placed.items()
                if path
                and within.covers_path(path)
                and not within.covers_path(rows[pk][1])
            )
        )
        return providers.Within(paths, ids, tuple(rows[pk][1] for pk in ids))

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
        members = self.members_on(key_day(unit, self), ids)
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


def key_day(unit, context):
    """The day on which a unit's territory is read: the period's, if it existed."""
    return context.day if unit.is_valid_on(context.day) else unit.reference_day


def keyed_units(units, context):
    """[(unit id, path, key day)] for ``units``, kept for the next indicator."""
    cached = context._targets
    if cached is None or cached[0] is not units:
        within = context.within
        if within is not None:
            outside = [u.code for u in units if not within.covers(u)]
            if outside:
                raise ValueError(f"units outside the context's scope: {outside[:5]}")
        cached = (units, [(u.pk, u.path, key_day(u, context)) for u in units])
        context._targets = cached
    return cached[1]


def key_days(units, context):
    return {pk: day for pk, _path, day in keyed_units(units, context)}
