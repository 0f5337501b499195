"""The register's joint pass (issue 15 item 1): while a period runs, the
household shares, clean water, e-commerce and traceability are counted in
one GROUP BY over the register, with the answers each provider gives alone."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ntm.households.indicators import clean_water, household_shares
from ntm.households.models import WaterSource
from ntm.households.register_pass import today_by_village
from ntm.indicators.evaluation import Context, evaluate, measure
from ntm.indicators.models import Indicator, Period
from ntm.indicators.services import load_criteria_file
from ntm.ocop.indicators import households_online
from ntm.ocop.models import Entity, SalesChannel
from ntm.traceability.indicators import households_applying_traceability
from ntm.units.models import Unit

from ..factories import (
    EcommercePlatformFactory,
    FacilityFactory,
    HouseholdFactory,
    SalesChannelFactory,
)
from ..indicators.conftest import SMART_VILLAGE_FILE

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(villages, lot, entity):
    """Households of every kind the four parts tell apart, in two villages."""
    hn1, vg1 = villages["hn1"], villages["vg1"]
    platform = EcommercePlatformFactory(name="Voso.vn")
    traced = HouseholdFactory(
        village=hn1, is_business=True, has_fibre=True, water_source=WaterSource.PIPED
    )
    entity.household = traced
    entity.save(update_fields=["household"])
    listed = HouseholdFactory(village=hn1, is_business=False, smartphones=2)
    shop = Entity.objects.create(
        code="HKD-9",
        name="Hộ 9",
        kind=Entity.Kind.HOUSEHOLD_BUSINESS,
        unit=entity.unit,
        household=listed,
        address="Thôn 1",
    )
    SalesChannelFactory(
        entity=shop,
        kind=SalesChannel.Kind.ECOMMERCE,
        url="https://voso.vn/gian-hang",
        listed_from=datetime.date(2024, 1, 1),
    )
    declared = HouseholdFactory(
        village=hn1, is_business=True, uses_traceability=True, address_code=""
    )
    declared.ecommerce_platforms.add(platform)
    HouseholdFactory(village=hn1, water_source=WaterSource.DRILLED_WELL)
    HouseholdFactory(village=vg1, is_business=True, has_fibre=True)
    HouseholdFactory(village=vg1, members=5, health_app_members=2)
    FacilityFactory(village=hn1, has_wifi=True)
    return villages


@pytest.fixture
def water(db):
    """Criterion 17's clean-water share, as the advanced commune set has it."""
    return Indicator.objects.create(
        code="NTM-XA-NC.17.NUOC_SACH_TT",
        name="Tỷ lệ hộ dùng nước sạch tập trung",
        level=Unit.Level.VILLAGE,
        source=Indicator.Source.COMPUTED,
        measure=Indicator.Measure.PERCENT,
        aggregation=Indicator.Aggregation.RATIO,
    )


def _this_year():
    return Period.year(timezone.localdate().year)


def _register_groups(queries):
    return [
        q["sql"]
        for q in queries
        if 'FROM "households_household"' in q["sql"] and "GROUP BY" in q["sql"]
    ]


def test_the_joint_pass_gives_each_providers_own_answers(register):
    period = _this_year()
    alone = {
        **household_shares(),
        **clean_water(),
        **households_online(),
        **households_applying_traceability(period),
    }

    with CaptureQueriesContext(connection) as queries:
        joint = today_by_village(period)

    assert joint == alone
    assert len(_register_groups(queries.captured_queries)) == 1
    hn1 = register["hn1"].pk
    # The figures, by hand: hn1 has 4 households, 3 producers (the traced
    # entity's, the listed shop's, the declaring business).
    assert joint["SV.TRACEABILITY"][hn1] == (2, 3)
    assert joint["SV.ECOMMERCE"][hn1] == (2, 3)
    assert joint["SV.FIBRE"][hn1] == (1, 4)
    assert joint["NTM-XA-NC.17.NUOC_SACH_TT"][hn1] == (1, 2)
    # vg1 records no water source: no value, not 0 %.
    assert register["vg1"].pk not in joint["NTM-XA-NC.17.NUOC_SACH_TT"]


def test_a_live_evaluation_reads_the_register_once(register):
    smart_village_set, _action = load_criteria_file(SMART_VILLAGE_FILE)
    period = _this_year()
    units = list(Unit.objects.filter(pk__in=[v.pk for v in register.values()]))

    with CaptureQueriesContext(connection) as queries:
        evaluations = evaluate(smart_village_set, units, period, Context(period))

    groups = _register_groups(queries.captured_queries)
    assert len(groups) == 1
    # Only what the set reads: its parts, not clean water.
    assert "ocop_saleschannel" in groups[0] and "traceability_lot" in groups[0]
    assert "water_source" not in groups[0]
    hn1 = evaluations[register["hn1"].pk]
    for code in ("TM.2", "TM.8"):  # e-commerce, traceability: 2 of 3 producers
        measurement = hn1.result_for(code).measurement
        assert (measurement.numerator, measurement.denominator) == (2, 3)


def test_a_period_read_from_its_own_records_computes_each_provider_alone(register):
    smart_village_set, _action = load_criteria_file(SMART_VILLAGE_FILE)
    period = _this_year()
    units = list(Unit.objects.filter(pk__in=[v.pk for v in register.values()]))

    with CaptureQueriesContext(connection) as queries:
        evaluate(smart_village_set, units, period, Context(period, live=False))

    # The shares of the period's last day and the year's traced lots, each
    # alone; e-commerce describes only today and is read from snapshots.
    groups = _register_groups(queries.captured_queries)
    assert len(groups) == 2
    assert not any("ocop_saleschannel" in sql for sql in groups)


def test_one_indicator_measured_alone_counts_only_its_part(register, water):
    period = _this_year()

    with CaptureQueriesContext(connection) as queries:
        result = measure(water, [register["hn1"]], Context(period))

    groups = _register_groups(queries.captured_queries)
    assert len(groups) == 1 and "ocop_" not in groups[0]
    assert result[register["hn1"].pk].value == 50


def test_a_second_set_in_the_same_context_counts_only_what_is_new(register, water):
    smart_village_set, _action = load_criteria_file(SMART_VILLAGE_FILE)
    period = _this_year()
    context = Context(period)
    evaluate(smart_village_set, [register["hn1"]], period, context)

    with CaptureQueriesContext(connection) as queries:
        context.expect([water])
        result = measure(water, [register["hn1"]], context)

    (sql,) = _register_groups(queries.captured_queries)
    assert "water_source" in sql and "ocop_saleschannel" not in sql
    assert result[register["hn1"].pk].value == 50
