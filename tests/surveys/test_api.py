import pytest

from ntm.surveys.models import Response, Survey
from tests.responses import text_of

from .conftest import make_survey

pytestmark = pytest.mark.django_db


def test_api_lists_open_surveys_without_personal_data(client, survey, household):
    response = client.get("/api/v1/surveys/")

    body = response.json()
    assert [s["slug"] for s in body] == [survey.slug]
    assert [q["kind"] for q in body[0]["questions"]] == ["single", "rating", "text"]
    assert household.head_name not in text_of(response)


def test_api_submits_with_verification(client, survey, household):
    q = survey.q
    payload = {
        "household_code": "HN0001",
        "verification": "3456",
        "answers": {str(q["overall"].pk): ["yes"], str(q["rating"].pk): ["4"]},
    }

    first = client.post(
        f"/api/v1/surveys/{survey.slug}/responses",
        payload,
        content_type="application/json",
    )
    second = client.post(
        f"/api/v1/surveys/{survey.slug}/responses",
        payload,
        content_type="application/json",
    )

    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["detail"] == "Hộ này đã trả lời khảo sát."
    assert Response.objects.count() == 1


def test_api_refuses_wrong_verification(client, survey, household):
    payload = {"household_code": "HN0001", "verification": "0000", "answers": {}}

    response = client.post(
        f"/api/v1/surveys/{survey.slug}/responses",
        payload,
        content_type="application/json",
    )

    assert response.status_code == 409
    assert Response.objects.count() == 0


def post_answers(client, survey, answers):
    payload = {"household_code": "HN0001", "verification": "3456", "answers": answers}
    return client.post(
        f"/api/v1/surveys/{survey.slug}/responses",
        payload,
        content_type="application/json",
    )


def test_api_refuses_an_oversized_payload_before_the_service(client, survey, household):
    response = post_answers(client, survey, {str(survey.q["why"].pk): ["x" * 8001]})

    assert response.status_code == 422
    assert Response.objects.count() == 0


def test_api_refuses_a_long_answer_in_vietnamese(client, survey, household):
    q = survey.q
    answers = {
        str(q["overall"].pk): ["no"],
        str(q["rating"].pk): ["4"],
        str(q["why"].pk): ["x" * 2001],
    }

    response = post_answers(client, survey, answers)

    assert response.status_code == 422
    assert "Câu trả lời quá dài (tối đa 2000 ký tự)." in response.json()["detail"]
    assert Response.objects.count() == 0


def test_api_results_only_when_public(client, survey):
    assert client.get(f"/api/v1/surveys/{survey.slug}/results").status_code == 404
    survey.publish_results = True
    survey.save()

    response = client.get(f"/api/v1/surveys/{survey.slug}/results")

    assert response.status_code == 200
    assert response.json()["summary"]["responses"] == "0"


def test_api_results_of_a_draft_answer_as_an_unknown_survey(client, units):
    draft = make_survey(units["ha_nha"], status=Survey.Status.DRAFT)
    draft.publish_results = True
    draft.save()

    answers = [
        client.get(f"/api/v1/surveys/{slug}/results") for slug in (draft.slug, "khong")
    ]

    assert [r.status_code for r in answers] == [404, 404]
    assert answers[0].json() == answers[1].json()
