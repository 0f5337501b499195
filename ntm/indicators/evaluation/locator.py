"""Where a unit's territory sat on another day, through reorganisations."""

from collections import defaultdict

from ntm.units.models import Reorganisation, Unit


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
