"""What the household register adds to a unit's page."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ntm.accounts.permissions import can_view_households
from ntm.units.forms import DayForm

from .history import households_on


def household_count(unit, request):
    """The number of households (an aggregate, public) on the page's day;
    the register of that day if the visitor may open it."""
    if unit.level > 4:
        return None
    day = DayForm(request.GET).asked_day()
    count = households_on(day).in_unit(unit).count()
    url = None
    if can_view_households(request.user, unit) and (unit.is_current or day):
        url = reverse("households:household-list")
        if unit.level in (3, 4):
            parameter = "village" if unit.level == 4 else "commune"
            url += f"?{parameter}={unit.code}"
        if day:
            url += ("&" if "?" in url else "?") + f"ngay={day.isoformat()}"
    if day:
        title = _("Hộ gia đình ngày %s") % date_format(day, "SHORT_DATE_FORMAT")
    elif unit.is_current:
        title = _("Hộ gia đình")
    else:
        title = _("Hộ gia đình (nay thuộc các thôn kế thừa)")
    return {"title": title, "value": count, "url": url}
