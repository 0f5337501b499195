"""The engine: does this unit meet this requirement in this period, and why.

``evaluate(criteria_set, units, period)`` answers for many units at once:

1. every indicator the set needs is measured for every unit, in bulk
   (``measuring``, and ``verdicts.measure`` which dispatches on the source):
   - computed: the registered provider runs once (live for an open period,
     frozen snapshots for a closed one) and its leaf values are summed up to
     each unit: every leaf is placed once per day under each prefix of its
     path (``Context.members_on``, through the ``Locator``, which follows
     reorganisations), so a unit's total is a dictionary read and a sum;
   - entered: approved values only; values of several units (an old commune's
     three predecessors, a commune's villages) combine by the indicator's
     aggregation rule, and only when every unit expected below has one;
   - roll-up: child units (of the named kinds) are evaluated against another
     set and counted;
2. each requirement picks its variant for the unit (region, commune group) and
   compares its unrounded value: met, not met, no data (never shown as met),
   or not applicable (a share of nothing, which blocks nothing) (``verdicts``);
3. criteria and the set take the worst status of their parts, leaving out
   the parts that do not apply.

The modules: ``results`` (statuses and result records), ``context`` (what one
period's evaluations share: provider runs, snapshots, entered values, unit
placement), ``locator`` (territories through reorganisations), ``measuring``
(computed and entered indicators), ``verdicts`` (evaluating, roll-ups).
"""

from .context import Context
from .locator import Locator
from .measuring import HUNDRED
from .results import (
    MET,
    NO_DATA,
    NOT_APPLICABLE,
    NOT_MET,
    STATUSES,
    CriterionResult,
    Measurement,
    RequirementResult,
    UnitEvaluation,
    worst,
)
from .verdicts import evaluate, measure, rollup_status, variants_for, verdict

__all__ = [
    "HUNDRED",
    "MET",
    "NOT_MET",
    "NOT_APPLICABLE",
    "NO_DATA",
    "STATUSES",
    "Context",
    "CriterionResult",
    "Locator",
    "Measurement",
    "RequirementResult",
    "UnitEvaluation",
    "evaluate",
    "measure",
    "rollup_status",
    "variants_for",
    "verdict",
    "worst",
]
