import pytest
from django.core.cache import cache

from ntm.accounts.models import Office, Role
from ntm.indicators.models import Indicator, Period
from ntm.indicators.services import (
    approve_value,
    load_all_criteria,
    save_value,
    submit_value,
)
from ntm.plans.models import Plan
from ntm.plans.services import load_all_plans
from ntm.units.models import Unit

from ..factories import UserFactory, make_member


@pytest.fixture(autouse=True)
def fresh_cache():
    """Plan results are cached per change of the audit log; start empty."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def plan(units):
    """The Đại Lộc plan, loaded from its data file over the criteria files."""
    load_all_criteria()
    load_all_plans()
    return Plan.objects.get()


@pytest.fixture
def focal_office(units):
    """The Culture & Information office, the plan's focal point."""
    return make_member(
        units["district"], Role.OFFICE_STAFF, office=Office.CULTURE, username="vhtt"
    )


@pytest.fixture
def approve():
    """Enter, submit and approve a value, as two officials would."""
    clerk, reviewer = UserFactory(), UserFactory()

    def _approve(code, unit, year, value):
        entry = save_value(
            indicator=Indicator.objects.get(code=code),
            unit=unit,
            period=Period.year(year),
            value=value,
            by=clerk,
        )
        submit_value(entry, by=clerk)
        approve_value(entry, by=reviewer)
        return entry

    return _approve


def xa_of(year):
    """The xã (not thị trấn) existing on 31/12 of ``year``, by code."""
    return list(
        Unit.objects.valid_on(Period.year(year).end)
        .communes()
        .filter(kind=Unit.Kind.COMMUNE)
        .order_by("code")
    )
