"""Reads shared by the plans app's views, imports and providers."""

from collections import defaultdict

from django.db.models import Sum

from ntm.units.models import Reorganisation, Unit

from .models import BudgetLine
from .models.records import year_bounds
from .permissions import can_edit_record


def successors_of(units):
    """{unit id: [successor units]} for ``units``, in one query."""
    ids = [unit.pk for unit in units]
    links = Reorganisation.successors.through.objects.filter(
        reorganisation__predecessors__in=ids
    ).values_list("reorganisation__predecessors", "unit")
    pairs = list(links)
    found = Unit.objects.in_bulk({pk for _old, pk in pairs})
    result = defaultdict(list)
    for old, new in pairs:
        if old in ids and found.get(new) not in result[old]:
            result[old].append(found[new])
    return result


def plan_units(plan):
    """The plan's district and every commune that has lain on its territory.

    The communes inside the district's path, and the communes formed from
    them on 1 July 2025 (which sit under the city, not the district).
    """
    inside = list(
        Unit.objects.within(plan.unit)
        .filter(level__lte=Unit.Level.COMMUNE)
        .defer("boundary")
    )
    later = successors_of([u for u in inside if u.level == Unit.Level.COMMUNE])
    seen = {unit.pk for unit in inside}
    for new_units in later.values():
        for unit in new_units:
            if unit.pk not in seen:
                seen.add(unit.pk)
                inside.append(unit)
    return sorted(inside, key=lambda u: (u.level, u.valid_from is not None, u.path))


def record_units(user, plan, *, year=None, level=None):
    """The plan's units whose records ``user`` may keep, existing in ``year``."""
    units = plan_units(plan)
    if year is not None:
        first, last = year_bounds(year)
        units = [
            u
            for u in units
            if (u.valid_from is None or u.valid_from <= last)
            and (u.valid_to is None or u.valid_to >= first)
        ]
    if level is not None:
        units = [u for u in units if u.level == level]
    later = successors_of(units)
    return [
        u for u in units if can_edit_record(user, u, successors=later.get(u.pk, ()))
    ]


def budget_table(plan):
    """Allocated and disbursed by source (rows) and year (columns), with totals.

    {"years": [...], "rows": [(label, {year: (allocated, disbursed)}, total)],
    "totals": {year: (allocated, disbursed)}, "total": (allocated, disbursed)}
    """
    sums = {
        (row["source"], row["year"]): (row["allocated"], row["disbursed"])
        for row in BudgetLine.objects.filter(task__plan=plan)
        .values("source", "year")
        .annotate(allocated=Sum("allocated"), disbursed=Sum("disbursed"))
    }
    years = plan.years
    zero = (0, 0)

    def add(a, b):
        return (a[0] + b[0], a[1] + b[1])

    rows, totals, total = [], dict.fromkeys(years, zero), zero
    for source, label in BudgetLine.Source.choices:
        cells = {year: sums.get((source, year), zero) for year in years}
        row_total = zero
        for year, cell in cells.items():
            row_total = add(row_total, cell)
            totals[year] = add(totals[year], cell)
        total = add(total, row_total)
        rows.append((label, [cells[year] for year in years], row_total))
    return {
        "years": years,
        "rows": rows,
        "totals": [totals[year] for year in years],
        "total": total,
    }
