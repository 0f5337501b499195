import datetime

import pytest
from django.utils import timezone

from ntm.core.models import ActionLog
from ntm.households.models import Household
from ntm.households.services import archive_household
from ntm.surveys.models import Answer, Question, Response, Survey
from ntm.surveys.services import (
    ADDRESS_ATTEMPTS,
    CODES_PER_ADDRESS,
    CODES_PER_WINDOW,
    HOUSEHOLD_ATTEMPTS,
    MAX_TEXT_ANSWER,
    AnswerError,
    SurveyError,
    add_question,
    close_survey,
    create_survey,
    delete_question,
    move_question,
    open_survey,
    send_code,
    submit_response,
    update_question,
    verify_household,
)
from tests.factories import HouseholdFactory, UserFactory

from .conftest import add_questions, make_survey

pytestmark = pytest.mark.django_db


def answers_for(survey, *, overall="yes", rating="5", why=""):
    q = survey.q
    return {
        q["overall"].pk: [overall],
        q["rating"].pk: [rating],
        q["why"].pk: [why] if why else [],
    }


def test_create_survey_makes_a_draft_with_an_ascii_slug(units):
    user = UserFactory()
    now = timezone.now()

    survey = create_survey(
        by=user,
        title="Khảo sát Đại Lộc",
        unit=units["ha_nha"],
        opens_at=now,
        closes_at=now + datetime.timedelta(days=3),
    )

    assert survey.status == Survey.Status.DRAFT
    assert survey.slug.startswith("khao-sat-dai-loc-")
    assert list(
        ActionLog.objects.filter(action__startswith="surveys").values_list(
            "action", flat=True
        )
    ) == ["surveys.survey.created"]


def test_create_survey_refuses_closing_before_opening(units):
    now = timezone.now()

    with pytest.raises(SurveyError):
        create_survey(
            by=None, title="X", unit=units["ha_nha"], opens_at=now, closes_at=now
        )


def test_add_question_appends_choices_in_order(units):
    survey = make_survey(units["ha_nha"], status=Survey.Status.DRAFT)

    question = add_question(
        survey,
        by=None,
        kind=Question.Kind.SINGLE,
        text="Hài lòng?",
        choices=[("Hài lòng", True), ("Chưa hài lòng", False)],
        counts_for_satisfaction=True,
    )

    assert [(c.label, c.satisfied) for c in question.choices.all()] == [
        ("Hài lòng", True),
        ("Chưa hài lòng", False),
    ]


def test_add_question_refuses_open_survey(survey):
    with pytest.raises(SurveyError, match="nháp"):
        add_question(survey, by=None, kind=Question.Kind.TEXT, text="Thêm?")


def test_add_question_refuses_choice_question_with_one_choice(units):
    survey = make_survey(units["ha_nha"], status=Survey.Status.DRAFT)

    with pytest.raises(SurveyError):
        add_question(
            survey, by=None, kind=Question.Kind.SINGLE, text="?", choices=[("A", False)]
        )


def test_add_question_refuses_satisfaction_on_text(units):
    survey = make_survey(units["ha_nha"], status=Survey.Status.DRAFT)

    with pytest.raises(SurveyError):
        add_question(
            survey,
            by=None,
            kind=Question.Kind.TEXT,
            text="?",
            counts_for_satisfaction=True,
        )


def test_update_question_replaces_choices_keeping_matching_ones(units):
    survey = make_survey(units["ha_nha"], status=Survey.Status.DRAFT)
    question = add_question(
        survey,
        by=None,
        kind=Question.Kind.SINGLE,
        text="?",
        choices=[("A", 0), ("B", 0)],
    )
    first = question.choices.get(value="a")

    update_question(question, by=None, text="Mới?", choices=[("C", True), ("A", False)])

    assert [c.label for c in question.choices.all()] == ["C", "A"]
    assert question.choices.get(value="a").pk == first.pk


def test_move_question_refuses_moving_a_conditional_above_its_parent(units):
    survey = make_survey(units["ha_nha"], status=Survey.Status.DRAFT)
    q = add_questions(survey)

    move_question(q["why"], by=None, up=True)

    with pytest.raises(SurveyError):
        move_question(q["why"], by=None, up=True)

    assert list(survey.questions.values_list("pk", flat=True)) == [
        q["overall"].pk,
        q["why"].pk,
        q["rating"].pk,
    ]


