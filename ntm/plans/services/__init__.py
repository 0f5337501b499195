"""Writes of the plans app, by sub-topic; imported from here everywhere."""

from .budget import (
    check_budget_line,
    create_budget_line,
    delete_budget_line,
    update_budget_line,
)
from .errors import PlanError
from .plan import PLANS_DIR, load_all_plans, load_plan_file
from .records import (
    check_pilot,
    check_service,
    check_tally,
    create_pilot,
    create_service,
    create_tally,
    delete_pilot,
    delete_service,
    delete_tally,
    update_pilot,
    update_service,
    update_tally,
)
from .tasks import add_task_update, check_task, create_task, update_task

__all__ = [
    "PLANS_DIR",
    "PlanError",
    "add_task_update",
    "check_budget_line",
    "check_pilot",
    "check_service",
    "check_tally",
    "check_task",
    "create_budget_line",
    "create_pilot",
    "create_service",
    "create_tally",
    "create_task",
    "delete_budget_line",
    "delete_pilot",
    "delete_service",
    "delete_tally",
    "load_all_plans",
    "load_plan_file",
    "update_budget_line",
    "update_pilot",
    "update_service",
    "update_tally",
    "update_task",
]
