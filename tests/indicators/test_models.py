import datetime
from decimal import Decimal

import pytest

from ntm.indicators.models import Indicator, IndicatorValue, Period, Requirement

from .conftest import make_indicator, make_set

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("comparison", "value", "expected"),
    [
        ("gte", "79.99", False),
        ("gte", "80", True),
        ("gte", "80.01", True),
        ("gt", "79.99", False),
        ("gt", "80", False),
        ("gt", "80.01", True),
        ("lte", "79.99", True),
        ("lte", "80", True),
        ("lte", "80.01", False),
        ("lt", "79.99", True),
        ("lt", "80", False),
        ("lt", "80.01", False),
        ("eq", "79.99", False),
        ("eq", "80", True),
        ("eq", "80.01", False),
    ],
)
def test_requirement_is_met_by_compares_with_threshold(comparison, value, expected):
    requirement = Requirement(comparison=comparison, threshold=Decimal(80))

    assert requirement.is_met_by(Decimal(value)) is expected


@pytest.mark.parametrize(("value", "expected"), [(1, True), (0, False)])
def test_requirement_true_needs_a_non_zero_value(value, expected):
    requirement = Requirement(comparison=Requirement.Comparison.TRUE)

    assert requirement.is_met_by(value) is expected


@pytest.mark.parametrize(("value", "expected"), [(0, False), (1, True), (2, True)])
def test_requirement_true_with_threshold_needs_at_least_it(value, expected):
    requirement = Requirement(comparison="true", threshold=Decimal(1))

    assert requirement.is_met_by(value) is expected


@pytest.mark.parametrize("comparison", ["gte", "gt", "lte", "lt", "eq", "true"])
def test_requirement_without_value_is_neither_met_nor_not_met(comparison):
    requirement = Requirement(comparison=comparison, threshold=Decimal(0))

    assert requirement.is_met_by(None) is None


def test_requirement_threshold_display_in_vietnamese():
    share = make_indicator("T.SHARE", measure=Indicator.Measure.PERCENT)
    count = make_indicator("T.COUNT", measure=Indicator.Measure.COUNT)
    criteria_set = make_set(
        "T",
        ("1", "T.1", share, "gte", Decimal("72.5")),
        ("1", "T.2", count, "lt", 3),
        ("1", "T.3", count, "true", None),
    )
    shown = {
        r.code: r.threshold_display
        for r in Requirement.objects.filter(criterion__criteria_set=criteria_set)
    }

    assert shown == {"T.1": "≥ 72,5 %", "T.2": "< 3", "T.3": "Đạt"}


def test_period_year_is_created_once_and_read_on_its_last_day():
    first = Period.year(2024)

    again = Period.year(2024)

    assert again == first
    assert (first.start, first.end) == (
        datetime.date(2024, 1, 1),
        datetime.date(2024, 12, 31),
    )
    assert first.reference_day == datetime.date(2024, 12, 31)
    assert str(first) == "Năm 2024"


@pytest.mark.parametrize(
    ("status", "locked"),
    [
        (IndicatorValue.Status.DRAFT, False),
        (IndicatorValue.Status.SUBMITTED, True),
        (IndicatorValue.Status.APPROVED, True),
        (IndicatorValue.Status.RETURNED, False),
    ],
)
def test_indicator_value_is_locked_while_submitted_or_approved(status, locked):
    assert IndicatorValue(status=status).is_locked is locked
