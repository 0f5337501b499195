"""Writes of the records behind targets 1, 10 and 12.

The ``check_*`` functions return the rule breaches of a set of values as
messages, so that the screens and the Excel imports say the same thing.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from ntm.units.models import Unit

from ..models import EssentialService, PilotCommune, WorkDossierTally
from ..models.records import year_bounds
from .common import checked_values, create_record, delete_record, guard, update_record

FIRST_YEAR, LAST_YEAR = 2015, 2100


def _exists_in(unit, year):
    first, last = year_bounds(year)
    return (unit.valid_from is None or unit.valid_from <= last) and (
        unit.valid_to is None or unit.valid_to >= first
    )


def check_tally(*, unit, office, year, total, online, **_ignored):
    """The rules of a work-dossier tally, as messages (empty when it is fine)."""
    messages = []
    if not FIRST_YEAR <= year <= LAST_YEAR:
        messages.append(_("Năm %(year)s không hợp lệ.") % {"year": year})
    elif not _exists_in(unit, year):
        messages.append(
            _("%(unit)s không tồn tại trong năm %(year)s.")
            % {"unit": unit, "year": year}
        )
    if unit.level == Unit.Level.DISTRICT and not office:
        messages.append(_("Số liệu cấp huyện phải ghi rõ phòng."))
    elif unit.level == Unit.Level.COMMUNE and office:
        messages.append(_("Số liệu cấp xã không ghi phòng."))
    elif unit.level not in (Unit.Level.DISTRICT, Unit.Level.COMMUNE):
        messages.append(_("Chỉ nhận số liệu của huyện hoặc xã."))
    if online > total:
        messages.append(_("Số hồ sơ xử lý trực tuyến lớn hơn tổng số hồ sơ."))
    return messages


def _commune_rules(unit, started_on, ended_on=None):
    messages = []
    if unit.level != Unit.Level.COMMUNE:
        messages.append(_("Đơn vị phải là xã, phường hoặc thị trấn."))
    if ended_on is not None and ended_on < started_on:
        messages.append(_("Ngày ngừng phải sau ngày bắt đầu."))
    return messages


def check_service(*, unit, started_on, ended_on=None, **_ignored):
    return _commune_rules(unit, started_on, ended_on)


def check_pilot(*, unit, started_on, decision_date=None, **_ignored):
    messages = _commune_rules(unit, started_on)
    if decision_date is not None and decision_date > started_on:
        messages.append(_("Ngày quyết định phải trước ngày bắt đầu thí điểm."))
    return messages


TALLY_CHECKED = ("unit", "office", "year", "total", "online")
SERVICE_CHECKED = ("unit", "started_on", "ended_on")
PILOT_CHECKED = ("unit", "started_on", "decision_date")


@transaction.atomic
def create_tally(*, by, **fields):
    """Record a unit's work dossiers of a year.

    Rules: a district tally names its office, a commune tally none; the unit
    existed in the year; online ≤ total; one tally per unit, office, year.
    """
    guard(check_tally(**fields))
    return create_record(
        WorkDossierTally,
        fields,
        by=by,
        action="plans.tally.created",
    )


@transaction.atomic
def update_tally(tally, *, by, **fields):
    """Change a tally; same rules as ``create_tally``; audited field by field."""
    guard(check_tally(**checked_values(tally, fields, TALLY_CHECKED)))
    return update_record(
        tally,
        fields,
        by=by,
        action="plans.tally.changed",
    )


@transaction.atomic
def delete_tally(tally, *, by):
    """Delete a tally, leaving its description in the audit trail."""
    delete_record(tally, by=by, action="plans.tally.deleted")


@transaction.atomic
def create_service(*, by, **fields):
    """Record an essential online service of a commune.

    Rules: the unit is a commune; it ends (if it does) after it starts; one
    service of a name per field and commune.
    """
    guard(check_service(**fields))
    return create_record(
        EssentialService,
        fields,
        by=by,
        action="plans.service.created",
    )


@transaction.atomic
def update_service(service, *, by, **fields):
    """Change a service; same rules as ``create_service``."""
    guard(check_service(**checked_values(service, fields, SERVICE_CHECKED)))
    return update_record(
        service,
        fields,
        by=by,
        action="plans.service.changed",
    )


@transaction.atomic
def delete_service(service, *, by):
    """Delete a service record (a service that stopped gets an end date instead)."""
    delete_record(service, by=by, action="plans.service.deleted")


@transaction.atomic
def create_pilot(*, by, **fields):
    """Record a pilot smart-NTM commune.

    Rules: the unit is a commune; the decision precedes the start; one pilot
    per commune and field.
    """
    guard(check_pilot(**fields))
    return create_record(
        PilotCommune,
        fields,
        by=by,
        action="plans.pilot.created",
    )


@transaction.atomic
def update_pilot(pilot, *, by, **fields):
    """Change a pilot; same rules as ``create_pilot``."""
    guard(check_pilot(**checked_values(pilot, fields, PILOT_CHECKED)))
    return update_record(
        pilot,
        fields,
        by=by,
        action="plans.pilot.changed",
    )


@transaction.atomic
def delete_pilot(pilot, *, by):
    delete_record(pilot, by=by, action="plans.pilot.deleted")
