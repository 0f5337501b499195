"""What the engine's pages share: the year asked for, the set version in force
that year, and the unit carrying a code on its last day.
"""

import datetime

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.units.models import Unit
from ntm.units.queries import get_unit

from ..forms import YearForm
from ..models import CriteriaSet


def year_end(year):
    """Pages read units as they were on the last day of the year."""
    return datetime.date(year, 12, 31)


def years_of(criteria_set):
    this_year = timezone.localdate().year
    first = criteria_set.first_year or this_year - 2
    last = criteria_set.last_year or this_year
    return [str(year) for year in range(first, last + 1)]


def set_and_year(request, set_code):
    """The set version in force in the requested year, and that year.

    Without ``?nam=`` the year is the current one, or the set's last year
    when the set has ended (a 2023–2025 set opens on 2025, not on nothing).
    """
    versions = CriteriaSet.objects.active().filter(code=set_code)
    year = YearForm(request.GET).year()
    if year is None:
        year = timezone.localdate().year
        latest = versions.order_by("-version").first()
        if latest is None:
            raise Http404(_("Không có bộ tiêu chí %s.") % set_code)
        if not versions.for_year(year).exists():
            if latest.last_year and latest.last_year < year:
                year = latest.last_year
            elif latest.first_year and latest.first_year > year:
                year = latest.first_year
    criteria_set = versions.for_year(year).order_by("-version").first()
    if criteria_set is None:
        raise Http404(
            _("Bộ tiêu chí %(code)s không áp dụng cho năm %(year)s.")
            % {"code": set_code, "year": year}
        )
    return criteria_set, year


def unit_in(code, year):
    """The unit carrying ``code`` on 31/12 of ``year`` (UnitNotFound if none)."""
    return get_unit(
        code, on=year_end(year), queryset=Unit.objects.select_related("parent__parent")
    )


def unit_or_404(code, year, level=None):
    """The unit carrying ``code`` on 31/12 of ``year`` and ``level``."""
    unit = unit_in(code, year)
    if level is not None and unit.level != level:
        raise Http404(_("Bộ tiêu chí này không áp dụng cho cấp của đơn vị."))
    return unit


def areas_of_level(level, day):
    """Units whose children are at ``level`` on ``day``: the matrices to open."""
    for parent_level in range(level - 1, 0, -1):
        areas = list(Unit.objects.valid_on(day).at_level(parent_level))
        if areas:
            return areas
    return []


def year_url(name, args, year):
    return f"{reverse(name, args=args)}?nam={year}"
