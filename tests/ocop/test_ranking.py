import datetime
from decimal import Decimal

import pytest

from ntm.ocop.models import Evaluation
from ntm.ocop.ranking import add_months, stars_for


@pytest.mark.parametrize(
    ("total", "stars"),
    [
        ("0", 1),
        ("29.99", 1),
        ("30", 2),
        ("30.00", 2),
        ("49.99", 2),
        ("50", 3),
        ("69.99", 3),
        ("70", 4),
        ("89.99", 4),
        ("90", 5),
        ("100", 5),
    ],
)
def test_stars_follow_the_bands_of_qd_148_at_every_boundary(total, stars):
    assert stars_for(Decimal(total)) == stars


@pytest.mark.parametrize("total", ["-0.01", "100.01", "150"])
def test_stars_refuse_a_total_outside_0_to_100(total):
    with pytest.raises(ValueError):
        stars_for(Decimal(total))


@pytest.mark.parametrize(
    ("issued", "last_day"),
    [
        # The corresponding day 36 months later (BLDS 2015, Điều 147–148).
        (datetime.date(2023, 11, 20), datetime.date(2026, 11, 20)),
        (datetime.date(2023, 1, 31), datetime.date(2026, 1, 31)),
        (datetime.date(2023, 12, 31), datetime.date(2026, 12, 31)),
        (datetime.date(2023, 2, 28), datetime.date(2026, 2, 28)),
        # No 29 February in 2027: the month's last day.
        (datetime.date(2024, 2, 29), datetime.date(2027, 2, 28)),
        (datetime.date(2025, 6, 30), datetime.date(2028, 6, 30)),
    ],
)
def test_certificate_runs_to_the_same_day_36_months_later(issued, last_day):
    assert Evaluation.valid_until_for(issued) == last_day


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2023, 1, 31), 1, datetime.date(2023, 2, 28)),
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2023, 3, 31), 1, datetime.date(2023, 4, 30)),
        (datetime.date(2023, 11, 30), 2, datetime.date(2024, 1, 30)),
        (datetime.date(2023, 8, 31), -6, datetime.date(2023, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


def test_certificate_is_valid_on_its_last_day_and_expired_the_day_after():
    evaluation = Evaluation(
        status=Evaluation.Status.CERTIFIED,
        certificate_date=datetime.date(2023, 1, 31),
        valid_until=Evaluation.valid_until_for(datetime.date(2023, 1, 31)),
    )

    assert evaluation.is_valid_on(datetime.date(2026, 1, 31)) is True
    assert evaluation.is_expired_on(datetime.date(2026, 1, 31)) is False
    assert evaluation.is_valid_on(datetime.date(2026, 2, 1)) is False
    assert evaluation.is_expired_on(datetime.date(2026, 2, 1)) is True
