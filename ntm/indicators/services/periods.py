"""Closing a period, and reopening one to correct it.

Closing freezes every computed figure of the period, dated providers
included, with the time it was computed: a closed year's figures are read
from what was frozen, whatever happens to today's records, and its entered
values can no longer change. A correction is an explicit reopening, with its
reason, by a district administrator; it is in the audit log and shown on the
figures until (and after) the period is closed again.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.core.audit import log_action
from ntm.core.states import lock
from ntm.units.models import Unit, province_code_of

from .. import providers
from ..models import ComputedSnapshot, Indicator, Period
from .errors import WorkflowError

Status = Period.Status


@transaction.atomic
def close_period(period, *, by, is_demo=False):
    """Freeze every computed value of ``period`` and mark it closed.

    A period that has not ended yet cannot be closed: its records are still
    being written. Returns the number of values frozen.
    """
    lock(period)
    status = Status.check(period.status, "close", WorkflowError)
    if period.end >= timezone.localdate():
        raise WorkflowError(
            _("Kỳ %(period)s chưa kết thúc: chỉ khóa sổ được kỳ đã qua.")
            % {"period": period}
        )
    # Undated providers read today's records: the values frozen for them
    # earlier (freeze_period at the year's end, or an earlier closing) stay.
    kept = (
        ComputedSnapshot.objects.filter(period=period)
        .values_list("indicator__code", flat=True)
        .distinct()
    )
    frozen = _freeze(period, dated=True, is_demo=is_demo, keep=set(kept))
    period.status = status
    period.closed_at, period.closed_by = timezone.now(), by
    period.save(update_fields=["status", "closed_at", "closed_by"])
    log_action(
        period,
        "indicators.period.closed",
        by=by,
        data={"note": _("%(count)s giá trị được lưu cố định") % {"count": frozen}},
    )
    return frozen


@transaction.atomic
def reopen_period(period, *, by, reason):
    """Open a closed period for a correction; its figures are computed from
    the records again (dated records of the period, values frozen for the
    others) until it is closed again."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Ghi lý do mở lại kỳ đã khóa sổ."))
    lock(period)
    status = Status.check(period.status, "reopen", WorkflowError)
    period.status = status
    period.reopened_at, period.reopened_by = timezone.now(), by
    period.reopen_reason = reason
    period.save(update_fields=["status", "reopened_at", "reopened_by", "reopen_reason"])
    log_action(period, "indicators.period.reopened", by=by, data={"reason": reason})
    return period


def refuse_closed(period):
    """Raise when ``period`` is closed: its entered values no longer change."""
    if period.is_closed:
        raise WorkflowError(
            _(
                "Kỳ %(period)s đã khóa sổ: số liệu không sửa được nữa. Quản trị "
                "huyện mở lại kỳ (ghi lý do) nếu cần đính chính."
            )
            % {"period": period}
        )


@transaction.atomic
def freeze_period(period, *, by, is_demo=False):
    """Store today's values of the undated providers (households, facilities)
    for ``period``, replacing any stored before: what the records say at the
    year's end, kept before they move on. Dated providers read the period's
    own records and are frozen when the period is closed. A closed period's
    values no longer change."""
    refuse_closed(period)
    count = _freeze(period, dated=False, is_demo=is_demo)
    log_action(
        period,
        "indicators.period.frozen",
        by=by,
        data={"note": _("%(count)s giá trị") % {"count": count}},
    )
    return count


def _freeze(period, *, dated, is_demo, keep=()):
    """Snapshot the providers' values for ``period``: the undated ones, and
    the dated ones too when ``dated``; undated providers of the indicator
    codes in ``keep`` are left as they were."""
    now = timezone.now()
    rows = []
    indicators = {
        i.code: i for i in Indicator.objects.filter(source=Indicator.Source.COMPUTED)
    }
    done = set()
    replaced = []
    for code in indicators:
        provider = providers.provider_for(code)
        if provider is None or provider in done:
            continue
        done.add(provider)
        if provider.dated and not dated:
            continue
        if not provider.dated and set(keep) & set(provider.codes):
            continue
        replaced.extend(indicators[c].pk for c in provider.codes if c in indicators)
        computed = provider.compute_for(period)
        for provided_code in provider.codes:
            if provided_code not in indicators:
                continue
            for unit_id, (numerator, denominator) in computed.get(
                provided_code, {}
            ).items():
                rows.append(
                    ComputedSnapshot(
                        indicator=indicators[provided_code],
                        unit_id=unit_id,
                        period=period,
                        numerator=numerator,
                        denominator=denominator,
                        computed_at=now,
                        is_demo=is_demo,
                    )
                )
    # The partition key on PostgreSQL: each unit's province, in one query
    # (every unit's path beyond SQLite's limit of an IN list).
    ids = {row.unit_id for row in rows}
    units = Unit.objects.filter(pk__in=ids) if len(ids) <= 500 else Unit.objects
    paths = dict(units.values_list("pk", "path"))
    for row in rows:
        row.province_code = province_code_of(paths[row.unit_id])
    ComputedSnapshot.objects.filter(period=period, indicator__in=replaced).delete()
    ComputedSnapshot.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
