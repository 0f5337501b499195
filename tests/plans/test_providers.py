import datetime
from decimal import Decimal

import pytest

from ntm.indicators.evaluation import MET, NOT_MET
from ntm.plans.models import PilotCommune
from ntm.plans.progress import target_results

from .helpers import service, tally, unit

pytestmark = pytest.mark.django_db

JULY_2025 = datetime.date(2025, 7, 1)


def results(plan, year):
    return {r.target.number: r for r in target_results(plan, year, laggards=False)}


def test_target_1a_is_online_over_total_of_the_district_offices(plan, units):
    tally(units["district"], 2024, 100, 85, office="vhtt")
    tally(units["district"], 2024, 50, 40, office="tckh")
    tally(units["district"], 2023, 100, 10, office="vhtt")

    found = results(plan, 2024)["1a"]

    assert (found.measurement.numerator, found.measurement.denominator) == (
        Decimal(125),
        Decimal(150),
    )
    assert found.value == Decimal("83.33")
    assert found.status == MET


def test_target_1b_sums_the_communes_of_the_year(plan, units):
    tally(unit("20515"), 2024, 100, 60)
    tally(unit("20512"), 2024, 50, 20)
    tally(units["district"], 2024, 100, 100, office="vhtt")

    found = results(plan, 2024)["1b"]

    assert found.value == Decimal("53.33")
    assert found.status == NOT_MET


def test_target_1b_in_2025_adds_old_and_new_communes(plan, units):
    # Xã Đại Đồng's tally of 2024 stays in 2024; its first half of 2025 and
    # Xã Hà Nha's second half both count in the district's 2025 figure.
    tally(units["dai_dong"], 2024, 100, 10)
    tally(units["dai_dong"], 2025, 40, 30)
    tally(units["ha_nha"], 2025, 100, 70)

    found_2025 = results(plan, 2025)["1b"]
    found_2024 = results(plan, 2024)["1b"]

    assert (found_2025.measurement.numerator, found_2025.measurement.denominator) == (
        Decimal(100),
        Decimal(140),
    )
    assert found_2025.value == Decimal("71.43")
    assert found_2025.status == MET
    assert found_2024.value == Decimal("10.00")


def test_target_10a_counts_xa_with_an_active_service(plan, units):
    service(units["dai_dong"], datetime.date(2023, 5, 1))
    service(unit("20512"), datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    service(unit("20500"), datetime.date(2024, 2, 1))  # thị trấn: not counted

    found = results(plan, 2024)["10a"]

    assert (found.measurement.numerator, found.measurement.denominator) == (
        Decimal(1),
        Decimal(17),
    )
    assert found.value == Decimal("5.88")
    assert found.status == NOT_MET


def test_target_10a_in_2025_carries_old_services_to_new_communes(plan, units):
    service(units["dai_dong"], datetime.date(2023, 5, 1))  # → Xã Hà Nha
    service(unit("20500"), datetime.date(2024, 2, 1))  # Ái Nghĩa → Xã Đại Lộc
    service(units["vu_gia"], datetime.date(2025, 8, 1))

    found = results(plan, 2025)["10a"]

    assert (found.measurement.numerator, found.measurement.denominator) == (
        Decimal(3),
        Decimal(5),
    )
    assert found.value == Decimal("60.00")
    assert found.status == MET


def test_target_12_counts_communes_with_a_pilot_started_by_year_end(plan, units):
    PilotCommune.objects.create(
        unit=units["ha_nha"],
        field=PilotCommune.Field.ADMINISTRATION,
        started_on=datetime.date(2025, 9, 1),
    )
    PilotCommune.objects.create(
        unit=units["vu_gia"],
        field=PilotCommune.Field.TOURISM,
        started_on=datetime.date(2025, 9, 1),
        status=PilotCommune.Status.CANCELLED,
    )

    found_2025 = results(plan, 2025)["12"]
    found_2024 = results(plan, 2024)["12"]

    assert (found_2025.value, found_2025.status) == (Decimal(1), MET)
    assert (found_2024.value, found_2024.status) == (Decimal(0), NOT_MET)
