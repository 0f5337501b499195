"""Entered values: creating and changing drafts, sending them for review, and
why a value is locked.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.core.audit import diff, log_action, snapshot
from ntm.core.numbers import format_day
from ntm.core.states import lock

from ..models import Indicator, IndicatorValue
from .errors import WorkflowError
from .periods import refuse_closed

Status = IndicatorValue.Status


@transaction.atomic
def save_value(*, indicator, unit, period, value, note="", by):
    """Create or change a draft (or returned) value.

    Submitted and approved values are locked: they change only after being
    returned. The indicator must be entered, not computed, and match the unit's
    level.
    """
    check_entry(indicator, unit, period)
    entry = (
        IndicatorValue.objects.select_for_update()
        .filter(indicator=indicator, unit=unit, period=period)
        .first()
    )
    if entry is not None and entry.is_locked:
        raise locked(entry)
    value = check_value(indicator, value)
    if entry is None:
        entry = IndicatorValue.objects.create(
            indicator=indicator,
            unit=unit,
            period=period,
            value=value,
            note=note,
            entered_by=by,
        )
        log_action(entry, "indicators.value.created", by=by, data={"value": str(value)})
        return entry
    before = snapshot(entry, ["value", "note"])
    entry.value, entry.note = value, note
    entry.save(update_fields=["value", "note", "updated_at"])
    changes = diff(entry, before, snapshot(entry, ["value", "note"]))
    if changes:
        log_action(entry, "indicators.value.changed", by=by, data={"changes": changes})
    return entry


def check_entry(indicator, unit, period):
    """Refuse a value the indicator does not take for this unit and period."""
    if indicator.source != Indicator.Source.ENTERED:
        raise WorkflowError(_("Chỉ tiêu này được tính từ dữ liệu, không nhập tay."))
    refuse_closed(period)
    if indicator.level != unit.level:
        raise WorkflowError(_("Chỉ tiêu này không áp dụng cho cấp đơn vị này."))
    if not unit.is_valid_on(period.reference_day) and not unit.is_valid_on(
        period.start
    ):
        raise WorkflowError(_("Đơn vị không tồn tại trong kỳ này."))


@transaction.atomic
def submit_value(entry, *, by):
    """Send a draft or returned value for review."""
    lock(entry)
    refuse_closed(entry.period)
    status = Status.check(entry.status, "submit", WorkflowError, _lock_message(entry))
    if entry.value is None:
        raise WorkflowError(_("Chưa có giá trị để gửi duyệt."))
    entry.status = status
    entry.submitted_by, entry.submitted_at = by, timezone.now()
    entry.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    log_action(entry, "indicators.value.submitted", by=by)
    return entry


def lock_reason(entry):
    """Why an entered value cannot be changed now, or "" when it can."""
    if entry.status == Status.APPROVED:
        return _(
            "Đã được %(who)s duyệt ngày %(day)s nên bị khóa; cần người duyệt "
            "trả lại để sửa."
        ) % {"who": entry.reviewed_by, "day": format_day(entry.reviewed_at)}
    if entry.status == Status.SUBMITTED:
        return _(
            "%(who)s đã gửi duyệt ngày %(day)s; giá trị bị khóa cho đến khi "
            "được duyệt hoặc trả lại."
        ) % {"who": entry.submitted_by, "day": format_day(entry.submitted_at)}
    return ""


def locked(entry):
    return WorkflowError(_lock_message(entry))


def _lock_message(entry):
    return lock_reason(entry) or _(
        "Giá trị đang ở trạng thái không cho phép thao tác này."
    )


def check_value(indicator, value):
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation as error:
        raise WorkflowError(_("Giá trị phải là số.")) from error
    if not number.is_finite():
        raise WorkflowError(_("Giá trị phải là số."))
    if indicator.measure == Indicator.Measure.BOOLEAN and number not in (0, 1):
        raise WorkflowError(_("Chỉ tiêu có/không nhận 1 (có) hoặc 0 (không)."))
    if indicator.measure == Indicator.Measure.PERCENT and not 0 <= number <= 100:
        raise WorkflowError(_("Tỷ lệ phải từ 0 đến 100."))
    if number < 0:
        raise WorkflowError(_("Giá trị không được âm."))
    return number