def test_move_question_swaps_neighbours(units):
    survey = make_survey(units["ha_nha"], status=Survey.Status.DRAFT)
    q = add_questions(survey)

    move_question(q["rating"], by=None, up=True)

    assert list(survey.questions.values_list("pk", flat=True)) == [
        q["rating"].pk,
        q["overall"].pk,
        q["why"].pk,
    ]


def test_delete_question_clears_conditions_that_depended_on_it(units):
    survey = make_survey(units["ha_nha"], status=Survey.Status.DRAFT)
    q = add_questions(survey)

    delete_question(q["overall"], by=None)

    q["why"].refresh_from_db()
    assert q["why"].relevant_question is None


def test_open_survey_refuses_empty_survey(units):
    survey = make_survey(units["ha_nha"], status=Survey.Status.DRAFT)

    with pytest.raises(SurveyError):
        open_survey(survey, by=None)


def test_open_and_close_survey_change_status(units):
    survey = make_survey(units["ha_nha"], status=Survey.Status.DRAFT)
    add_questions(survey)

    open_survey(survey, by=None)
    close_survey(survey, by=None)

    assert survey.status == Survey.Status.CLOSED
    with pytest.raises(SurveyError):
        close_survey(survey, by=None)


@pytest.mark.django_db(transaction=True)
def test_opening_a_survey_twice_at_once_opens_it_once(at_once, units):
    survey = make_survey(units["ha_nha"], status=Survey.Status.DRAFT)
    add_questions(survey)

    outcomes = at_once(
        [lambda: open_survey(Survey.objects.get(pk=survey.pk), by=None)] * 10
    )

    assert sum(isinstance(outcome, SurveyError) for outcome in outcomes) == 9
    assert survey_actions(survey).count("surveys.survey.opened") == 1


@pytest.mark.django_db(transaction=True)
def test_opening_and_closing_at_once_log_each_change_made(at_once, units):
    survey = make_survey(units["ha_nha"])
    add_questions(survey)

    def close():
        return close_survey(Survey.objects.get(pk=survey.pk), by=None)

    def reopen():
        return open_survey(Survey.objects.get(pk=survey.pk), by=None)

    outcomes = at_once([close, reopen] * 5)

    applied = [o for o in outcomes if isinstance(o, Survey)]
    log = survey_actions(survey)
    # Each change starts from the state the last one left: they alternate.
    assert log == ["surveys.survey.closed", "surveys.survey.opened"] * (
        len(log) // 2
    ) + ["surveys.survey.closed"] * (len(log) % 2)
    assert len(log) == len(applied) >= 1
    survey.refresh_from_db()
    expected = Survey.Status.CLOSED if len(log) % 2 else Survey.Status.OPEN
    assert survey.status == expected


def survey_actions(survey):
    return list(
        ActionLog.objects.for_object(survey)
        .order_by("id")
        .values_list("action", flat=True)
    )


# -- verification --------------------------------------------------------------


def test_verify_household_accepts_last_four_phone_digits(survey, household):
    assert verify_household(
        survey, code="hn0001 ", secret="3456", address="1.2.3.4"
    ) == (household)


ONE_ANSWER = "Mã hộ hoặc thông tin xác minh không đúng"


def test_verify_household_gives_one_answer_for_unknown_code_and_wrong_digits(
    survey, household
):
    with pytest.raises(SurveyError) as unknown:
        verify_household(survey, code="XX9999", secret="3456", address="1.2.3.4")
    with pytest.raises(SurveyError) as wrong:
        verify_household(survey, code="HN0001", secret="0000", address="1.2.3.4")

    assert str(unknown.value) == str(wrong.value)
    assert str(wrong.value).startswith(ONE_ANSWER)


def test_verify_household_refuses_household_outside_scope(survey, villages):
    HouseholdFactory(code="VG0001", village=villages["vg1"], phone="0905111222")

    with pytest.raises(SurveyError, match=ONE_ANSWER):
        verify_household(survey, code="VG0001", secret="1222", address="1.2.3.4")


def test_verify_household_refuses_a_household_no_longer_followed(survey, household):
    archive_household(household, by=None, reason="Chuyển đi")

    with pytest.raises(SurveyError, match=ONE_ANSWER):
        verify_household(survey, code="HN0001", secret="3456", address="1.2.3.4")


def test_verify_household_stops_one_client_after_repeated_failures(survey, household):
    for _ in range(HOUSEHOLD_ATTEMPTS):
        with pytest.raises(SurveyError, match=ONE_ANSWER):
            verify_household(survey, code="HN0001", secret="0000", address="1.1.1.1")

    with pytest.raises(SurveyError, match="quá nhiều lần"):
        verify_household(survey, code="HN0001", secret="3456", address="1.1.1.1")


