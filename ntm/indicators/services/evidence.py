"""Evidence files attached to an entered value while it can still change.

The file rules (types, size, content agreeing with the extension) are the
shared ones of ``ntm.core.uploads``.
"""

from pathlib import Path

from django.db import transaction

from ntm.core.audit import log_action
from ntm.core.states import lock
from ntm.core.uploads import EVIDENCE, check_upload

from ..models import Evidence
from .errors import WorkflowError
from .values import locked


@transaction.atomic
def add_evidence(entry, *, upload, by):
    """Attach a file (PDF, image, Word, Excel; at most 10 MB) to an unlocked value."""
    lock(entry)
    if entry.is_locked:
        raise locked(entry)
    check_upload(upload, EVIDENCE, WorkflowError)
    evidence = Evidence.objects.create(
        value=entry, file=upload, name=Path(upload.name).name[:255], uploaded_by=by
    )
    log_action(
        entry, "indicators.evidence.created", by=by, data={"note": evidence.name}
    )
    return evidence
