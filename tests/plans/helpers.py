"""Builders shared by the plans tests (through the models: plain facts)."""

import datetime

from ntm.plans.models import EssentialService, KeyTask, WorkDossierTally
from ntm.units.models import Unit

BEFORE_2025 = datetime.date(2024, 12, 31)


def unit(code, on=BEFORE_2025):
    return Unit.objects.by_code(code, on=on)


def tally(unit, year, total, online, office=""):
    return WorkDossierTally.objects.create(
        unit=unit, year=year, total=total, online=online, office=office
    )


def service(unit, started_on, ended_on=None, name="Đặt lịch khám"):
    return EssentialService.objects.create(
        unit=unit,
        field=EssentialService.Field.HEALTH,
        name=name,
        started_on=started_on,
        ended_on=ended_on,
    )


def task(plan, number="1", lead_office="vhtt", **fields):
    values = {
        "title": f"Nhiệm vụ {number}",
        "deadline": datetime.date(2024, 12, 31),
        **fields,
    }
    return KeyTask.objects.create(
        plan=plan, number=number, lead_office=lead_office, **values
    )
