from decimal import Decimal

import pytest
from django.utils import translation

from ntm.core.numbers import (
    format_money,
    format_number,
    format_percent,
    format_quantity,
    plain_number,
    round_half_up,
)


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (8250, None, "8.250"),
        (38588, None, "38.588"),
        (1234567, None, "1.234.567"),
        (999, None, "999"),
        (0, None, "0"),
        (-1500, None, "-1.500"),
        (Decimal("83.58"), None, "83,58"),
        (Decimal("85.50"), None, "85,5"),
        (Decimal("100.00"), None, "100"),
        ("83.5849", None, "83,58"),
        (Decimal("132.69"), 2, "132,69"),
        (2, 2, "2,00"),
        (15.794504, 5, "15,79450"),
        (Decimal("1234.5"), 1, "1.234,5"),
    ],
)
def test_format_number_writes_vietnamese_separators(value, decimals, text):
    assert format_number(value, decimals) == text


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        # Half-up, not the banker's rounding of Python and Decimal.
        (Decimal("83.585"), 2, "83,59"),
        (Decimal("0.125"), 2, "0,13"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("3.5"), 0, "4"),
        (Decimal("-2.5"), 0, "-3"),
        # Floats round as written, not as stored in binary (2.675 is 2.67499…).
        (2.675, 2, "2,68"),
        (1.005, 2, "1,01"),
        # Rounded, never truncated as Django's number_format does.
        (Decimal("83.58"), 1, "83,6"),
        (Decimal("99.96"), 1, "100,0"),
        (Decimal("999.9996"), 3, "1.000,000"),
        # No "-0" left after rounding a tiny negative.
        (Decimal("-0.001"), 2, "0,00"),
    ],
)
def test_format_number_rounds_half_up(value, decimals, text):
    assert format_number(value, decimals) == text


def test_format_number_automatic_decimals_round_at_two_places():
    assert format_number(Decimal("83.585")) == "83,59"
    assert format_number(Decimal("99.999")) == "100"
    assert format_number(1 / 3) == "0,33"


def test_format_number_shows_a_dash_for_nothing_and_keeps_other_text():
    assert format_number(None) == "—"
    assert format_number("") == "—"
    assert format_number("—") == "—"
    assert format_number("không rõ") == "không rõ"
    assert format_number(None, empty="") == ""


def test_format_number_does_not_follow_the_active_language():
    with translation.override("en"):
        assert format_number(8250) == "8.250"
        assert format_percent(Decimal("83.58")) == "83,58 %"


def test_format_number_without_grouping_for_form_values():
    assert format_number(Decimal("1234.5"), grouping=False) == "1234,5"


def test_round_half_up_returns_a_decimal_or_none():
    assert round_half_up(Decimal("83.585"), 2) == Decimal("83.59")
    assert round_half_up(200 / 3, 1) == Decimal("66.7")
    assert round_half_up(None, 2) is None
    assert round_half_up("abc", 2) is None


def test_format_percent_money_and_quantities():
    assert format_percent(Decimal("83.58")) == "83,58 %"
    assert format_percent(Decimal("83.5849")) == "83,58 %"
    assert format_percent(100) == "100 %"
    assert format_percent(None) == "—"
    assert format_money(1500000) == "1.500.000 đồng"
    assert format_quantity("92.5", "percent") == "92,5 %"
    assert format_quantity("1", "boolean") == "Có"
    assert format_quantity("0", "boolean") == "Không"
    assert format_quantity("12500", "count") == "12.500"
    assert format_quantity(None, "percent") == "—"


def test_plain_number_gives_the_stored_value_back_exactly():
    assert plain_number(Decimal("85.5000")) == "85,5"
    assert plain_number(Decimal("1234.5678")) == "1234,5678"
    assert plain_number(Decimal("100.0000")) == "100"
    assert plain_number(Decimal("1E+2")) == "100"
    assert plain_number(None) == ""
