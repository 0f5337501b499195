"""Figures as of a day (issue 12, time travel): a past year is evaluated from
the register's versions of its last day, and the pages and the API read
``?ngay=`` / ``on=`` as that day's year and units."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from freezegun import freeze_time

from ntm.households.services import create_household, update_household
from ntm.indicators.evaluation import MET, NOT_MET, evaluate
from ntm.indicators.models import ComputedSnapshot, Period
from ntm.indicators.services import close_period
from tests.factories import make_moved_village

pytestmark = pytest.mark.django_db


@pytest.fixture
def lived(units):
    """Thôn 1 of Đại Đồng: 4 households in 2024, 1 with fibre; carried into
    Hà Nha in 2025; all 4 with fibre since May 2026."""
    old, new = make_moved_village(units)
    with freeze_time("2024-03-01 09:00:00+07:00"):
        for n in range(4):
            create_household(
                village=old,
                code=f"DD{n}",
                head_name="Lê Văn Ba",
                has_fibre=n == 0,
                by=None,
            )
    with freeze_time("2025-07-01 08:00:00+07:00"):
        for household in old.households.all():
            update_household(household, village=new, by=None)
    with freeze_time("2026-05-04 10:00:00+07:00"):
        for household in new.households.all():
            update_household(household, has_fibre=True, by=None)
    return old, new


def _fibre(fibre_set, unit, year):
    period = Period.year(year)
    return evaluate(fibre_set, [unit], period)[unit.pk].result_for("F.1")


@freeze_time("2026-11-20 10:00:00+07:00")
def test_a_past_year_is_evaluated_from_its_own_facts(lived, fibre_set, units):
    old, new = lived

    then = _fibre(fibre_set, old, 2024)
    commune_then = _fibre(fibre_set, units["dai_dong"], 2024)
    now = _fibre(fibre_set, new, 2026)

    assert (then.measurement.numerator, then.measurement.denominator) == (1, 4)
    assert (then.value, then.status) == (Decimal("25.00"), NOT_MET)
    assert commune_then.value == Decimal("25.00")
    assert (now.value, now.status) == (Decimal("100.00"), MET)


@freeze_time("2026-11-20 10:00:00+07:00")
def test_closing_a_year_freezes_the_versions_of_its_last_day(lived, fibre_set):
    old, new = lived
    close_period(Period.year(2024), by=None)
    household = new.households.first()

    update_household(household, has_fibre=False, by=None)

    snapshot = ComputedSnapshot.objects.get(
        indicator__code="SV.FIBRE", period__code="2024", unit=old
    )
    assert (snapshot.numerator, snapshot.denominator) == (1, 4)
    assert _fibre(fibre_set, old, 2024).value == Decimal("25.00")
    assert _fibre(fibre_set, new, 2026).value == Decimal("75.00")


def test_the_matrix_of_31_12_2024_lists_that_days_villages(client, lived, fibre_set):
    old, new = lived
    url = reverse("indicators:evaluation-matrix", args=[fibre_set.code, "20515"])

    then = client.get(url, {"ngay": "2024-12-31"})
    now = client.get(url)

    assert then.context["year"] == "2024"
    assert then.context["parent"].name == "Xã Đại Đồng"
    assert [row.unit for row in then.context["rows"]] == [old]
    assert now.context["parent"].name == "Xã Hà Nha"
    assert 'data-as-of="2024-12-31"' in then.content.decode()
    # A year asked for wins over the day.
    assert (
        client.get(url, {"ngay": "2024-12-31", "nam": "2025"}).context["year"] == "2025"
    )


def test_the_evaluation_api_reads_on_as_that_days_year(client, lived, fibre_set):
    old, _new = lived
    url = f"/api/v1/evaluations/{fibre_set.code}/{old.code}"

    on_day = client.get(url, {"on": "2024-12-31"})
    bad = client.get(url, {"on": "2024-13-01"})

    assert on_day.status_code == 200
    data = on_day.json()
    assert data["unit"]["name"] == "Thôn 1"
    assert data["period"]["code"] == "2024"
    assert bad.status_code == 422


def test_the_past_register_is_read_at_the_day_not_at_the_reorganisation(lived, units):
    from ntm.households.models import Household

    old, new = lived
    mid_2025 = Household.history.followed_on(datetime.date(2025, 6, 30))
    after = Household.history.followed_on(datetime.date(2025, 7, 1))

    assert set(mid_2025.values_list("village_id", flat=True)) == {old.pk}
    assert set(after.values_list("village_id", flat=True)) == {new.pk}
