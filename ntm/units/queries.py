"""Reads shared by the unit pages and the API: a code on a day, and lineage."""

import datetime

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Reorganisation, Unit


class UnitNotFound(Http404):
    """No unit carries ``code`` on ``day``; ``versions`` are the ones that did.

    A 404 wherever it is raised: ``units.middleware`` turns it into the page
    naming the unit's other dates, the API's handler into its message.
    """

    def __init__(self, code, day, versions):
        self.code, self.day, self.versions = code, day, versions
        super().__init__(self.message)

    @property
    def message(self):
        day = date_format(self.day, "SHORT_DATE_FORMAT")
        if not self.versions:
            return _("Không có đơn vị hành chính nào mang mã %(code)s.") % {
                "code": self.code
            }
        dates = "; ".join(f"{u.name} ({u.validity_display})" for u in self.versions)
        return _(
            "Mã %(code)s không ứng với đơn vị nào vào ngày %(day)s. "
            "Mã này dùng cho: %(dates)s."
        ) % {"code": self.code, "day": day, "dates": dates}


def get_unit(code, *, on, queryset=None):
    """The unit carrying ``code`` on ``on``, or UnitNotFound with its other dates.

    Codes are reused across reorganisations, so a miss on one day is often a
    hit on another; the error says which, so that the page or the API can
    point there instead of a bare "not found".
    """
    queryset = Unit.objects.all() if queryset is None else queryset
    try:
        return queryset.by_code(code, on=on)
    except Unit.DoesNotExist:
        raise UnitNotFound(code, on, list(Unit.objects.versions_of(code))) from None


def areas_on(missing, *, day, below_level):
    """Units that existed on ``day`` in place of a code that did not.

    A matrix or a page asked for a unit in a year before it was formed (or
    after it was dissolved): these are the units the reorganisations link it
    to that existed on ``day``, with the units under them above
    ``below_level``, top down. Empty when no reorganisation links the code.
    """
    versions = [unit.pk for unit in missing.versions]
    linked = (
        Unit.objects.valid_on(day)
        .filter(
            Q(successor_events__successors__in=versions)
            | Q(predecessor_events__predecessors__in=versions)
        )
        .values_list("path", flat=True)
        .distinct()
    )
    paths = list(linked)
    if not paths:
        return Unit.objects.none()
    return (
        Unit.objects.valid_on(day)
        .within_any(paths)
        .filter(level__lt=below_level)
        .order_by("level", "path")
    )


def with_lineage(units):
    """``units`` with their reorganisation events and the units on the other side.

    Four extra queries for the whole list; read the result with
    ``linked_units``.
    """
    return units.prefetch_related(
        Prefetch(
            "predecessor_events",
            queryset=Reorganisation.objects.prefetch_related("predecessors"),
        ),
        Prefetch(
            "successor_events",
            queryset=Reorganisation.objects.prefetch_related("successors"),
        ),
    )


def linked_units(unit):
    """(predecessors, successors) of a unit from ``with_lineage``, each with
    the event that links them, as (unit, event) pairs in date order."""
    before = [
        (other, event)
        for event in _by_date(unit.predecessor_events.all())
        for other in event.predecessors.all()
    ]
    after = [
        (other, event)
        for event in _by_date(unit.successor_events.all())
        for other in event.successors.all()
    ]
    return before, after


def _by_date(events):
    return sorted(events, key=lambda event: (event.effective_date, event.pk))


def year_end_before_last_reorganisation():
    """31/12 of the year before the latest reorganisation, or None.

    New-rural results are assessed per calendar year, so the last year-end
    under the old units is the date people compare with ("before").
    """
    last = (
        Reorganisation.objects.order_by("-effective_date")
        .values_list("effective_date", flat=True)
        .first()
    )
    return datetime.date(last.year - 1, 12, 31) if last else None
