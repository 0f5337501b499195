"""The registry through which domain apps compute indicators from their records.

A provider computes one or more indicators for every leaf unit at once (villages
for household facts) with set-based queries, returning numerator and denominator
per unit id. The engine aggregates leaves up to any unit, across reorganisations.
The engine never imports a domain app: apps call ``register`` from ``ready()``.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Q

from ntm.units import scope as unit_scope
from ntm.units.models import Unit, province_code_of
from ntm.units.scope import within_paths


@dataclass
class Within:
    """The leaf units a scoped provider run must cover: those lying under
    ``paths`` and the ``ids`` of units placed there through reorganisations
    (an old village whose households were not moved).

    A household change in one district then costs a GROUP BY over that
    district's households, not over the country's.
    """

    paths: tuple
    ids: tuple = ()
    # The ids' own paths when the caller has them (the engine's locator):
    # ``provinces`` then costs no query.
    id_paths: tuple = ()
    MAX_LISTED = 5000

    def q(self, field="village"):
        """Q: rows whose ``field`` unit ("" for units themselves) is in scope.

        Rows of other tables match the units' ids, read first: a list the
        planner reads through the rows' unit index. A subquery or a join
        with the path conditions lets PostgreSQL hash the units and scan
        every household of the country instead (1.7 s at 27 M). Beyond
        ``MAX_LISTED`` units (a province) the subquery is the better plan.
        """
        if not field:
            return self._units
        if len(self._listed) > self.MAX_LISTED:
            return Q(**{f"{field}__in": self._unit_ids})
        return Q(**{f"{field}_id__in": self._listed})

    def covers(self, unit):
        return unit.pk in self.ids or unit_scope.covers(self.paths, unit)

    @cached_property
    def provinces(self):
        """Codes of the provinces the scope's units lie in: the partitions
        a scoped read of a partitioned table needs (ntm.core.partitions).
        A unit placed there by a reorganisation keeps its own province."""
        paths = {*self.paths, *self.id_paths}
        if self.ids and not self.id_paths:
            paths.update(
                Unit.objects.filter(pk__in=self.ids).values_list("path", flat=True)
            )
        return sorted({province_code_of(path) for path in paths})

    def covers_path(self, path):
        return any(path.startswith(prefix) for prefix in self.paths)

    @property
    def _units(self):
        return within_paths(self.paths) | Q(pk__in=list(self.ids))

    @property
    def _unit_ids(self):
        return Unit.objects.filter(self._units).values_list("pk", flat=True)

    @cached_property
    def _listed(self):
        """The units' ids, read once for all the providers of a run."""
        return list(self._unit_ids[: self.MAX_LISTED + 1])


@dataclass(frozen=True)
class Provider:
    codes: tuple
    # () -> {code: {unit id: (numerator, denominator)}}; (period) -> … if
    # dated; (day) -> … if versioned (None: today's records)
    compute: object
    label: str
    dated: bool = False
    # Reads a register kept as dated versions (households): any past day.
    versioned: bool = False
    # Accepts ``within=`` (a Within, or None for every unit).
    scoped: bool = False
    # {code: (unit) -> URL}: the app's register filtered to the records of
    # ``unit`` that do not count yet (households without fibre), so that
    # "N more" links to the N candidates.
    lacking: dict = field(default=None, hash=False, compare=False)
    # (period, within=, codes=) -> {code: {unit id: pair}}: computes this
    # provider's codes and other providers' in one pass when today's records
    # are read (the household register's GROUP BY); the engine keeps every
    # code it returns.
    joint: object = field(default=None, hash=False, compare=False)

    def lacking_url(self, code, unit):
        finder = (self.lacking or {}).get(code)
        return finder(unit) if finder is not None else ""

    def compute_for(self, period, *, live=False, within=None, wanted=None):
        """The provider's values for ``period``; ``live`` reads a versioned
        register as it is today (the open period, what-if screens). A scoped
        provider computes only the leaf units ``within`` covers; the others
        compute every unit, which is never wrong, only slower.

        Live, a provider with a ``joint`` computation returns the values of
        every code of ``wanted`` that the joint pass covers, its
        own included."""
        if live and self.joint is not None:
            codes = set(self.codes) | set(wanted or ())
            return self.joint(period, within=within, codes=codes)
        scope = {"within": within} if self.scoped and within is not None else {}
        if self.versioned:
            return self.compute(None if live else period.reference_day, **scope)
        if self.dated:
            return self.compute(period, **scope)
        return self.compute(**scope)


_providers = {}


def register(
    *codes,
    label,
    dated=False,
    versioned=False,
    scoped=False,
    lacking=None,
    joint=None,
):
    """Decorator: ``compute()`` provides the indicators ``codes``.

    ``dated`` providers read records that carry their period (trainings of a
    year) and are called as ``compute(period)`` for open and closed periods
    alike; ``versioned`` ones read a register kept as dated versions and are
    called as ``compute(day)`` (the period's last day, None for today), so
    they too answer for any period; the others describe today and are
    frozen when a period closes. ``scoped`` ones also take ``within=`` (a
    ``Within``) and may leave out the leaf units it does not cover.
    ``joint`` providers (scoped ones) share one computation when live.
    """

    def decorator(compute):
        provider = Provider(
            codes=tuple(codes),
            compute=compute,
            label=label,
            dated=dated or versioned,
            versioned=versioned,
            scoped=scoped,
            lacking=lacking,
            joint=joint,
        )
        for code in codes:
            _providers[code] = provider
        return compute

    return decorator


def in_scope(rows, within, field="village"):
    """``rows`` narrowed to ``within`` (a Within or None: every unit)."""
    return rows if within is None else rows.filter(within.q(field))


def provider_for(code):
    return _providers.get(code)


def fraction(numerator, denominator=None):
    """A (numerator, denominator) pair in Decimals, as providers return them."""
    return (
        Decimal(numerator or 0),
        None if denominator is None else Decimal(denominator),
    )
