"""Screens of the engine, by sub-topic; ``urls`` imports them from here.

Evaluations are aggregates without personal data, so scorecards, matrices
and criteria sets are public; entering and reviewing values need a role.
"""

from .criteria import (
    criteriaset_detail,
    criteriaset_export,
    criteriaset_import,
    criteriaset_list,
    requirement_edit,
)
from .entry import (
    entry_start,
    value_entry,
    value_import,
    value_save,
    value_submit,
    value_template,
)
from .evidence import evidence_add, evidence_download
from .periods import period_close, period_list, period_reopen
from .review import review_queue, value_approve, value_return
from .scorecards import (
    evaluation_detail,
    evaluation_export,
    evaluation_matrix,
    evaluation_matrix_export,
    requirement_detail,
)

__all__ = [
    "criteriaset_detail",
    "criteriaset_export",
    "criteriaset_import",
    "criteriaset_list",
    "entry_start",
    "evaluation_detail",
    "evaluation_export",
    "evaluation_matrix",
    "evaluation_matrix_export",
    "evidence_add",
    "evidence_download",
    "requirement_detail",
    "requirement_edit",
    "period_close",
    "period_list",
    "period_reopen",
    "review_queue",
    "value_approve",
    "value_entry",
    "value_import",
    "value_return",
    "value_save",
    "value_submit",
    "value_template",
]
