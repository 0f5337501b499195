"""Paper survey answers in the offline register (households.sync).

The phone downloads, with its village's register, the open surveys whose
scope holds the village and the households that already answered; a paper
form typed offline is sent back as a change of kind "paper_response" and
goes through ``submit_response`` (the answers' rules, one response per
household, the audit log) as the paper form page does.
"""

from django.utils.translation import gettext as _

from ntm.households.models import Household
from ntm.households.sync import ChangeRefused, register_extra, register_kind
from ntm.units.scope import prefixes

from .models import Response, Survey
from .permissions import can_enter_paper_response
from .services import MAX_TEXT_ANSWER, AnswerError, SurveyError, submit_response

# A question holds a handful of values; a phone sending more is not a form.
MAX_VALUES = 50


def offline_surveys(village, *, user):
    """The open surveys a paper form of ``village`` can be entered for."""
    surveys = (
        Survey.objects.open_now()
        .filter(unit__path__in=prefixes(village.path))
        .select_related("unit")
        .prefetch_related("questions__choices", "questions__relevant_choice")
        .order_by("opens_at", "pk")
    )
    surveys = [s for s in surveys if can_enter_paper_response(user, s)]
    answered = {}
    for survey_id, code in Response.objects.filter(
        survey__in=surveys, household__village=village
    ).values_list("survey", "household__code"):
        answered.setdefault(survey_id, []).append(code)
    return [
        {
            "id": survey.pk,
            "title": survey.title,
            "closes_at": survey.closes_at.isoformat(),
            "answered": sorted(answered.get(survey.pk, [])),
            "questions": [
                {
                    "id": question.pk,
                    "kind": question.kind,
                    "text": question.text,
                    "required": question.required,
                    "relevant_question": question.relevant_question_id,
                    "relevant_choice": (
                        question.relevant_choice.value
                        if question.relevant_choice
                        else None
                    ),
                    "choices": [
                        {"value": choice.value, "label": choice.label}
                        for choice in question.choices.all()
                    ],
                }
                for question in survey.questions.all()
            ],
        }
        for survey in surveys
    ]


def apply_paper_response(change, *, by):
    """Record a paper form typed offline: {survey, code, answers}.

    ``answers`` maps question ids to lists of values, as the paper form page
    posts them. Refused, with nothing written, for a survey or household out
    of the user's reach, a household that already answered, and answers the
    survey's rules refuse (per question).
    """
    survey_id, code = change.get("survey"), change.get("code")
    answers = change.get("answers")
    if not isinstance(answers, dict):
        raise ChangeRefused(_("Phiếu không có câu trả lời."), status="invalid")
    survey = (
        Survey.objects.visible_to(by)
        .select_related("unit")
        .filter(pk=survey_id if isinstance(survey_id, int) else None)
        .first()
    )
    if survey is None:
        raise ChangeRefused(_("Không tìm thấy khảo sát này."))
    household = (
        Household.objects.in_unit(survey.unit)
        .select_related("village")
        .filter(code=code if isinstance(code, str) else None)
        .first()
    )
    if household is None:
        raise ChangeRefused(_("Không tìm thấy mã hộ này trong phạm vi khảo sát."))
    if not can_enter_paper_response(by, survey, household):
        raise ChangeRefused(_("Bạn không có quyền nhập phiếu của hộ này."))
    try:
        submit_response(
            survey,
            household=household,
            answers=_raw(answers),
            channel=Response.Channel.PAPER,
            by=by,
        )
    except AnswerError as error:
        errors = {str(pk): [str(message)] for pk, message in error.errors.items()}
        raise ChangeRefused(str(error), status="invalid", errors=errors) from error
    except SurveyError as error:
        raise ChangeRefused(str(error)) from error
    target = {"survey": survey.pk, "code": household.code}
    return "applied", target, [], [], target


def replay_paper_response(entry, *, by):
    return dict(entry.target)


def _raw(answers):
    """{question id: [values]} from the phone's JSON, each value capped."""
    raw = {}
    for key, values in answers.items():
        try:
            pk = int(key)
        except ValueError:
            continue
        values = values if isinstance(values, list) else [values]
        raw[pk] = [str(value)[: MAX_TEXT_ANSWER + 1] for value in values][:MAX_VALUES]
    return raw


register_kind(
    "paper_response", apply=apply_paper_response, replay=replay_paper_response
)
register_extra("surveys", offline_surveys)
