"""The registry through which domain apps compute indicators from their records.

A provider computes one or more indicators for every leaf unit at once (villages
for household facts) with set-based queries, returning numerator and denominator
per unit id. The engine aggregates leaves up to any unit, across reorganisations.
The engine never imports a domain app: apps call ``register`` from ``ready()``.
"""

from dataclasses import dataclass, field
from decimal import Decimal


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
    # {code: (unit) -> URL}: the app's register filtered to the records of
    # ``unit`` that do not count yet (households without fibre), so that
    # "N more" links to the N candidates.
    lacking: dict = field(default=None, hash=False, compare=False)

    def lacking_url(self, code, unit):
        finder = (self.lacking or {}).get(code)
        return finder(unit) if finder is not None else ""

    def compute_for(self, period, *, live=False):
        """The provider's values for ``period``; ``live`` reads a versioned
        register as it is today (the open period, what-if screens)."""
        if self.versioned:
            return self.compute(None if live else period.reference_day)
        return self.compute(period) if self.dated else self.compute()


_providers = {}


def register(*codes, label, dated=False, versioned=False, lacking=None):
    """Decorator: ``compute()`` provides the indicators ``codes``.

    ``dated`` providers read records that carry their period (trainings of a
    year) and are called as ``compute(period)`` for open and closed periods
    alike; ``versioned`` ones read a register kept as dated versions and are
    called as ``compute(day)`` (the period's last day, None for today), so
    they too answer for any period; the others describe today and are
    frozen when a period closes.
    """

    def decorator(compute):
        provider = Provider(
            codes=tuple(codes),
            compute=compute,
            label=label,
            dated=dated or versioned,
            versioned=versioned,
            lacking=lacking,
        )
        for code in codes:
            _providers[code] = provider
        return compute

    return decorator


def provider_for(code):
    return _providers.get(code)


def fraction(numerator, denominator=None):
    """A (numerator, denominator) pair in Decimals, as providers return them."""
    return (
        Decimal(numerator or 0),
        None if denominator is None else Decimal(denominator),
    )
