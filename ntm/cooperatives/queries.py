"""Reads shared by the providers and the pages: where a cooperative sits now."""

from ntm.units.models import Unit, today

# Reorganisation chains are short (one in 2025); the bound only stops a loop.
MAX_HOPS = 5


def communes_on(unit_ids, day):
    """{unit id: id of the commune holding it on ``day``} for commune ids.

    A commune valid on the day is itself. One that ended is followed to its
    successors (one query per hop): a merger has one successor valid on the
    day. A split (several successors) or a unit that did not exist yet (a
    cooperative entered under a 2025 commune, read for 2024) cannot be
    placed and is left out rather than guessed.
    """
    units = {
        pk: (valid_from, valid_to)
        for pk, valid_from, valid_to in Unit.objects.filter(
            pk__in=list(unit_ids)
        ).values_list("pk", "valid_from", "valid_to")
    }
    placed, pending = {}, {}
    for pk, (valid_from, valid_to) in units.items():
        if _valid(valid_from, valid_to, day):
            placed[pk] = pk
        elif valid_to is not None and valid_to < day:
            pending[pk] = pk  # current unit: origin
    for _hop in range(MAX_HOPS):
        if not pending:
            break
        links = Unit.objects.filter(
            predecessor_events__predecessors__in=list(pending)
        ).values_list(
            "predecessor_events__predecessors", "pk", "valid_from", "valid_to"
        )
        successors = {}
        for old, new, valid_from, valid_to in links:
            successors.setdefault(old, set()).add((new, valid_from, valid_to))
        following = {}
        for current, origin in pending.items():
            found = successors.get(current, set())
            valid = {new for new, f, t in found if _valid(f, t, day)}
            if len(found) == 1 and len(valid) == 1:
                placed[origin] = valid.pop()
            elif len(found) == 1:
                ((new, _f, valid_to),) = found
                if valid_to is not None and valid_to < day:
                    following[new] = origin
        pending = following
    return placed


def _valid(valid_from, valid_to, day):
    return (valid_from is None or valid_from <= day) and (
        valid_to is None or valid_to >= day
    )


def current_communes(cooperatives):
    """{commune id: today's commune} for the communes of ``cooperatives``
    that have ended (merged), so pages can say "nay thuộc Xã Hà Nha"."""
    ended = {c.commune_id for c in cooperatives if c.commune.has_ended}
    if not ended:
        return {}
    placed = communes_on(ended, today())
    units = Unit.objects.defer("boundary").in_bulk(set(placed.values()))
    return {old: units[new] for old, new in placed.items() if old != new}
