from decimal import Decimal

import pytest

from ntm.indicators.evaluation import MET, NO_DATA, NOT_MET
from ntm.indicators.models import Indicator, Period
from ntm.indicators.services import approve_value, save_value, submit_value
from ntm.plans.progress import target_results
from ntm.units.models import Unit

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def _approve(code, unit, year, value):
    clerk, reviewer = UserFactory(), UserFactory()
    entry = save_value(
        indicator=Indicator.objects.get(code=code),
        unit=unit,
        period=Period.year(year),
        value=value,
        by=clerk,
    )
    submit_value(entry, by=clerk)
    approve_value(entry, by=reviewer)


def _result(plan, year, number):
    return next(r for r in target_results(plan, year) if r.target.number == number)


def test_plan_loads_all_twelve_targets_in_seventeen_parts(plan):
    numbers = list(plan.targets.values_list("number", flat=True))

    assert numbers == [
        "1a", "1b", "2", "3", "4a", "4b", "4c", "5", "6", "7a", "7b",
        "8", "9", "10a", "10b", "11", "12",
    ]  # fmt: skip
    assert plan.unit.code == "506"
    assert plan.years == [2023, 2024, 2025]


def test_target_2_is_the_share_of_xa_meeting_8_4_and_names_the_laggards(plan):
    xa = list(
        Unit.objects.valid_on(Period.year(2024).end)
        .communes()
        .filter(kind=Unit.Kind.COMMUNE)
        .order_by("code")
    )
    for commune in xa[:16]:
        _approve("NTM-XA.8.4", commune, 2024, 1)
    _approve("NTM-XA.8.4", xa[16], 2024, 0)

    result = _result(plan, 2024, "2")

    # 16 of 17 xã meet 8.4; the thị trấn does not count.
    assert result.value == Decimal("94.12")
    assert result.status == NOT_MET
    assert [(lag.unit.name, lag.status) for lag in result.laggards] == [
        (xa[16].name, NOT_MET)
    ]
    assert [r.requirement.code for r in result.laggards[0].reasons] == ["8.4"]


def test_targets_without_their_source_app_show_no_data_not_zero(plan):
    result = _result(plan, 2025, "8")

    assert (result.value, result.status) == (None, NO_DATA)


def test_target_4a_reads_the_district_value_in_its_last_year(plan, units):
    _approve("NTM-HUYEN.9.5", units["district"], 2025, 1)

    result = _result(plan, 2025, "4a")

    assert (result.value, result.status) == (1, MET)
