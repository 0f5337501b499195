"""Writes to the OCOP records, one module per topic, re-exported here.

Services enforce the rules and write the audit trail; whether the caller may
act is the view's question (``permissions.py``).
"""

from .errors import OcopError
from .evaluations import (
    approve_evaluation,
    certify_evaluation,
    create_round,
    enter_product,
    score_evaluation,
    send_back_evaluation,
    update_round,
)
from .register import (
    create_entity,
    create_green_chain,
    create_product,
    create_sales_channel,
    update_entity,
    update_green_chain,
    update_product,
    update_sales_channel,
)
from .reminders import send_expiry_reminders
from .sheets import (
    SCORING_DIR,
    ScoringFileError,
    current_sheet,
    load_all_scoring_sheets,
    load_scoring_file,
)

__all__ = [
    "SCORING_DIR",
    "OcopError",
    "ScoringFileError",
    "approve_evaluation",
    "certify_evaluation",
    "create_entity",
    "create_green_chain",
    "create_product",
    "create_round",
    "create_sales_channel",
    "current_sheet",
    "enter_product",
    "load_all_scoring_sheets",
    "load_scoring_file",
    "score_evaluation",
    "send_back_evaluation",
    "send_expiry_reminders",
    "update_entity",
    "update_green_chain",
    "update_product",
    "update_round",
    "update_sales_channel",
]
