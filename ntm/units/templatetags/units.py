from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ntm.units.forms import DayForm
from ntm.units.models import Reorganisation, today

register = template.Library()

Kind = Reorganisation.Kind

# What happened to a unit, seen from the unit that ended. Whole sentences so
# that a translation can move the pieces; %(units)s is a list of links.
INTO_SENTENCES = {
    Kind.MERGE: gettext_noop("Sáp nhập vào %(units)s từ %(day)s"),
    Kind.SPLIT: gettext_noop("Chia tách thành %(units)s từ %(day)s"),
    Kind.RENAME: gettext_noop("Đổi tên thành %(units)s từ %(day)s"),
    Kind.TRANSFER: gettext_noop("Chuyển thành %(units)s từ %(day)s"),
    Kind.DISSOLVE: gettext_noop("Giải thể từ %(day)s; địa bàn chuyển về %(units)s"),
    Kind.ESTABLISH: gettext_noop("Thành lập %(units)s từ %(day)s"),
}


def _sentence(msgid, event, units):
    # The msgid is ours; every piece that comes from data is escaped here.
    return mark_safe(
        _(msgid)
        % {
            "units": format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                ((unit.get_absolute_url(), unit.name) for unit in units),
            ),
            "kind": conditional_escape(event.get_kind_display().lower()),
            "day": date_format(event.effective_date, "SHORT_DATE_FORMAT"),
        }
    )


@register.simple_tag
def lineage_into(event, units):
    """ "Sáp nhập vào <a>Xã Hà Nha</a> từ 01/07/2025", each name linked."""
    if not units:
        return _sentence(gettext_noop("Giải thể từ %(day)s"), event, units)
    return _sentence(INTO_SENTENCES[event.kind], event, units)


@register.simple_tag
def lineage_from(event, units):
    """ "Hình thành từ <a>Xã Đại Hồng</a>, … (sáp nhập, 01/07/2025)"."""
    if not units:
        return _sentence(gettext_noop("Thành lập từ %(day)s"), event, units)
    return _sentence(
        gettext_noop("Hình thành từ %(units)s (%(kind)s, %(day)s)"), event, units
    )


@register.simple_tag
def unit_url(unit, day=None):
    """The unit's page as seen on ``day``; on a day it exists if not then."""
    if day is None or not unit.is_valid_on(day):
        return unit.get_absolute_url()
    url = reverse("units:unit-detail", args=[unit.code])
    if day != today():
        url += f"?ngay={day.isoformat()}"
    return url


@register.inclusion_tag("units/_as_of_note.html", takes_context=True)
def as_of_note(context, picker=True):
    """The "as of" picker of a page (``?ngay=``) and, when the page is read
    as of another day, which day and the way back to today."""
    request = context.get("request")
    if request is None:
        return {}
    form = DayForm(request.GET)
    day = form.asked_day()
    query = request.GET.copy()
    for name in ("ngay", "nam", "page"):
        query.pop(name, None)
    return {
        "form": form,
        "picker": picker,
        "day": day,
        "before_today": day is not None and day < today(),
        "kept": [(name, value) for name, values in query.lists() for value in values],
        "today_url": f"{request.path}?{query.urlencode()}" if query else request.path,
    }
