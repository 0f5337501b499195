"""Writes of the budget lines (plan VI, VII.4)."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import BudgetLine
from .common import checked_values, create_record, delete_record, guard, update_record

CHECKED = ("task", "year", "allocated", "disbursed")


def check_budget_line(*, task, year, allocated, disbursed=0, **_ignored):
    messages = []
    plan = task.plan
    if not plan.first_year <= year <= plan.last_year:
        messages.append(
            _("Năm phải trong thời gian của kế hoạch (%(first)s–%(last)s).")
            % {"first": plan.first_year, "last": plan.last_year}
        )
    if allocated < 0 or disbursed < 0:
        messages.append(_("Số tiền không được âm."))
    return messages


@transaction.atomic
def create_budget_line(task, *, by, **fields):
    """Record money for a task in a year from a source.

    Rules: the year lies within the plan; amounts are not negative; one line
    per task, year and source. A disbursement above the allocation is
    allowed (allocations are revised later) and flagged on screen.
    """
    guard(check_budget_line(task=task, **fields))
    return create_record(
        BudgetLine,
        {"task": task, **fields},
        by=by,
        action="plans.budget.created",
    )


@transaction.atomic
def update_budget_line(line, *, by, **fields):
    """Change a budget line; same rules as ``create_budget_line``."""
    guard(check_budget_line(**checked_values(line, fields, CHECKED)))
    return update_record(
        line,
        fields,
        by=by,
        action="plans.budget.changed",
    )


@transaction.atomic
def delete_budget_line(line, *, by):
    delete_record(line, by=by, action="plans.budget.deleted")
