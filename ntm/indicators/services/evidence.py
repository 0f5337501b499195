"""Evidence files attached to an entered value while it can still change."""

from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from ntm.core.audit import log_action
from ntm.core.states import lock

from ..models import Evidence
from .errors import WorkflowError
from .values import locked

EVIDENCE_TYPES = {".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".doc", ".xls"}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def add_evidence(entry, *, upload, by):
    """Attach a file (PDF, image, Word, Excel; at most 10 MB) to an unlocked value."""
    lock(entry)
    if entry.is_locked:
        raise locked(entry)
    suffix = Path(upload.name).suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise WorkflowError(_("Chỉ nhận tệp PDF, ảnh, Word hoặc Excel."))
    if upload.size > EVIDENCE_MAX_BYTES:
        raise WorkflowError(_("Tệp quá lớn (tối đa 10 MB)."))
    evidence = Evidence.objects.create(
        value=entry, file=upload, name=Path(upload.name).name[:255], uploaded_by=by
    )
    log_action(
        entry, "indicators.evidence.created", by=by, data={"note": evidence.name}
    )
    return evidence
