"""Changing one record in a service, the same way in every app.

A service's ``update_<noun>(record, *, by, **fields)`` refuses fields it does
not edit, sets the others, lets its rule check refuse (or tidy) the new
values, and logs only what changed, as the audit trail keeps it
(``ntm.core.audit.diff``). Saving stays with the service: some save only
when something changed, some always (derived columns), some with the
database's clash turned into their own error.
"""

from .audit import diff, snapshot


def refuse_unknown(fields, allowed):
    """Fields outside ``allowed`` are a caller's mistake, not user input."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")


def change_fields(record, fields, names, *, check=None):
    """Set ``fields`` on ``record``; what changed among ``names`` ({} if nothing).

    ``check(record)``, when given, runs on the new values before they are
    compared, so that a value it normalises is logged as stored. Nothing is
    saved.
    """
    before = snapshot(record, names)
    for name, value in fields.items():
        setattr(record, name, value)
    if check is not None:
        check(record)
    return diff(record, before, snapshot(record, names))
