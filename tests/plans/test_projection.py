"""Will the deadline be met: projections on constructed series, by hand."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ntm.accounts.models import Office, Role
from ntm.indicators.models import Indicator, Requirement
from ntm.plans.projection import (
    AT_RISK,
    DUE,
    NOT_PROJECTED,
    OFF_TRACK,
    ON_TRACK,
    TOO_SHORT,
    project,
)

from ..factories import make_member
from ..workbooks import workbook_of
from .helpers import tally, unit


def requirement(comparison="gte", threshold="80", measure="percent"):
    indicator = Indicator(code="T", name="T", measure=measure)
    return Requirement(
        code="T", name="T", indicator=indicator, comparison=comparison,
        threshold=None if threshold is None else Decimal(threshold),
    )  # fmt: skip


def seen_from_2025(series, deadline_year=2027, **rule):
    return project(
        requirement(**rule), series, deadline_year=deadline_year, as_of_year=2025
    )


def test_a_rising_series_that_reaches_the_target_is_on_track():
    # 40, 50, 60: +10 a year, 80 in 2027, exactly the target.
    found = seen_from_2025([(2023, 40), (2024, 50), (2025, 60)])

    assert found.status == ON_TRACK
    assert (found.value, found.slope) == (Decimal(80), Decimal(10))
    assert [year for year, _ in found.points] == [2023, 2024, 2025]


def test_a_hair_short_of_the_target_is_at_risk_not_rounded_up():
    # 80 in 2027 against "≥ 80.01": missed, at 10 a year of the 10.005 needed.
    found = seen_from_2025([(2023, 40), (2024, 50), (2025, 60)], threshold="80.01")

    assert (found.status, found.value) == (AT_RISK, Decimal(80))


def test_a_rise_under_half_the_pace_needed_is_off_track():
    # +1 a year from 42; 19 a year are needed to reach 80 by 2027.
    found = seen_from_2025([(2023, 40), (2024, 41), (2025, 42)])

    assert (found.status, found.value) == (OFF_TRACK, Decimal(44))


def test_half_the_pace_needed_is_still_at_risk():
    # 60 in 2025, 20 still needed over 2 years = 10 a year; the trend gives 5.
    found = seen_from_2025([(2024, 55), (2025, 60)])

    assert (found.status, found.slope) == (AT_RISK, Decimal(5))


def test_a_flat_series_is_off_track():
    found = seen_from_2025([(2023, 50), (2024, 50), (2025, 50)])

    assert (found.status, found.value, found.slope) == (
        OFF_TRACK,
        Decimal(50),
        Decimal(0),
    )


def test_a_falling_series_is_off_track_and_a_met_target_falling_away_too():
    assert seen_from_2025([(2023, 60), (2024, 55), (2025, 50)]).status == OFF_TRACK
    # Met today (85) but falling 10 a year: 65 in 2027.
    found = seen_from_2025([(2024, 95), (2025, 85)])
    assert (found.status, found.value) == (OFF_TRACK, Decimal(65))


def test_a_falling_series_meets_an_upper_bound():
    # Poor households ≤ 3 %: 6, 5, 4 → 2 in 2027.
    found = seen_from_2025(
        [(2023, 6), (2024, 5), (2025, 4)], comparison="lte", threshold="3"
    )

    assert (found.status, found.value) == (ON_TRACK, Decimal(2))


def test_the_line_is_fitted_to_the_last_three_years_with_a_value():
    # 2021–2022 (zeros) are older than three years with values; 2024 has none.
    series = [(2021, 0), (2022, 0), (2023, 40), (2024, None), (2025, 60)]

    found = seen_from_2025(series + [(2026, 0)])

    assert [year for year, _ in found.points] == [2022, 2023, 2025]
    # Least squares through (2022, 0), (2023, 40), (2025, 60): mean year
    # 2023 1/3, Sxy = 260/3, Sxx = 14/3, slope 130/7 a year.
    assert round(found.slope, 12) == round(Decimal(130) / Decimal(7), 12)


def test_years_after_the_one_looked_at_are_not_known_yet():
    found = seen_from_2025([(2024, 50), (2025, 60), (2026, 0)])

    assert [year for year, _ in found.points] == [2024, 2025]


def test_a_percentage_stays_within_0_and_100_and_a_count_above_0():
    rising = seen_from_2025([(2024, 70), (2025, 95)], threshold="100")
    assert (rising.status, rising.value) == (ON_TRACK, Decimal(100))

    falling = seen_from_2025([(2024, 4), (2025, 2)], measure="number", threshold="1")
    assert (falling.status, falling.value) == (OFF_TRACK, Decimal(0))


def test_too_little_history_says_so_instead_of_guessing():
    for series in ([], [(2025, 60)], [(2023, None), (2024, None), (2025, 60)]):
        found = seen_from_2025(series)
        assert (found.status, found.value) == (TOO_SHORT, None)


def test_a_yes_no_target_is_not_projected_and_a_reached_deadline_not_either():
    yes_no = seen_from_2025([(2024, 0), (2025, 1)], comparison="true", threshold=None)
    assert yes_no.status == NOT_PROJECTED

    due = seen_from_2025([(2024, 50), (2025, 60)], deadline_year=2025)
    assert (due.status, due.value) == (DUE, None)


# -- On the dashboard and in the API, from the plan's own records -------------


def _plan_records():
    # Target 1b (≥ 60 % of commune work dossiers online), by commune:
    # Đại Đồng 30 → 45 %, Đại Thạnh 50 → 50 %, Ái Nghĩa only in 2024.
    tally(unit("20515"), 2023, 100, 30)
    tally(unit("20515"), 2024, 100, 45)
    tally(unit("20512"), 2023, 100, 50)
    tally(unit("20512"), 2024, 100, 50)
    tally(unit("20500"), 2024, 100, 10)


@pytest.mark.django_db
def test_the_plan_api_projects_each_target_and_unit_seen_from_a_year(client, plan):
    _plan_records()

    data = client.get(f"/api/v1/plans/{plan.code}/targets?year=2024").json()

    target = next(t for t in data["targets"] if t["number"] == "1b")
    # District: 80/200 = 40 % then 105/300 = 35 %: falling, 30 % in 2025.
    projection = target["projection"]
    assert (projection["status"], projection["value"], projection["years"]) == (
        OFF_TRACK,
        30.0,
        [2023, 2024],
    )
    assert projection["deadline_year"] == 2025
    assert "bình phương tối thiểu" in projection["method"]
    by_unit = {u["code"]: (u["status"], u["value"]) for u in target["unit_projections"]}
    assert by_unit == {
        "20515": (ON_TRACK, 60.0),  # 30, 45 → 60: the target exactly
        "20512": (OFF_TRACK, 50.0),  # flat
        "20500": (TOO_SHORT, None),  # one year only
    }

    due = client.get(f"/api/v1/plans/{plan.code}/targets?year=2025").json()
    target = next(t for t in due["targets"] if t["number"] == "1b")
    assert target["projection"]["status"] == DUE


@pytest.mark.django_db
def test_the_dashboard_states_the_projection_and_its_method(client, plan):
    _plan_records()

    public = client.get(reverse("dashboards:plan-summary") + "?nam=2024")

    body = public.content.decode()
    assert 'data-projection="off_track"' in body
    assert "Dự báo đến hạn 31/12/2025" in body
    assert "xu hướng 2023–2024 dẫn tới 30 %" in body
    assert "Cách dự báo đến hạn" in body


@pytest.mark.django_db
def test_the_target_page_lists_each_units_projection(client, plan, units):
    _plan_records()
    client.force_login(
        make_member(units["district"], Role.OFFICE_STAFF, office=Office.CULTURE)
    )

    page = client.get(reverse("dashboards:target-detail", args=["1b"]) + "?nam=2024")

    body = page.content.decode()
    assert 'data-unit="20515" data-projection="on_track"' in body
    assert 'data-unit="20512" data-projection="off_track"' in body
    assert 'data-unit="20500" data-projection="too_short"' in body
    assert "2023: 30 %; 2024: 45 %" in body


@pytest.mark.django_db
def test_the_dashboard_workbook_carries_the_projection(client, plan):
    _plan_records()

    book = workbook_of(
        client.get(reverse("dashboards:plan-summary-export") + "?nam=2024")
    )

    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "1b")
    assert row[header.index("Dự báo đến hạn")].startswith("Chệch hướng")
    assert row[header.index("Giá trị dự báo năm hạn")] == 30
