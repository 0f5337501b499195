"""The Vietnamese message of the database constraint an IntegrityError broke.

Forms and services check first, and every constraint carries its own
``violation_error_message``; two requests racing each other still reach the
database, whose error names the constraint (PostgreSQL; on a partitioned
table, the partition's copy of it, found by its columns) or its name or
columns (SQLite). ``violation`` finds the constraint from either and answers
the status and message the API returns instead of a 500.
"""

import re

from django.apps import apps
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ntm.core.partitions import parent_table

SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)")
SQLITE_CHECK = re.compile(r"CHECK constraint failed: (\w+)")
POSTGRES_KEY = re.compile(r"Key \((.+?)\)=")


def violation(error):
    """(HTTP status, Vietnamese message) for the IntegrityError ``error``.

    409 when the row clashes with another (a unique constraint), 400 when a
    value breaks a rule (a check constraint, a missing or unknown reference).
    """
    found = _constraint_of(error)
    if found is None:
        return 400, _("Dữ liệu gửi lên trái với ràng buộc của cơ sở dữ liệu.")
    model, constraint = found
    if isinstance(constraint, models.Field):
        message = _("%(model)s có %(field)s này đã tồn tại.") % {
            "model": capfirst(model._meta.verbose_name),
            "field": str(constraint.verbose_name).lower(),
        }
        return 409, message
    status = 409 if isinstance(constraint, models.UniqueConstraint) else 400
    return status, str(constraint.get_violation_error_message())


def _constraint_of(error):
    """(model, constraint or unique field) named by ``error``, or None."""
    diag = getattr(error.__cause__, "diag", None)
    if diag is not None:  # PostgreSQL
        found = _by_name(diag.constraint_name)
        if found is None and diag.table_name and diag.message_detail:
            key = POSTGRES_KEY.search(diag.message_detail)
            if key:
                columns = {c.strip().strip('"') for c in key.group(1).split(",")}
                found = _by_columns(parent_table(diag.table_name), columns)
        return found
    text = str(error)
    if match := SQLITE_CHECK.search(text):
        return _by_name(match.group(1))
    if match := SQLITE_UNIQUE.search(text):
        pairs = [item.strip().split(".", 1) for item in match.group(1).split(",")]
        if pairs and all(len(pair) == 2 for pair in pairs):
            return _by_columns(pairs[0][0], {column for _table, column in pairs})
    return None


def _by_name(name):
    for model in _models():
        for constraint in model._meta.constraints:
            if constraint.name == name:
                return model, constraint
    return None


def _by_columns(table, columns):
    for model in _models():
        if model._meta.db_table != table:
            continue
        for constraint in model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            if fields and {_column(model, f) for f in fields} == columns:
                return model, constraint
        for field in model._meta.local_fields:
            if field.unique and not field.primary_key and {field.column} == columns:
                return model, field
    return None


def _models():
    return [m for m in apps.get_models() if m.__module__.startswith("ntm.")]


def _column(model, name):
    return model._meta.get_field(name).column
