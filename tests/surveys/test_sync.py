import uuid

import pytest

from ntm.accounts.models import Role
from ntm.core.models import ActionLog
from ntm.households.models import SyncedChange
from ntm.households.sync import apply_changes, offline_register
from ntm.surveys.models import Answer, Response, Survey
from tests.factories import HouseholdFactory, make_member

from .conftest import add_questions, make_survey

pytestmark = pytest.mark.django_db


def _paper(survey, code, **answers):
    return {
        "id": str(uuid.uuid4()),
        "kind": "paper_response",
        "survey": survey.pk,
        "code": code,
        "answers": {str(k): v for k, v in answers.items()},
    }


def test_the_register_carries_open_surveys_of_the_village_and_who_answered(
    units, villages, village_head, survey, household
):
    make_survey(units["vu_gia"])  # another commune's
    make_survey(units["ha_nha"], status=Survey.Status.DRAFT)
    Response.objects.create(survey=survey, household=household)

    [offline] = offline_register(villages["hn1"], by=village_head)["surveys"]

    assert offline["id"] == survey.pk
    assert offline["answered"] == ["HN0001"]
    assert [q["kind"] for q in offline["questions"]] == ["single", "rating", "text"]
    why = offline["questions"][2]
    assert (why["relevant_question"], why["relevant_choice"]) == (
        survey.q["overall"].pk,
        "no",
    )
    assert offline["questions"][0]["choices"] == [
        {"value": "yes", "label": "Hài lòng"},
        {"value": "no", "label": "Chưa"},
    ]


def test_a_paper_form_typed_offline_is_recorded_once(
    villages, village_head, survey, household
):
    q = survey.q
    change = _paper(survey, "HN0001", **{str(q["overall"].pk): ["yes"]})
    change["answers"][str(q["rating"].pk)] = ["4"]

    first = apply_changes([change], by=village_head)
    again = apply_changes([change], by=village_head)

    response = Response.objects.get()
    assert [r["status"] for r in first + again] == ["applied", "applied"]
    assert again[0]["duplicate"] is True
    assert (response.household, response.channel) == (household, "paper")
    assert response.entered_by == village_head
    assert Answer.objects.filter(response=response).count() == 2
    assert ActionLog.objects.filter(action="surveys.response.submitted").count() == 1
    assert SyncedChange.objects.get().target == {
        "survey": survey.pk,
        "code": "HN0001",
    }


def test_paper_answers_the_survey_refuses_are_reported_per_question(
    villages, village_head, survey, household
):
    q = survey.q
    change = _paper(survey, "HN0001", **{str(q["overall"].pk): ["no"]})
    change["answers"][str(q["rating"].pk)] = ["9"]

    [result] = apply_changes([change], by=village_head)

    assert result["status"] == "invalid"
    assert sorted(result["errors"]) == sorted([str(q["rating"].pk), str(q["why"].pk)])
    assert Response.objects.count() == 0


def test_a_household_that_already_answered_is_refused(
    villages, village_head, survey, household
):
    Response.objects.create(survey=survey, household=household)
    change = _paper(survey, "HN0001", **{str(survey.q["overall"].pk): ["yes"]})
    change["answers"][str(survey.q["rating"].pk)] = ["5"]

    [result] = apply_changes([change], by=village_head)

    assert result["status"] == "refused"
    assert Response.objects.count() == 1
    assert SyncedChange.objects.count() == 0


def test_paper_forms_of_another_village_are_refused(villages, survey):
    HouseholdFactory(code="HN0201", village=villages["hn2"])
    head = make_member(villages["hn1"], Role.VILLAGE_HEAD)
    answers = {str(survey.q["overall"].pk): ["yes"], str(survey.q["rating"].pk): ["5"]}
    other_village = {**_paper(survey, "HN0201"), "answers": answers}
    unknown_survey = {**_paper(survey, "HN0201"), "survey": 999_999}

    results = apply_changes([other_village, unknown_survey], by=head)

    assert [r["status"] for r in results] == ["refused", "refused"]
    assert Response.objects.count() == 0


def test_a_draft_survey_takes_no_paper_form(units, villages, village_head, household):
    draft = make_survey(units["ha_nha"], status=Survey.Status.DRAFT)
    questions = add_questions(draft)
    change = _paper(draft, "HN0001", **{str(questions["overall"].pk): ["yes"]})

    [result] = apply_changes([change], by=village_head)

    assert result["status"] == "refused"
    assert Response.objects.count() == 0
