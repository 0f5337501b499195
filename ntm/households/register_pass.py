"""One GROUP BY over the household register for every indicator read from it.

The shares of the smart-village set (address codes, fibre, phones, the
health app), clean water, e-commerce and traceability all count households
per village. Each computed alone, they scan the register once each: at
country size (27 M households) that is most of an evaluation. So each app
describes its counts as a ``Part`` (aggregate columns and how a row of them
becomes indicator values) and contributes it here; ``today_by_village``
computes every wanted part of today's register in one pass, and the engine
shares the result between the providers (``register(..., joint=…)``).

A provider computing alone (a past day's versions, a dated provider on a
past year) runs its own part through the same ``by_village``, so the counts
are written once.
"""

from dataclasses import dataclass

from ntm.indicators.providers import in_scope


@dataclass(frozen=True)
class Part:
    """Counts of households per village and the indicators made from them.

    ``columns(period)`` gives {name: aggregate} over households (the period
    is the evaluated one, None when a part does not depend on it);
    ``finish(counts)`` turns a village's {name: value} into {code: pair},
    leaving out a code that has no value there.
    """

    name: str
    codes: tuple
    columns: object
    finish: object


_parts = {}


def contribute(part):
    """Add ``part`` to the register's joint pass (from an app's ``ready()``
    or its indicators module); contributing again replaces it."""
    _parts[part.name] = part
    return part


def per_village(households, columns):
    """Rows of ``columns`` (aggregates) per village of ``households``: the
    one GROUP BY every count of the register goes through."""
    # order_by(): the register's default ordering would join every household
    # to its village for nothing (a third of the query).
    return households.order_by().values("village_id").annotate(**columns)


def by_village(parts, period=None, *, within=None, households=None):
    """{code: {village id: pair}} of ``parts`` over ``households`` (today's
    register by default) in the villages ``within`` covers, one query."""
    if households is None:
        from .models import Household

        households = Household.objects.all()
    annotations, names = {}, {}
    for part in parts:
        columns = part.columns(period)
        names[part.name] = list(columns)
        for name, aggregate in columns.items():
            annotations[f"{part.name}_{name}"] = aggregate
    result = {code: {} for part in parts for code in part.codes}
    households = in_scope(households, within)
    if within is not None:
        # A district's households lie in its province's partition.
        households = households.filter(province_code__in=within.provinces)
    for row in per_village(households, annotations):
        village = row["village_id"]
        for part in parts:
            counts = {name: row[f"{part.name}_{name}"] for name in names[part.name]}
            for code, pair in part.finish(counts).items():
                if pair is not None:
                    result[code][village] = pair
    return result


def today_by_village(period, within=None, codes=None):
    """Every contributed part of today's register wanted by ``codes`` (None:
    all), for the villages ``within`` covers, in one GROUP BY.

    The engine calls it as the providers' joint computation when it reads
    today's records (an open period).
    """
    wanted = [
        part
        for part in _parts.values()
        if codes is None or not set(part.codes).isdisjoint(codes)
    ]
    return by_village(wanted, period, within=within)
