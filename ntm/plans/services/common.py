"""Create, change and delete one record with its audit entry."""

from django.db import IntegrityError, transaction

from ntm.core.audit import log_action, snapshot
from ntm.core.changes import change_fields
from ntm.core.constraints import violation
from ntm.core.deletion import delete_or_refuse

from .errors import PlanError


def guard(messages):
    """Raise PlanError with a rule check's ``messages``, if it found any."""
    if messages:
        raise PlanError(" ".join(messages))


def checked_values(record, fields, names):
    """``fields`` over ``record``'s current values of ``names``.

    What an update's rule check reads: a change of one field is checked
    against the others as they stand, and a field both changed and current
    is passed once.
    """
    return {**{name: getattr(record, name) for name in names}, **fields}


def create_record(model, fields, *, by, action):
    """Save a new ``model`` row; PlanError with the constraint's message when
    the database refuses it (a clash the checks before could not see)."""
    record = model(**fields)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:
        raise PlanError(violation(error)[1]) from error
    log_action(record, action, by=by, data={"values": snapshot(record, list(fields))})
    return record


def update_record(record, fields, *, by, action):
    """Change ``fields`` on ``record``; audited with the fields that changed."""
    changes = change_fields(record, fields, list(fields))
    if not changes:
        return record
    try:
        with transaction.atomic():
            record.save(update_fields=[*fields, "updated_at"])
    except IntegrityError as error:
        raise PlanError(violation(error)[1]) from error
    log_action(record, action, by=by, data={"changes": changes})
    return record


def delete_record(record, *, by, action):
    log_action(record, action, by=by, data={"note": str(record)})
    delete_or_refuse(record, error=PlanError)
