import datetime
from decimal import Decimal

import pytest

from ntm.indicators.evaluation import NOT_MET
from ntm.indicators.models import Period
from ntm.indicators.providers import provider_for
from ntm.plans.progress import target_results

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster_2024(units, old, make_staff, make_training, attend):
    """Four active managers in 2024, two of them trained in digital transformation.

    A: district, trained in 2023 under the 2023 entry with the same code;
    B: Đại Đồng, attended a 2024 digital training; C: Đại Đồng, only another
    topic; D: Đại Hồng, absent from a digital training; E: Đại Hồng, trained
    but no longer active (not counted).
    """
    a_2023 = make_staff(units["district"], 2023, code="A")
    a = make_staff(units["district"], 2024, code="A")
    b = make_staff(old["dai_dong"], code="B")
    c = make_staff(old["dai_dong"], code="C")
    d = make_staff(old["dai_hong"], code="D")
    e = make_staff(old["dai_hong"], code="E", is_active=False)
    digital_2023 = make_training(datetime.date(2023, 6, 1))
    digital = make_training()
    other = make_training(topic="other", title="Tập huấn OCOP")
    attend(digital_2023, a_2023)
    attend(digital, b)
    attend(other, c)
    attend(digital, d, attended=False)
    attend(digital, e)
    return {"a": a, "b": b, "c": c, "d": d}


def test_trained_managers_counts_by_unit_and_by_person_across_years(
    roster_2024, units, old
):
    values = provider_for("KH.CB_TAP_HUAN").compute(Period.year(2024))

    assert values["KH.CB_TAP_HUAN"] == {
        units["district"].pk: (Decimal(1), Decimal(1)),
        old["dai_dong"].pk: (Decimal(1), Decimal(2)),
        old["dai_hong"].pk: (Decimal(0), Decimal(1)),
    }


def test_trained_managers_ignore_trainings_after_the_year(
    units, make_staff, make_training, attend
):
    staff = make_staff(units["district"], 2024, code="A")
    make_staff(units["district"], 2023, code="A")
    attend(make_training(datetime.date(2024, 5, 1)), staff)

    values = provider_for("KH.CB_TAP_HUAN").compute(Period.year(2023))

    assert values["KH.CB_TAP_HUAN"] == {units["district"].pk: (0, 1)}


def test_target_5_is_the_share_of_the_roster_trained(roster_2024, plan):
    result = next(r for r in target_results(plan, 2024) if r.target.number == "5")

    assert result.value == Decimal("50.00")
    # Communes without a roster show as "no data", not as lagging.
    assert sorted(
        lag.unit.name for lag in result.laggards if lag.status == NOT_MET
    ) == ["Xã Đại Hồng", "Xã Đại Đồng"]
