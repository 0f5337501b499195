"""A citizen answers the satisfaction survey on a phone."""

import datetime

import pytest
from django.utils import timezone

from ntm.surveys.models import Choice, Question, Response, Survey
from tests.factories import HouseholdFactory, make_village

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def open_survey(units):
    village = make_village(units["ha_nha"], 1)
    HouseholdFactory(code="HN0777", village=village, phone="0905 000 777")
    now = timezone.now()
    survey = Survey.objects.create(
        title="Ý kiến về xây dựng NTM 2025",
        slug="y-kien-ntm-2025",
        unit=units["ha_nha"],
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=5),
        status=Survey.Status.OPEN,
    )
    overall = Question.objects.create(
        survey=survey,
        order=1,
        kind=Question.Kind.SINGLE,
        text="Gia đình có hài lòng không?",
        counts_for_satisfaction=True,
    )
    Choice.objects.create(
        question=overall, order=1, label="Hài lòng", value="yes", satisfied=True
    )
    no = Choice.objects.create(
        question=overall, order=2, label="Chưa hài lòng", value="no"
    )
    Question.objects.create(
        survey=survey,
        order=2,
        kind=Question.Kind.TEXT,
        text="Vì sao chưa hài lòng?",
        relevant_question=overall,
        relevant_choice=no,
    )
    return survey


def sign_in(phone, live_server, survey):
    phone.goto(f"{live_server.url}/khao-sat/{survey.slug}/")
    phone.get_by_label("Mã hộ gia đình").fill("HN0777")
    phone.get_by_label("Xác minh").fill("0777")
    phone.get_by_role("button", name="Tiếp tục").click()


def test_citizen_answers_on_a_phone_then_cannot_answer_again(
    phone, live_server, open_survey
):
    # A citizen finds the survey from the home page, as a link shared by the
    # village would not always be at hand.
    phone.goto(live_server.url)
    phone.get_by_role("link", name=open_survey.title).click()
    phone.get_by_label("Mã hộ gia đình").fill("HN0777")
    phone.get_by_label("Xác minh").fill("0777")
    phone.get_by_role("button", name="Tiếp tục").click()
    phone.get_by_text("Hộ số HN0777").wait_for()
    why = phone.get_by_text("Vì sao chưa hài lòng?")
    assert not why.is_visible()  # skip logic in the browser
    phone.get_by_label("Chưa hài lòng").check()
    phone.locator("textarea").fill("Đường vào thôn còn lầy lội")
    phone.get_by_role("button", name="Gửi câu trả lời").click()

    phone.get_by_text("Cảm ơn hộ gia đình đã trả lời!").wait_for()
    assert Response.objects.get().answers.count() == 2

    sign_in(phone, live_server, open_survey)
    phone.get_by_text("Hộ này đã trả lời khảo sát").wait_for()
    assert Response.objects.count() == 1
