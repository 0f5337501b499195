"""What an evaluation answers: the three statuses and the results of a
requirement, a criterion and a unit.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ntm.units.models import Unit

from ..models import Requirement

MET, NOT_MET, NO_DATA = "met", "not_met", "no_data"


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
        tally = {MET: 0, NOT_MET: 0, NO_DATA: 0}
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
