"""Which unconfirmed thresholds a requirement's verdict rests on.

A verdict rests on an unconfirmed threshold directly (the requirement's own
is not verified), through a roll-up (plan target 3 counts the communes
meeting 15.2 of the advanced commune set, whose threshold is unconfirmed),
or through a yes/no indicator whose pass condition another set defines
(target 4a reads "the district meets 9.5", and 9.5 of the district set is
unconfirmed). Every page, export and API showing such a verdict carries the
"unconfirmed threshold" badge, naming the requirements it rests on.
"""

from collections import defaultdict
from dataclasses import dataclass

from ..models import Indicator, Requirement


@dataclass(frozen=True, slots=True)
class Unconfirmed:
    """One unconfirmed requirement a verdict rests on (picklable, small)."""

    set_code: str
    code: str
    name: str

    def __str__(self):
        return f"{self.code} ({self.set_code})"


class Confirmations:
    """Answers ``rests_on(requirement)`` from every requirement, read once."""

    def __init__(self):
        self._by_set = defaultdict(list)  # set id: [requirement rows]
        self._unconfirmed_of = defaultdict(list)  # indicator id: [Unconfirmed]
        rows = Requirement.objects.values_list(
            "pk",
            "code",
            "name",
            "confirmed",
            "indicator_id",
            "criterion__number",
            "criterion__criteria_set_id",
            "criterion__criteria_set__code",
        )
        for row in rows:
            pk, code, name, confirmed, indicator_id, number, set_id, set_code = row
            self._by_set[set_id].append(row)
            if not confirmed:
                self._unconfirmed_of[indicator_id].append(
                    Unconfirmed(set_code, code, name)
                )
        self._indicators = {
            i.pk: i
            for i in Indicator.objects.filter(
                pk__in={row[4] for rows in self._by_set.values() for row in rows}
            )
        }
        self._cache = {}

    def rests_on(self, requirement):
        """[Unconfirmed] behind ``requirement``'s verdict, itself first."""
        found = []
        if not requirement.confirmed:
            found.append(
                Unconfirmed(
                    requirement.criterion.criteria_set.code,
                    requirement.code,
                    requirement.name,
                )
            )
        for item in self._behind(requirement.indicator_id, requirement.pk, set()):
            if item not in found:
                found.append(item)
        return found

    def _behind(self, indicator_id, own_pk, seen):
        key = (indicator_id, own_pk)
        if key in self._cache:
            return self._cache[key]
        if indicator_id in seen:
            return []
        seen = seen | {indicator_id}
        indicator = self._indicators.get(indicator_id)
        found = []
        if indicator is None:
            return found
        if indicator.measure == Indicator.Measure.BOOLEAN:
            # The pass condition of a yes/no indicator is its content: when
            # another set's requirement on it is unconfirmed, so is this.
            found.extend(self._unconfirmed_of.get(indicator_id, ()))
        if indicator.source == Indicator.Source.ROLLUP and indicator.rollup_set_id:
            for row in self._counted_rows(indicator):
                pk, code, name, confirmed, child_indicator, *_rest, set_code = row
                if not confirmed:
                    found.append(Unconfirmed(set_code, code, name))
                found.extend(self._behind(child_indicator, pk, seen))
        unique = list(dict.fromkeys(found))
        self._cache[key] = unique
        return unique

    def _counted_rows(self, indicator):
        rows = self._by_set.get(indicator.rollup_set_id, [])
        if indicator.rollup_requirement:
            return [r for r in rows if r[1] == indicator.rollup_requirement]
        if indicator.rollup_criterion:
            return [r for r in rows if str(r[5]) == str(indicator.rollup_criterion)]
        return rows
