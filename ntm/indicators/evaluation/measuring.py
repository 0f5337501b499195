"""Measuring computed and entered indicators for many units at once."""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from ntm.core.numbers import round_half_up

from ..models import Indicator, IndicatorValue
from .context import key_days, keyed_units
from .results import Measurement

HUNDRED = Decimal(100)


def measure_computed(indicator, units, context):
    leaves, as_of = context.leaf_values(indicator)
    targets = keyed_units(units, context)
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
        value, exact, not_applicable = values[pair]
        result[pk] = Measurement(
            value,
            source,
            as_of,
            *pair,
            exact=exact,
            not_applicable=not_applicable,
        )
    return result


def measure_entered(indicator, units, context):
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
        days = key_days(units, context)
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
        exact = (
            total / count
            if indicator.aggregation == Indicator.Aggregation.RATIO
            else None
        )
        result[unit.pk] = Measurement(
            value,
            source,
            max(v.reviewed_at for v in used),
            total,
            Decimal(count),
            entries=used,
            pending=waiting,
            detail=_("gộp từ giá trị đã duyệt của %d đơn vị") % count,
            exact=exact,
        )
    return result


def _value(indicator, numerator, denominator):
    """(value shown, value compared, not applicable) of a computed pair.

    A share of nothing (denominator 0: no production households, no
    dossiers) does not apply; no denominator at all is no data.
    """
    if indicator.measure == Indicator.Measure.PERCENT:
        if denominator is None:
            return None, None, False
        if denominator == 0:
            return None, None, True
        exact = numerator * HUNDRED / denominator
        return round_half_up(exact, 2), exact, False
    if indicator.measure == Indicator.Measure.BOOLEAN:
        if denominator is None:
            value = Decimal(1) if numerator > 0 else Decimal(0)
            return value, None, False
        if denominator == 0:
            return None, None, True
        return (Decimal(1) if numerator == denominator else Decimal(0)), None, False
    return numerator, None, False
