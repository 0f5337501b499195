"""Deleting a record that other rows still point to: refused, saying why.

A ``PROTECT`` (or ``RESTRICT``) reference marks rows that are the record's
history (survey answers of a household, attendance of a roster entry).
Django answers ``ProtectedError``, a 500 wherever it is not caught; every
delete that a page or the API can reach goes through ``delete_or_refuse``,
which raises the app's own error with a Vietnamese message instead.
"""

from collections import Counter

from django.db import router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils.translation import gettext as _


def deletion_refusal(record, *, hint=""):
    """Why ``record`` cannot be deleted, or None when it can.

    Asks the same question as ``delete()`` without deleting, so that a
    confirmation page can say it before the user tries.
    """
    collector = Collector(using=router.db_for_write(type(record)), origin=record)
    try:
        collector.collect([record])
    except (ProtectedError, RestrictedError) as refused:
        return _message(record, refused, hint)
    return None


def delete_or_refuse(record, *, error, hint=""):
    """Delete ``record``, or raise ``error`` naming the rows that keep it.

    ``hint`` says what to do instead ("mark it no longer active").
    """
    try:
        with transaction.atomic():
            record.delete()
    except (ProtectedError, RestrictedError) as refused:
        raise error(_message(record, refused, hint)) from refused


def _message(record, refused, hint):
    blockers = getattr(refused, "protected_objects", None) or getattr(
        refused, "restricted_objects", ()
    )
    counts = Counter(str(type(row)._meta.verbose_name) for row in blockers)
    kept_by = ", ".join(f"{count} {name}" for name, count in sorted(counts.items()))
    noun = str(type(record)._meta.verbose_name)
    message = _("Không thể xóa %(noun)s “%(record)s”: còn %(kept_by)s gắn với nó.") % {
        "noun": noun,
        "record": record,
        "kept_by": kept_by,
    }
    return f"{message} {hint}".strip()
