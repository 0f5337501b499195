"""Writes of the key tasks and their progress timeline."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.core.audit import diff, log_action, snapshot
from ntm.core.states import lock

from ..models import KeyTask, TaskUpdate
from .common import checked_values, create_record, guard, update_record
from .errors import PlanError

TASK_FIELDS = ["status", "progress"]


def check_task(*, status, progress, **_ignored):
    """The rules of a task's state, as messages (empty when it is fine)."""
    messages = []
    if not 0 <= progress <= 100:
        messages.append(_("Tiến độ phải từ 0 đến 100%."))
    elif status == KeyTask.Status.DONE and progress != 100:
        messages.append(_("Nhiệm vụ hoàn thành phải có tiến độ 100%."))
    elif status == KeyTask.Status.NOT_STARTED and progress != 0:
        messages.append(_("Nhiệm vụ chưa thực hiện phải có tiến độ 0%."))
    return messages


@transaction.atomic
def create_task(plan, *, by, **fields):
    """Add a key task to ``plan``.

    Rules: progress 0–100, 100 when done, 0 when not started; the number is
    unique within the plan.
    """
    fields.setdefault("status", KeyTask.Status.NOT_STARTED)
    fields.setdefault("progress", 0)
    guard(check_task(**fields))
    return create_record(
        KeyTask,
        {"plan": plan, **fields},
        by=by,
        action="plans.task.created",
    )


@transaction.atomic
def update_task(task, *, by, **fields):
    """Change a task's fields; same rules as ``create_task``; audited."""
    guard(check_task(**checked_values(task, fields, TASK_FIELDS)))
    return update_record(task, fields, by=by, action="plans.task.changed")


@transaction.atomic
def add_task_update(
    task, *, by, date, progress, status, text, evidence=None, is_demo=False
):
    """Add an entry to the task's timeline and carry its state to the task.

    Rules: the date is not in the future and not before the latest entry
    (the timeline reads in order); the state follows ``check_task``. The task
    takes the entry's progress and status; both are audited on the task.
    """
    guard(check_task(status=status, progress=progress))
    # Two entries at once: the second waits and is checked against the first.
    lock(task)
    if date > timezone.localdate():
        raise PlanError(_("Ngày cập nhật không được sau hôm nay."))
    latest = task.updates.order_by("-date").values_list("date", flat=True).first()
    if latest is not None and date < latest:
        raise PlanError(
            _("Ngày cập nhật không được trước lần cập nhật gần nhất (%(day)s).")
            % {"day": latest.strftime("%d/%m/%Y")}
        )
    update = TaskUpdate(
        task=task,
        date=date,
        progress=progress,
        status=status,
        text=text,
        author=by if by is not None and by.is_authenticated else None,
        is_demo=is_demo,
    )
    if evidence:
        update.evidence = evidence
    update.save()
    before = snapshot(task, TASK_FIELDS)
    task.progress, task.status = progress, status
    task.save(update_fields=[*TASK_FIELDS, "updated_at"])
    log_action(
        task,
        "plans.task.updated",
        by=by,
        data={
            "note": text[:200],
            "changes": diff(task, before, snapshot(task, TASK_FIELDS)),
        },
    )
    return update
