"""The one unit-scope filter: "within the units a person holds a role on".

A role held on a unit covers that unit and everything below it; a unit's
``path`` ("49/506/20515/") makes "below" a prefix match. Every app's
``within`` / ``within_any`` / ``visible_to`` is built from ``within_paths``
or ``ScopedQuerySet``, and every check on one loaded unit from ``covers``,
never from a hand-written ``path__startswith`` loop.
"""

from django.db import models
from django.db.models import Q


def narrowest(paths):
    """``paths`` without those already covered by a shorter one, sorted.

    A district admin who is also a commune officer inside the district needs
    one condition, not two.
    """
    kept = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(other) for other in kept):
            kept.append(path)
    return sorted(kept)


def prefixes(path):
    """The paths of a unit and every unit above it: "49/", "49/506/", …"""
    return [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]


def within_paths(paths, field="", *, lineage=False, above=False):
    """Q: rows whose unit lies within any of ``paths``.

    ``field`` names the unit relation ("unit", "village", "commune"; "" for
    units themselves). With ``lineage``, units that ended by being merged or
    renamed into such a unit count too, and so do their children (a 2024
    village of a commune merged in 2025): records kept under old units stay
    with whoever holds the new one. With ``above``, the units above each path
    count too (a district survey reaches a commune officer). An empty
    ``paths`` matches nothing.
    """
    prefix = f"{field}__" if field else ""
    kept = narrowest(paths)
    condition = Q(pk__in=[])
    for path in kept:
        condition |= Q(**{f"{prefix}path__startswith": path})
        if lineage:
            condition |= Q(
                **{f"{prefix}successor_events__successors__path__startswith": path}
            ) | Q(
                **{
                    f"{prefix}parent__successor_events__successors__path__startswith": (
                        path
                    )
                }
            )
    if above and kept:
        above_paths = {p for path in kept for p in prefixes(path)}
        condition |= Q(**{f"{prefix}path__in": sorted(above_paths)})
    return condition


def covers(paths, unit, *, lineage=False, above=False):
    """True when ``unit`` (already loaded) lies within any of ``paths``.

    The rule of ``within_paths`` for one unit. The direct answers need no
    query; lineage asks the database once, and only for a unit with an end
    date: a reorganisation closes the units it replaces (and the demo's old
    villages close with their commune), so a unit still open has none.
    """
    if unit is None or not paths:
        return False
    if any(unit.path.startswith(path) for path in paths):
        return True
    if above and any(path.startswith(unit.path) for path in paths):
        return True
    if not lineage or unit.valid_to is None:
        return False
    manager = type(unit)._base_manager
    return manager.filter(within_paths(paths, lineage=True), pk=unit.pk).exists()


class ScopedQuerySet(models.QuerySet):
    """``within(unit)`` and ``within_any(paths)`` on the unit ``scope_field``.

    Subclasses name their unit relation: ``scope_field = "village"``.
    """

    scope_field = "unit"

    def within(self, unit, *, lineage=False):
        """Rows on ``unit`` and every unit below it."""
        return self.within_any([unit.path], lineage=lineage)

    def within_any(self, paths, *, lineage=False, above=False):
        """Rows on units below any of ``paths`` (none when ``paths`` is empty)."""
        if not paths:
            return self.none()
        condition = within_paths(paths, self.scope_field, lineage=lineage, above=above)
        if lineage:
            # The lineage joins run through many-to-many events, which would
            # repeat rows; a subquery keeps each row once without DISTINCT.
            matching = self.model._base_manager.filter(condition).values("pk")
            return self.filter(pk__in=matching)
        return self.filter(condition)
