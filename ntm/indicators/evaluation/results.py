"""What an evaluation answers: the three statuses and the results of a
requirement, a criterion and a unit.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ntm.units.models import Unit

from ..models import Requirement

MET, NOT_MET, NO_DATA = "met", "not_met", "no_data"
# A share of nothing (a village with no production households has no share
# of them on e-commerce): the requirement does not apply and blocks nothing.
# Distinct from NO_DATA, where records that should exist are missing.
NOT_APPLICABLE = "not_applicable"
STATUSES = (MET, NOT_MET, NO_DATA, NOT_APPLICABLE)


@dataclass(slots=True)
class Measurement:
    value: Decimal | None
    source: str  # computed, entered, rollup
    as_of: object = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    entries: Sequence = ()  # approved IndicatorValue rows used
    pending: Sequence = ()  # values entered but not approved
    detail: str = ""
    # Roll-ups: the child evaluations counted, so views can name the laggards.
    children: Sequence = ()
    # The value before rounding for display: thresholds compare with this
    # (38 587 / 38 588 shows as 100 % but is not 100 %).
    exact: Decimal | None = None
    not_applicable: bool = False

    @property
    def compared(self):
        """The number a threshold is compared with: unrounded when known."""
        return self.exact if self.exact is not None else self.value


def worst(statuses):
    """The status of a whole made of parts: any not met, else any without
    data, else met; parts that do not apply are left out (all of them not
    applying: not applicable; no parts: no data)."""
    # A set, not a list scanned three times: called for every criterion of
    # every unit (800,000 times for the country's villages).
    found = set(statuses)
    if not found:
        return NO_DATA
    if NOT_MET in found:
        return NOT_MET
    if NO_DATA in found:
        return NO_DATA
    if found - {NOT_APPLICABLE}:
        return MET
    return NOT_APPLICABLE


@dataclass(slots=True)
class RequirementResult:
    requirement: Requirement
    measurement: Measurement
    status: str

    @property
    def value(self):
        return self.measurement.value


@dataclass(slots=True)
class CriterionResult:
    criterion: object
    results: list
    status: str


@dataclass(slots=True)
class UnitEvaluation:
    unit: Unit
    criteria_set: object
    period: object
    criteria: list
    status: str

    def counts(self):
        tally = dict.fromkeys(STATUSES, 0)
        for criterion in self.criteria:
            tally[criterion.status] += 1
        return tally

    def result_for(self, code):
        for criterion in self.criteria:
            for result in criterion.results:
                if result.requirement.code == code:
                    return result
        return None

    def criterion(self, number):
        return next(
            (c for c in self.criteria if str(c.criterion.number) == str(number)), None
        )
