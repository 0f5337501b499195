"""How evaluations read on screen: statuses in words, values in Vietnamese."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ntm.core.numbers import format_number, format_quantity

from .. import providers, services
from ..evaluation import MET, NO_DATA, NOT_APPLICABLE, NOT_MET
from ..evaluation.gaps import next_step
from ..models import Indicator, IndicatorValue, Period

register = template.Library()

STATUS_WORDS = {
    MET: gettext_lazy("Đạt"),
    NOT_MET: gettext_lazy("Chưa đạt"),
    NO_DATA: gettext_lazy("Chưa có số liệu"),
    NOT_APPLICABLE: gettext_lazy("Không áp dụng"),
}
# The matrix has a column per criterion (19 for communes): shorter words.
STATUS_SHORT = {
    MET: gettext_lazy("Đạt"),
    NOT_MET: gettext_lazy("Chưa đạt"),
    NO_DATA: gettext_lazy("Thiếu"),
    NOT_APPLICABLE: gettext_lazy("K.áp dụng"),
}
STATUS_CLASSES = {
    MET: "status-met",
    NOT_MET: "status-notmet",
    NO_DATA: "status-nodata",
    NOT_APPLICABLE: "status-na",
}
# A shape as well as a colour, for readers who cannot tell red from green.
STATUS_MARKS = {MET: "✓", NOT_MET: "✗", NO_DATA: "?", NOT_APPLICABLE: "–"}


@register.filter
def status_word(status):
    return STATUS_WORDS.get(status, STATUS_WORDS[NO_DATA])


@register.filter
def status_short(status):
    return STATUS_SHORT.get(status, STATUS_SHORT[NO_DATA])


@register.filter
def status_class(status):
    return STATUS_CLASSES.get(status, STATUS_CLASSES[NO_DATA])


@register.filter
def status_mark(status):
    return STATUS_MARKS.get(status, STATUS_MARKS[NO_DATA])


@register.filter
def next_step_at(result, unit):
    """What ``unit`` must change to meet a requirement it misses, or None.

    ``result`` is a requirement's result or a plan target's result (both
    have a requirement, a measurement and a status)."""
    return next_step(result.requirement, result.measurement, result.status, unit)


@register.simple_tag
def lacking_link(result, unit, year):
    """Where the records or units behind a missed requirement are listed:
    the app's register filtered to those not counted yet (computed), or the
    child units' matrix (roll-up); "" when there is no such page."""
    indicator = result.requirement.indicator
    if indicator.source == Indicator.Source.ROLLUP and indicator.rollup_set_id:
        if unit.level >= indicator.rollup_set.level:
            return ""
        url = reverse(
            "indicators:evaluation-matrix", args=[indicator.rollup_set.code, unit.code]
        )
        return f"{url}?nam={year}"
    provider = providers.provider_for(indicator.code)
    if provider is None:
        return ""
    return provider.lacking_url(indicator.code, unit)


@register.filter
def measure_value(value, indicator):
    """85.50 of a percent indicator -> "85,5 %"; 1 of a yes/no one -> "Có"."""
    return format_quantity(value, indicator.measure)


@register.filter
def source_text(measurement):
    """Where a measurement comes from, in a sentence."""
    if measurement.source == Indicator.Source.COMPUTED:
        text = _("Tính từ dữ liệu")
    elif measurement.source == Indicator.Source.ROLLUP:
        text = _("Tổng hợp từ đơn vị cấp dưới")
    elif measurement.entries:
        entry = measurement.entries[0]
        text = _("Số liệu nhập, đã duyệt bởi %(who)s ngày %(day)s") % {
            "who": entry.reviewed_by or _("không rõ"),
            "day": _day(entry.reviewed_at),
        }
    else:
        text = _("Số liệu nhập")
    if measurement.detail:
        text = f"{text} ({measurement.detail})"
    return text


@register.filter
def provider_label(indicator):
    """The records a computed indicator is read from, as its app names them."""
    if indicator.source != Indicator.Source.COMPUTED:
        return ""
    provider = providers.provider_for(indicator.code)
    return provider.label if provider is not None else ""


@register.filter
def as_of_text(measurement):
    if measurement.source == Indicator.Source.ENTERED or not measurement.as_of:
        return ""
    moment = timezone.localtime(measurement.as_of)
    return _("Tính lúc %s") % date_format(moment, "SHORT_DATETIME_FORMAT")


@register.filter
def pending_text(measurement):
    statuses = {entry.status for entry in measurement.pending}
    if IndicatorValue.Status.SUBMITTED in statuses:
        return _("Có giá trị chờ duyệt")
    if statuses:
        return _("Có giá trị đang nhập, chưa gửi duyệt")
    return ""


@register.filter
def fraction_text(measurement):
    """ "34 / 40" when the value is a share of counted records."""
    if measurement.numerator is None or measurement.denominator is None:
        return ""
    numerator, denominator = measurement.numerator, measurement.denominator
    return f"{format_number(numerator)} / {format_number(denominator)}"


@register.filter
def lock_reason(entry):
    """Why an entered value cannot be changed now, or "" when it can."""
    return services.lock_reason(entry) if entry is not None else ""


@register.filter
def entry_status_class(entry):
    if entry is None:
        return ""
    return {
        IndicatorValue.Status.APPROVED: "status-met",
        IndicatorValue.Status.RETURNED: "status-notmet",
        IndicatorValue.Status.SUBMITTED: "status-pending",
    }.get(entry.status, "")


def _day(moment):
    if moment is None:
        return "—"
    return date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")


@register.inclusion_tag("indicators/_period_note.html")
def period_note(year):
    """Whether the year's figures are frozen (closed), being corrected
    (reopened), or were corrected after a reopening: shown beside them."""
    period = Period.objects.filter(code=str(year)).first()
    today = timezone.localdate()
    return {
        "period": period,
        "past": period is not None and period.end < today,
        "Status": Period.Status,
    }
