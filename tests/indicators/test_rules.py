"""Rules a district would accept: shares of nothing do not apply, and
thresholds are compared with unrounded values (issue 12, item 3)."""

import datetime
from decimal import Decimal

import pytest

from ntm.indicators import providers
from ntm.indicators.evaluation import (
    MET,
    NO_DATA,
    NOT_APPLICABLE,
    NOT_MET,
    Context,
    evaluate,
)
from ntm.indicators.models import Indicator, Period
from ntm.indicators.services import load_criteria_file
from ntm.units.models import Unit
from tests.factories import HouseholdFactory, make_smart_village, make_village

from .conftest import SMART_VILLAGE_FILE, make_indicator, make_set

pytestmark = pytest.mark.django_db

# A provider for the rounding case: 38 587 of 38 588 without creating them.
SHARES = {}


@providers.register("TEST.UNROUNDED", label="Số liệu kiểm thử")
def _unrounded():
    return {"TEST.UNROUNDED": dict(SHARES)}


@pytest.fixture
def share(db):
    return make_indicator(
        "TEST.UNROUNDED",
        measure=Indicator.Measure.PERCENT,
        source=Indicator.Source.COMPUTED,
        aggregation=Indicator.Aggregation.RATIO,
    )


def live_period():
    period = Period.year(datetime.date.today().year)
    return period, Context(period, live=True)


def test_village_without_production_households_can_be_smart(units):
    smart_set = load_criteria_file(SMART_VILLAGE_FILE)[0]
    village = make_smart_village(units["ha_nha"], 1, households=5)
    period, context = live_period()

    evaluation = evaluate(smart_set, [village], period, context)[village.pk]

    ecommerce = evaluation.result_for("TM.2")
    assert ecommerce.status == NOT_APPLICABLE
    assert (ecommerce.measurement.numerator, ecommerce.measurement.denominator) == (
        Decimal(0),
        Decimal(0),
    )
    assert evaluation.result_for("TM.8").status == NOT_APPLICABLE
    assert evaluation.criterion("2").status == NOT_APPLICABLE
    assert evaluation.criterion("3").status == MET
    assert evaluation.status == MET
    assert evaluation.counts() == {
        MET: 2,
        NOT_MET: 0,
        NO_DATA: 0,
        NOT_APPLICABLE: 1,
    }


def test_village_without_a_register_has_no_data_not_not_applicable(units):
    smart_set = load_criteria_file(SMART_VILLAGE_FILE)[0]
    empty = make_village(units["ha_nha"], 2)
    period, context = live_period()

    evaluation = evaluate(smart_set, [empty], period, context)[empty.pk]

    assert evaluation.result_for("TM.2").status == NO_DATA
    assert evaluation.result_for("TM.5").status == NO_DATA
    assert evaluation.criterion("2").status == NO_DATA


def test_a_production_household_makes_the_share_apply_again(units):
    smart_set = load_criteria_file(SMART_VILLAGE_FILE)[0]
    village = make_smart_village(units["ha_nha"], 1, households=5)
    HouseholdFactory(village=village, is_business=True, has_fibre=True)
    period, context = live_period()

    evaluation = evaluate(smart_set, [village], period, context)[village.pk]

    assert evaluation.result_for("TM.2").status == NOT_MET
    assert evaluation.status == NOT_MET


def test_commune_of_villages_without_production_households_does_not_apply(units):
    smart_set = load_criteria_file(SMART_VILLAGE_FILE)[0]
    make_smart_village(units["ha_nha"], 1, households=2)
    make_smart_village(units["ha_nha"], 2, households=3)
    ecommerce = Indicator.objects.get(code="SV.ECOMMERCE")
    commune_set = make_set(
        "XA_TM", ("1", "X.1", ecommerce, "gte", 50), level=Unit.Level.COMMUNE
    )
    assert smart_set.pk  # the indicators come from the smart-village file
    period, context = live_period()

    evaluation = evaluate(commune_set, [units["ha_nha"]], period, context)
    result = evaluation[units["ha_nha"].pk].result_for("X.1")

    assert result.status == NOT_APPLICABLE
    assert result.value is None


@pytest.mark.parametrize(
    ("numerator", "denominator", "shown", "status"),
    [
        (38587, 38588, Decimal("100.00"), NOT_MET),
        (38588, 38588, Decimal("100.00"), MET),
        (0, 0, None, NOT_APPLICABLE),
    ],
)
def test_share_is_compared_unrounded(
    villages, share, numerator, denominator, shown, status
):
    full = make_set("TEST_FULL", ("1", "F.1", share, "gte", 100))
    village = villages["hn1"]
    SHARES.clear()
    SHARES[village.pk] = providers.fraction(numerator, denominator)
    period, context = live_period()

    result = evaluate(full, [village], period, context)[village.pk].result_for("F.1")

    assert result.value == shown
    assert result.status == status


def test_above_threshold_is_compared_unrounded(villages, share):
    """80,004 % shows as 80 % but is above 80 %; 80 % exactly is not."""
    above = make_set("TEST_ABOVE", ("1", "A.1", share, "gt", 80))
    first, second = villages["hn1"], villages["hn2"]
    SHARES.clear()
    SHARES[first.pk] = providers.fraction(20001, 25000)
    SHARES[second.pk] = providers.fraction(20000, 25000)
    period, context = live_period()

    found = evaluate(above, [first, second], period, context)

    assert found[first.pk].result_for("A.1").value == Decimal("80.00")
    assert found[first.pk].result_for("A.1").status == MET
    assert found[second.pk].result_for("A.1").status == NOT_MET