def test_one_clients_failures_lock_no_one_else_out(survey, household):
    for n in range(ADDRESS_ATTEMPTS + 4):
        with pytest.raises(SurveyError):
            verify_household(
                survey, code="HN0001", secret=f"{n:04d}", address="6.6.6.6"
            )

    assert verify_household(
        survey, code="HN0001", secret="3456", address="7.7.7.7"
    ) == (household)


def test_verify_household_limits_one_address_across_households(survey, household):
    for n in range(ADDRESS_ATTEMPTS):
        with pytest.raises(SurveyError):
            verify_household(
                survey, code=f"ZZ{n:04d}", secret="0000", address="5.5.5.5"
            )

    with pytest.raises(SurveyError, match="quá nhiều lần"):
        verify_household(survey, code="HN0001", secret="3456", address="5.5.5.5")


def test_verify_household_refuses_closed_survey(survey, household):
    survey.status = Survey.Status.CLOSED
    survey.save()

    with pytest.raises(SurveyError, match="đã đóng"):
        verify_household(survey, code="HN0001", secret="3456", address="1.2.3.4")


def test_verify_household_refuses_household_that_answered(survey, household):
    submit_response(survey, household=household, answers=answers_for(survey))

    with pytest.raises(SurveyError, match="đã trả lời"):
        verify_household(survey, code="HN0001", secret="3456", address="1.2.3.4")


def sent_code(post):
    """The one-time code in a gateway's received post."""
    return post["body"]["text"].rsplit(" ", 1)[-1]


def test_send_code_goes_out_through_the_shared_sms_notifier(
    survey, household, sms_gateway
):
    survey.verification = Survey.Verification.SMS_CODE
    survey.save()
    gateway = sms_gateway()

    send_code(survey, code="HN0001", address="1.2.3.4")

    [post] = gateway.received
    code = sent_code(post)
    assert post["body"] == {
        "channel": "sms",
        "to": ["0905 123 456"],
        "subject": "",
        "text": f"Ma xac nhan khao sat NTM: {code}",
    }
    assert post["headers"]["authorization"] == "Bearer sms-key"
    assert len(code) == 6 and code.isdigit()


def test_send_code_then_verify_with_it(survey, household, sms_gateway):
    survey.verification = Survey.Verification.SMS_CODE
    survey.save()
    gateway = sms_gateway()

    send_code(survey, code="HN0001", address="1.2.3.4")
    code = sent_code(gateway.received[-1])

    assert verify_household(survey, code="HN0001", secret=code, address="1.2.3.4") == (
        household
    )
    with pytest.raises(SurveyError):  # used once
        verify_household(survey, code="HN0001", secret=code, address="1.2.3.4")


@pytest.mark.parametrize("status", [500, 400])
def test_send_code_refuses_in_vietnamese_when_the_gateway_fails(
    survey, household, sms_gateway, status
):
    survey.verification = Survey.Verification.SMS_CODE
    survey.save()
    gateway = sms_gateway((status, {}))

    with pytest.raises(SurveyError, match="Không gửi được tin nhắn"):
        send_code(survey, code="HN0001", address="1.2.3.4")

    # The code that did not go out opens nothing.
    code = sent_code(gateway.received[-1])
    with pytest.raises(SurveyError):
        verify_household(survey, code="HN0001", secret=code, address="1.2.3.4")


def test_send_code_without_a_gateway_only_logs_the_code(survey, household, caplog):
    survey.verification = Survey.Verification.SMS_CODE
    survey.save()

    with caplog.at_level("INFO", logger="ntm.core.notify"):
        send_code(survey, code="HN0001", address="1.2.3.4")

    [record] = caplog.records
    code = record.getMessage().rsplit(" ", 1)[-1]
    assert (
        record.getMessage() == f"sms to 0905 123 456: Ma xac nhan khao sat NTM: {code}"
    )
    assert verify_household(survey, code="HN0001", secret=code, address="1.2.3.4") == (
        household
    )


def test_send_code_limits_codes_per_household(survey, household):
    survey.verification = Survey.Verification.SMS_CODE
    survey.save()
    for _ in range(CODES_PER_WINDOW):
        send_code(survey, code="HN0001", address="1.2.3.4")

    with pytest.raises(SurveyError, match="quá nhiều mã"):
        send_code(survey, code="HN0001", address="1.2.3.4")
    assert send_code(survey, code="HN0001", address="4.3.2.1") == household


