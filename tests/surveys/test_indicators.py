import datetime
from decimal import Decimal

import pytest

from ntm.indicators.providers import Within, provider_for
from ntm.surveys import queries
from ntm.surveys.models import Response
from ntm.surveys.services import submit_response
from tests.factories import HouseholdFactory

from .conftest import add_questions, make_survey

pytestmark = pytest.mark.django_db


class Period:
    def __init__(self, year):
        self.end = datetime.date(year, 12, 31)


@pytest.fixture
def answered(survey, villages):
    """Three households of village 1: two satisfied, one not; one of village 2."""
    q = survey.q
    plans = [
        ("hn1", "yes", "5"),
        ("hn1", "yes", "2"),  # half satisfied: counts as satisfied
        ("hn1", "no", "1"),
        ("hn2", "no", "4"),
    ]
    for n, (village, overall, rating) in enumerate(plans):
        household = HouseholdFactory(village=villages[village], code=f"HH{n}")
        answers = {q["overall"].pk: [overall], q["rating"].pk: [rating]}
        if overall == "no":
            answers[q["why"].pk] = ["đường xấu"]
        submit_response(survey, household=household, answers=answers)
    return survey


def test_summary_counts_households_satisfied(answered):
    summary = queries.summary(answered)

    assert (summary["responses"], summary["judged"], summary["satisfied"]) == (4, 4, 3)
    assert summary["satisfaction"] == Decimal("75.0")
    assert summary["response_rate"] == Decimal("100.0")


def test_content_areas_count_answers(answered):
    assert [
        (r["area"], r["satisfied"], r["answers"])
        for r in queries.content_areas(answered)
    ] == [
        ("Chung", 2, 4),
        ("Giao thông", 2, 4),
    ]


def test_unit_breakdown_by_village(answered, villages):
    HouseholdFactory(village=villages["hn2"], code="HH9")

    rows = queries.unit_breakdown(answered)

    assert [
        (r["unit"], r["households"], r["responses"], r["satisfaction"]) for r in rows
    ] == [
        ("Thôn 1", 3, 3, Decimal("66.67")),
        ("Thôn 2", 2, 1, Decimal("100.0")),
    ]


def test_question_results_counts_choices_and_mean(answered):
    results = queries.question_results(answered)

    overall, rating = results[0], results[1]
    assert [(r["choice"].value, r["count"]) for r in overall["choices"]] == [
        ("yes", 2),
        ("no", 2),
    ]
    assert rating["mean"] == Decimal("3.00")


def test_satisfaction_provider_keys_by_village(answered, villages):
    year = answered.opens_at.year

    values = provider_for("KS.HAI_LONG").compute_for(Period(year))["KS.HAI_LONG"]

    assert values == {
        villages["hn1"].pk: (Decimal(2), Decimal(3)),
        villages["hn2"].pk: (Decimal(1), Decimal(1)),
    }


def test_satisfaction_provider_scoped_to_a_village(answered, villages):
    """Scoped (issue 15): only the responses of households below the scope."""
    year = answered.opens_at.year
    within = Within((villages["hn2"].path,))

    values = provider_for("KS.HAI_LONG").compute_for(Period(year), within=within)

    assert values["KS.HAI_LONG"] == {villages["hn2"].pk: (Decimal(1), Decimal(1))}


def test_satisfaction_provider_ignores_other_years(answered):
    year = answered.opens_at.year + 3

    assert provider_for("KS.HAI_LONG").compute_for(Period(year)) == {"KS.HAI_LONG": {}}


def test_online_survey_provider_counts_communes_with_online_answers(answered, units):
    year = answered.opens_at.year

    values = provider_for("KH.XA_KHAO_SAT_TRUC_TUYEN").compute_for(Period(year))[
        "KH.XA_KHAO_SAT_TRUC_TUYEN"
    ]

    assert values[units["ha_nha"].pk] == (Decimal(1), Decimal(1))
    assert values[units["vu_gia"].pk] == (Decimal(0), Decimal(1))


def test_online_survey_provider_ignores_paper_only(units, villages):
    survey = make_survey(units["vu_gia"])
    q = add_questions(survey)
    household = HouseholdFactory(village=villages["vg1"])
    submit_response(
        survey,
        household=household,
        answers={q["overall"].pk: ["yes"], q["rating"].pk: ["5"]},
        channel=Response.Channel.PAPER,
    )

    values = provider_for("KH.XA_KHAO_SAT_TRUC_TUYEN").compute_for(
        Period(survey.opens_at.year)
    )["KH.XA_KHAO_SAT_TRUC_TUYEN"]

    assert values[units["vu_gia"].pk] == (Decimal(0), Decimal(1))


@pytest.mark.parametrize(
    ("utc", "counted_in"),
    [
        # 23:30 on 31/12/2025 in Đại Lộc (UTC+7): still 2025.
        (datetime.datetime(2025, 12, 31, 16, 30, tzinfo=datetime.UTC), 2025),
        # 00:30 on 01/01/2026 there, though still 31/12 in UTC.
        (datetime.datetime(2025, 12, 31, 17, 30, tzinfo=datetime.UTC), 2026),
    ],
)
def test_online_survey_provider_reads_the_year_in_local_time(
    units, villages, utc, counted_in
):
    survey = make_survey(units["vu_gia"])
    q = add_questions(survey)
    submit_response(
        survey,
        household=HouseholdFactory(village=villages["vg1"]),
        answers={q["overall"].pk: ["yes"], q["rating"].pk: ["5"]},
    )
    Response.objects.update(submitted_at=utc)
    provider = provider_for("KH.XA_KHAO_SAT_TRUC_TUYEN")

    counted = {
        year: provider.compute_for(Period(year))["KH.XA_KHAO_SAT_TRUC_TUYEN"][
            units["vu_gia"].pk
        ][0]
        for year in (2025, 2026)
    }

    assert counted == {2025: int(counted_in == 2025), 2026: int(counted_in == 2026)}
