"""Survey responses partitioned by province code (issue 15 item 3,
ntm.core.partitions): on PostgreSQL a response lies in its household's
province's partition; the one-answer-per-household rule still holds, and
answers still go with their response (Django's own relation now)."""

import pytest
from django.db import connection

from ntm.surveys.models import Answer, Response
from ntm.surveys.services import SurveyError, submit_response

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


def _answer(survey, household):
    q = survey.q
    return submit_response(
        survey,
        household=household,
        answers={q["overall"].pk: ["yes"], q["rating"].pk: ["5"]},
    )


def test_a_response_lands_in_its_households_provinces_partition(survey, household):
    response = _answer(survey, household)

    assert response.province_code == household.province_code == "48"
    if POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tableoid::regclass::text FROM surveys_response WHERE id = %s",
                [response.pk],
            )
            assert cursor.fetchall() == [("surveys_response_p48",)]


def test_one_response_per_household_still_holds(survey, household):
    _answer(survey, household)

    with pytest.raises(SurveyError):
        _answer(survey, household)
    assert Response.objects.count() == 1


def test_answers_go_with_their_response(survey, household):
    response = _answer(survey, household)
    assert Answer.objects.filter(response=response).count() == 2

    response.delete()

    assert not Answer.objects.exists()