def test_send_code_limits_one_client_across_households(survey, villages, sms_gateway):
    survey.verification = Survey.Verification.SMS_CODE
    survey.save()
    gateway = sms_gateway()
    for n in range(30):
        HouseholdFactory(code=f"HN{n:04d}", village=villages["hn1"], phone="0905000111")

    sent, refused = 0, 0
    for n in range(30):
        try:
            sent += send_code(survey, code=f"HN{n:04d}", address="8.8.8.8") is not None
        except SurveyError:
            refused += 1

    assert (sent, refused, len(gateway.received)) == (CODES_PER_ADDRESS, 27, 3)


def test_send_code_sends_nothing_and_says_nothing_for_an_unknown_code(
    survey, sms_gateway
):
    survey.verification = Survey.Verification.SMS_CODE
    survey.save()
    gateway = sms_gateway()

    assert send_code(survey, code="XX9999", address="1.2.3.4") is None
    assert gateway.received == []


# -- answering -------------------------------------------------------------------


def test_submit_response_records_answers_and_skips_irrelevant(survey, household):
    answers = answers_for(survey, why="không dùng")

    response = submit_response(survey, household=household, answers=answers)

    assert response.channel == Response.Channel.ONLINE
    assert sorted(Answer.objects.values_list("question__text", flat=True)) == [
        "Gia đình có hài lòng không?",
        "Giao thông",
    ]


def test_submit_response_requires_the_shown_conditional_question(survey, household):
    with pytest.raises(AnswerError) as error:
        submit_response(
            survey, household=household, answers=answers_for(survey, overall="no")
        )

    assert list(error.value.errors) == [survey.q["why"].pk]
    assert Response.objects.count() == 0


def test_submit_response_refuses_unknown_choice_and_bad_rating(survey, household):
    with pytest.raises(AnswerError) as error:
        submit_response(
            survey,
            household=household,
            answers=answers_for(survey, overall="x", rating="9"),
        )

    assert sorted(error.value.errors) == sorted(
        [survey.q["overall"].pk, survey.q["rating"].pk]
    )


def test_submit_response_stores_markup_as_typed(survey, household):
    script = "<script>alert('x')</script><b>đường</b>"

    submit_response(
        survey,
        household=household,
        answers=answers_for(survey, overall="no", why=script),
    )

    assert Answer.objects.get(question=survey.q["why"]).text == script


def test_submit_response_refuses_overlong_text(survey, household):
    with pytest.raises(AnswerError):
        submit_response(
            survey,
            household=household,
            answers=answers_for(survey, overall="no", why="a" * (MAX_TEXT_ANSWER + 1)),
        )

    assert Response.objects.count() == 0


def test_submit_response_refuses_closed_survey_online(survey, household):
    survey.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    survey.opens_at = survey.closes_at - datetime.timedelta(days=1)
    survey.save()

    with pytest.raises(SurveyError, match="đã đóng"):
        submit_response(survey, household=household, answers=answers_for(survey))


def test_submit_response_takes_paper_after_closing_and_marks_it(survey, household):
    clerk = UserFactory()
    survey.status = Survey.Status.CLOSED
    survey.save()

    response = submit_response(
        survey,
        household=household,
        answers=answers_for(survey),
        channel=Response.Channel.PAPER,
        by=clerk,
    )

    assert (response.channel, response.entered_by) == (Response.Channel.PAPER, clerk)


def test_submit_response_refuses_a_second_response(survey, household):
    submit_response(survey, household=household, answers=answers_for(survey))

    with pytest.raises(SurveyError, match="Hộ này đã trả lời khảo sát"):
        submit_response(survey, household=household, answers=answers_for(survey))

    assert Response.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_submit_response_fifty_concurrent_submissions_leave_one(
    at_once, units, villages
):
    survey = make_survey(units["ha_nha"])
    survey.q = add_questions(survey)
    household = HouseholdFactory(code="HN0050", village=villages["hn1"])

    def submit():
        submit_response(
            Survey.objects.get(pk=survey.pk),
            household=Household.objects.get(pk=household.pk),
            answers=answers_for(survey),
        )
        return "ok"

    outcomes = [str(outcome) for outcome in at_once([submit] * 50)]

    assert Response.objects.filter(survey=survey, household=household).count() == 1
    assert sorted(set(outcomes)) == ["Hộ này đã trả lời khảo sát.", "ok"]
    assert outcomes.count("ok") == 1
