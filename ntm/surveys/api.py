"""/api/v1/surveys: open surveys' questions, answering, aggregate results.

Public and without login, as the survey page is: the same verification and
services apply; no household's name or phone is ever returned.
"""

from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from pydantic import Field

from ntm.core.clients import client_address
from ntm.core.publiccache import shared_page

from . import queries
from .models import Survey
from .services import (
    MAX_TEXT_ANSWER,
    AnswerError,
    SurveyError,
    submit_response,
    verify_household,
)

router = Router(tags=["surveys"])


class ChoiceOut(Schema):
    value: str
    label: str


class QuestionOut(Schema):
    id: int
    kind: str
    text: str
    required: bool
    relevant_question: int | None = None
    relevant_value: str | None = None
    choices: list[ChoiceOut]


class SurveyOut(Schema):
    slug: str
    title: str
    description: str
    unit: str
    opens_at: str
    closes_at: str
    verification: str
    questions: list[QuestionOut]


# Bounds on the payload only; the service words the limits a person meets
# (an answer over MAX_TEXT_ANSWER gets its Vietnamese message from there).
Answer = Annotated[str, Field(max_length=4 * MAX_TEXT_ANSWER)]


class SubmissionIn(Schema):
    household_code: str = Field(max_length=64)
    verification: str = Field(max_length=64)
    answers: dict[int, Annotated[list[Answer], Field(max_length=100)]] = Field(
        max_length=500
    )


def _survey_out(survey):
    return {
        "slug": survey.slug,
        "title": survey.title,
        "description": survey.description,
        "unit": survey.unit.code,
        "opens_at": survey.opens_at.isoformat(),
        "closes_at": survey.closes_at.isoformat(),
        "verification": survey.verification,
        "questions": [
            {
                "id": q.pk,
                "kind": q.kind,
                "text": q.text,
                "required": q.required,
                "relevant_question": q.relevant_question_id,
                "relevant_value": q.relevant_choice.value
                if q.relevant_choice
                else None,
                "choices": [
                    {"value": c.value, "label": c.label} for c in q.choices.all()
                ],
            }
            for q in survey.questions.select_related(
                "relevant_choice"
            ).prefetch_related("choices")
        ],
    }


@router.get("/", response=list[SurveyOut])
@decorate_view(shared_page)
def list_open_surveys(request):
    return [_survey_out(s) for s in Survey.objects.open_now().select_related("unit")]


@router.get("/{slug}", response=SurveyOut)
@decorate_view(shared_page)
def get_survey(request, slug: str):
    survey = get_object_or_404(
        Survey.objects.open_now().select_related("unit"), slug=slug
    )
    return _survey_out(survey)


@router.post("/{slug}/responses", response={201: dict})
def submit(request, slug: str, payload: SubmissionIn):
    survey = get_object_or_404(
        Survey.objects.exclude(status=Survey.Status.DRAFT), slug=slug
    )
    try:
        household = verify_household(
            survey,
            code=payload.household_code,
            secret=payload.verification,
            address=client_address(request),
        )
        submit_response(survey, household=household, answers=payload.answers)
    except AnswerError as error:
        raise HttpError(
            422, f"{error} " + "; ".join(f"{k}: {v}" for k, v in error.errors.items())
        ) from error
    except SurveyError as error:
        raise HttpError(409, str(error)) from error
    return Status(
        201, {"detail": "Đã ghi nhận câu trả lời.", "household": household.code}
    )


@router.get("/{slug}/results")
@decorate_view(shared_page)
def results(request, slug: str):
    # A draft is not found, as on the other survey endpoints.
    survey = get_object_or_404(
        Survey.objects.exclude(status=Survey.Status.DRAFT), slug=slug
    )
    if not survey.results_are_public:
        raise HttpError(404, "Kết quả chưa được công khai.")
    summary = queries.summary(survey)
    return {
        "summary": {k: (str(v) if v is not None else None) for k, v in summary.items()},
        "content_areas": [
            {**row, "percent": str(row["percent"])}
            for row in queries.content_areas(survey)
        ],
        "units": [
            {k: (str(v) if v is not None else None) for k, v in row.items()}
            for row in queries.unit_breakdown(survey)
        ],
        "questions": [
            {
                "id": item["question"].pk,
                "text": item["question"].text,
                "answered": item["answered"],
                "choices": [
                    {
                        "value": r["choice"].value,
                        "label": r["choice"].label,
                        "count": r["count"],
                    }
                    for r in item["choices"]
                ],
                "mean": str(item["mean"]) if item.get("mean") is not None else None,
            }
            for item in queries.question_results(survey)
        ],
    }
