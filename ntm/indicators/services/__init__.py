"""Writes of the engine, by sub-topic; imported from here everywhere.

- ``values``: entering a value and sending it for review; why one is locked;
- ``review``: approving a value or sending it back; a reviewed history in bulk;
- ``evidence``: files attached to a value;
- ``thresholds``: editing a requirement, classifying units for its variants;
- ``criteria``: loading the criteria files; a new version from a sheet;
- ``periods``: closing a period (its figures frozen) and reopening it;
- ``errors``: the app's domain errors.
"""

from .criteria import (
    CRITERIA_DIR,
    LEVELS,
    adopt_criteria_version,
    criteria_file_digest,
    criteria_files,
    load_all_criteria,
    load_criteria_file,
)
from .errors import CriteriaFileError, WorkflowError
from .evidence import add_evidence
from .periods import close_period, freeze_period, refuse_closed, reopen_period
from .review import approve_value, record_reviewed_values, return_value
from .thresholds import REQUIREMENT_FIELDS, classify_units, update_requirement
from .values import lock_reason, save_value, submit_value

__all__ = [
    "CRITERIA_DIR",
    "LEVELS",
    "REQUIREMENT_FIELDS",
    "CriteriaFileError",
    "WorkflowError",
    "add_evidence",
    "adopt_criteria_version",
    "approve_value",
    "classify_units",
    "close_period",
    "criteria_file_digest",
    "criteria_files",
    "freeze_period",
    "load_all_criteria",
    "load_criteria_file",
    "lock_reason",
    "record_reviewed_values",
    "refuse_closed",
    "reopen_period",
    "return_value",
    "save_value",
    "submit_value",
    "update_requirement",
]
