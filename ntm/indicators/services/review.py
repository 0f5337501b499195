"""Review of entered values: approving them or sending them back, by a second
person, one transition at a time (the row is locked).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.core.audit import log_action, log_actions
from ntm.core.states import lock

from ..models import IndicatorValue
from .errors import WorkflowError
from .periods import refuse_closed
from .values import check_entry, check_value

Status = IndicatorValue.Status


@transaction.atomic
def approve_value(entry, *, by):
    """Approve a submitted value; a second person must do it.

    The row is locked and its state read again first: of two approvals at
    once, or an approval racing a return, only the first applies.
    """
    lock(entry)
    refuse_closed(entry.period)
    status = Status.check(
        entry.status,
        "approve",
        WorkflowError,
        _("Chỉ duyệt được giá trị đang chờ duyệt."),
    )
    _refuse_self_review(entry.submitted_by_id, by)
    _review(entry, status, by=by, note="")
    log_action(entry, "indicators.value.approved", by=by)
    return entry


@transaction.atomic
def return_value(entry, *, by, reason):
    """Send a submitted or approved value back for correction, saying why."""
    lock(entry)
    refuse_closed(entry.period)
    status = Status.check(
        entry.status,
        "send_back",
        WorkflowError,
        _("Chỉ trả lại được giá trị đang chờ duyệt hoặc đã duyệt."),
    )
    if not reason or not reason.strip():
        raise WorkflowError(_("Cần ghi lý do trả lại."))
    _review(entry, status, by=by, note=reason.strip())
    log_action(
        entry, "indicators.value.returned", by=by, data={"note": entry.review_note}
    )
    return entry


def _review(entry, status, *, by, note):
    entry.status = status
    entry.reviewed_by, entry.reviewed_at = by, timezone.now()
    entry.review_note = note
    entry.save(
        update_fields=[
            "status",
            "reviewed_by",
            "reviewed_at",
            "review_note",
            "updated_at",
        ]
    )


def _refuse_self_review(submitter_id, reviewer):
    if submitter_id == reviewer.pk:
        raise WorkflowError(_("Người gửi duyệt không được tự duyệt giá trị của mình."))


# The actions that take a new value to each stage a history may hold.
_STEPS = {
    Status.DRAFT: (),
    Status.SUBMITTED: ("submit",),
    Status.APPROVED: ("submit", "approve"),
}


@transaction.atomic
def record_reviewed_values(rows, *, by, reviewer):
    """Record many values already taken through their steps elsewhere (a
    past year's history, the demo): in a few INSERTs, not three service calls
    and their locks per value.

    ``rows`` are ``(indicator, unit, period, value, note, stage)``, the stage
    draft, submitted or approved; ``by`` entered and submitted them,
    ``reviewer`` (another person) approved. Each stage is reached through the
    state machine's own transitions, each step is in the audit log as the
    single-value services write it, the checks are theirs, and one refused
    row saves nothing.
    """
    now = timezone.now()
    entries = []
    for indicator, unit, period, value, note, stage in rows:
        check_entry(indicator, unit, period)
        if stage not in _STEPS:
            raise WorkflowError(
                _("Giá trị đang ở trạng thái không cho phép thao tác này.")
            )
        entry = IndicatorValue(
            indicator=indicator,
            unit=unit,
            period=period,
            value=check_value(indicator, value),
            note=note,
            entered_by=by,
        )
        entry.set_province_code()
        for action in _STEPS[stage]:
            entry.status = Status.check(entry.status, action, WorkflowError)
            if action == "submit":
                entry.submitted_by, entry.submitted_at = by, now
            else:
                _refuse_self_review(by.pk, reviewer)
                entry.reviewed_by, entry.reviewed_at = reviewer, now
        entries.append(entry)
    IndicatorValue.objects.bulk_create(entries, batch_size=2000)
    log_actions(
        entries,
        "indicators.value.created",
        by=by,
        data_for=lambda entry: {"value": str(entry.value)},
    )
    sent = [entry for entry in entries if entry.status != Status.DRAFT]
    log_actions(sent, "indicators.value.submitted", by=by)
    approved = [entry for entry in sent if entry.status == Status.APPROVED]
    log_actions(approved, "indicators.value.approved", by=reviewer)
    return entries
