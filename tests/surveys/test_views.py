import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ntm.accounts.models import Role
from ntm.surveys.models import Answer, Choice, Question, Response, Survey
from ntm.surveys.services import submit_response
from tests.factories import HouseholdFactory, make_member

from .conftest import make_survey

pytestmark = pytest.mark.django_db


def verify(client, survey, code="HN0001", secret="3456"):
    return client.post(
        reverse("surveys:public-start", args=[survey.slug]),
        {"code": code, "secret": secret},
    )


def answer_post(survey, overall="yes", why=""):
    q = survey.q
    data = {f"q{q['overall'].pk}": overall, f"q{q['rating'].pk}": "4"}
    if why:
        data[f"q{q['why'].pk}"] = why
    return data


def test_public_start_shows_survey_without_personal_data(client, survey, household):
    response = client.get(reverse("surveys:public-start", args=[survey.slug]))

    assert response.status_code == 200
    assert survey.title in response.content.decode()
    assert household.head_name not in response.content.decode()


def test_public_start_hides_drafts(client, units):
    draft = make_survey(units["ha_nha"], status=Survey.Status.DRAFT)

    response = client.get(reverse("surveys:public-start", args=[draft.slug]))

    assert response.status_code == 404


def test_public_flow_answers_and_thanks(client, survey, household):
    response = verify(client, survey)
    assert response.status_code == 302

    page = client.get(reverse("surveys:public-answer", args=[survey.slug]))
    content = page.content.decode()
    assert "Hộ số HN0001" in content
    assert household.head_name not in content
    assert household.phone not in content

    done = client.post(
        reverse("surveys:public-answer", args=[survey.slug]), answer_post(survey)
    )

    assert done.status_code == 302
    assert done.url == reverse("surveys:public-thanks", args=[survey.slug])
    assert Response.objects.get().channel == Response.Channel.ONLINE


def test_public_answer_without_verification_goes_back_to_start(client, survey):
    response = client.get(reverse("surveys:public-answer", args=[survey.slug]))

    assert response.status_code == 302
    assert response.url == reverse("surveys:public-start", args=[survey.slug])


@pytest.mark.parametrize(
    ("code", "secret", "message"),
    [
        ("NOPE01", "3456", "Mã hộ hoặc thông tin xác minh không đúng"),
        ("HN0001", "9999", "Mã hộ hoặc thông tin xác minh không đúng"),
    ],
)
def test_public_start_explains_wrong_input(
    client, survey, household, code, secret, message
):
    response = verify(client, survey, code, secret)

    assert response.status_code == 200
    assert message in response.content.decode()


def test_public_start_says_already_answered(client, survey, household):
    submit_response(
        survey,
        household=household,
        answers={survey.q["overall"].pk: ["yes"], survey.q["rating"].pk: ["5"]},
    )

    response = verify(client, survey)

    assert "Hộ này đã trả lời khảo sát" in response.content.decode()


def test_public_start_says_closed(client, survey, household):
    survey.status = Survey.Status.CLOSED
    survey.save()

    response = verify(client, survey)

    assert "đã đóng" in response.content.decode()


def test_public_send_code_texts_the_household_through_the_gateway(
    client, survey, household, sms_gateway
):
    survey.verification = Survey.Verification.SMS_CODE
    survey.save()
    gateway = sms_gateway()

    response = client.post(
        reverse("surveys:public-send-code", args=[survey.slug]),
        {"code": "HN0001"},
        follow=True,
    )

    [post] = gateway.received
    assert post["body"]["to"] == ["0905 123 456"]
    assert post["body"]["text"].startswith("Ma xac nhan khao sat NTM: ")
    assert "mã xác nhận đã được gửi" in response.content.decode()


def test_public_send_code_says_in_vietnamese_when_the_gateway_fails(
    client, survey, household, sms_gateway
):
    survey.verification = Survey.Verification.SMS_CODE
    survey.save()
    gateway = sms_gateway((503, {}))

    response = client.post(
        reverse("surveys:public-send-code", args=[survey.slug]),
        {"code": "HN0001"},
        follow=True,
    )

    assert len(gateway.received) == 1
    content = response.content.decode()
    assert "Không gửi được tin nhắn, vui lòng thử lại sau." in content
    assert "mã xác nhận đã được gửi" not in content


def test_public_answer_escapes_markup_on_results(
    client, survey, household, commune_officer
):
    verify(client, survey)
    script = "<script>alert(1)</script>"
    client.post(
        reverse("surveys:public-answer", args=[survey.slug]),
        answer_post(survey, overall="no", why=script),
    )
    assert Answer.objects.get(question=survey.q["why"]).text == script
    client.force_login(commune_officer)

    page = client.get(reverse("surveys:paper-add", args=[survey.pk]))

    assert script not in page.content.decode()


def test_public_answer_marks_follow_up_skipped_until_its_answer_is_chosen(
    client, survey, household
):
    verify(client, survey)
    url = reverse("surveys:public-answer", args=[survey.slug])
    why = f'data-question="{survey.q["why"].pk}"'

    blank = client.get(url).content.decode()
    # Unanswered required questions send the form back with "no" still chosen.
    redisplayed = client.post(url, {f"q{survey.q['overall'].pk}": "no"})

    assert blank.count("data-skipped") == 1
    assert why + " data-relevant" in blank
    assert blank.split(why)[1].split(">")[0].endswith("data-skipped")
    assert "data-skipped" not in redisplayed.content.decode()
    assert Response.objects.count() == 0


def test_public_answer_redisplays_escaped_on_error(client, survey, household):
    verify(client, survey)

    page = client.post(
        reverse("surveys:public-answer", args=[survey.slug]),
        {
            f"q{survey.q['overall'].pk}": "no",
            f"q{survey.q['why'].pk}": "<img src=x onerror=alert(1)>" + "a" * 2100,
        },
    )

    content = page.content.decode()
    assert "<img src=x" not in content
    assert "&lt;img src=x" in content
    assert Response.objects.count() == 0


def test_public_answer_refuses_oversized_body(client, survey, household):
    verify(client, survey)

    response = client.post(
        reverse("surveys:public-answer", args=[survey.slug]),
        {f"q{survey.q['why'].pk}": "a" * 70_000},
    )

    assert response.status_code == 413
    assert "quá lớn" in response.content.decode()
    assert Response.objects.count() == 0


def test_public_results_hidden_until_closed_or_published(client, survey):
    url = reverse("surveys:public-results", args=[survey.slug])

    assert client.get(url).status_code == 404
    survey.publish_results = True
    survey.save()
    assert client.get(url).status_code == 200


def test_survey_list_shows_visible_surveys(client, survey, commune_officer):
    client.force_login(commune_officer)

    response = client.get(reverse("surveys:survey-list"))

    assert list(response.context["surveys"]) == [survey]


def test_survey_list_shows_citizens_open_surveys_and_public_results_only(client, units):
    now = timezone.now()
    open_one = make_survey(units["ha_nha"], title="Đang mở")
    make_survey(units["ha_nha"], title="Bản nháp", status=Survey.Status.DRAFT)
    make_survey(
        units["ha_nha"],
        title="Chưa tới ngày",
        opens_at=now + datetime.timedelta(days=2),
        closes_at=now + datetime.timedelta(days=9),
    )
    closed = make_survey(
        units["vu_gia"],
        title="Đã đóng",
        status=Survey.Status.CLOSED,
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now - datetime.timedelta(days=20),
    )

    response = client.get(reverse("surveys:survey-list"))

    content = response.content.decode()
    assert response.status_code == 200
    assert [(s.title, s.taking_answers) for s in response.context["public"]] == [
        ("Đang mở", True),
        ("Đã đóng", False),
    ]
    assert reverse("surveys:public-start", args=[open_one.slug]) in content
    assert reverse("surveys:public-results", args=[closed.slug]) in content
    assert "Bản nháp" not in content and "Chưa tới ngày" not in content
    assert "Tạo khảo sát" not in content and not response.context["is_staff"]


def test_survey_list_query_count_does_not_grow(
    client, units, commune_officer, django_assert_max_num_queries
):
    for _ in range(5):
        make_survey(units["ha_nha"])
    client.force_login(commune_officer)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("surveys:survey-list"))

    assert len(response.context["surveys"]) == 5


def test_survey_create_by_commune_officer(client, units, commune_officer):
    client.force_login(commune_officer)

    response = client.post(
        reverse("surveys:survey-create"),
        {
            "title": "Khảo sát 2025",
            "unit": units["ha_nha"].pk,
            "verification": "phone4",
            "opens_on": "2025-11-01",
            "closes_on": "2025-11-30",
        },
    )

    survey = Survey.objects.get()
    assert response.status_code == 302
    assert survey.created_by == commune_officer
    assert survey.status == Survey.Status.DRAFT


def test_survey_create_refused_to_village_head(client, units, village_head):
    client.force_login(village_head)

    response = client.post(
        reverse("surveys:survey-create"),
        {
            "title": "X",
            "unit": units["ha_nha"].pk,
            "verification": "phone4",
            "opens_on": "2025-11-01",
            "closes_on": "2025-11-30",
        },
    )

    assert response.status_code == 403
    assert Survey.objects.count() == 0


def test_question_add_with_choices_and_condition(client, units, commune_officer):
    draft = make_survey(units["ha_nha"], status=Survey.Status.DRAFT)
    client.force_login(commune_officer)
    client.post(
        reverse("surveys:question-add", args=[draft.pk]),
        {
            "kind": "single",
            "text": "Hài lòng?",
            "required": "on",
            "counts_for_satisfaction": "on",
            "choice_lines": "*Hài lòng\nChưa hài lòng",
        },
    )
    parent = Question.objects.get()
    no = parent.choices.get(label="Chưa hài lòng")

    response = client.post(
        reverse("surveys:question-add", args=[draft.pk]),
        {"kind": "text", "text": "Vì sao?", "condition": f"{parent.pk}:{no.pk}"},
    )

    assert response.status_code == 302
    why = Question.objects.get(text="Vì sao?")
    assert (why.relevant_question, why.relevant_choice) == (parent, no)
    assert list(parent.choices.values_list("satisfied", flat=True)) == [True, False]


def test_question_add_refused_to_other_commune(client, units, villages):
    draft = make_survey(units["ha_nha"], status=Survey.Status.DRAFT)
    outsider = make_member(units["vu_gia"], Role.COMMUNE_OFFICER)
    client.force_login(outsider)

    response = client.post(
        reverse("surveys:question-add", args=[draft.pk]),
        {"kind": "text", "text": "?"},
    )

    assert response.status_code == 403
    assert Question.objects.count() == 0


def test_survey_open_and_close(client, survey, commune_officer):
    client.force_login(commune_officer)

    client.post(reverse("surveys:survey-close", args=[survey.pk]))

    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED


def test_survey_close_refused_to_outsider(client, survey, units):
    client.force_login(make_member(units["vu_gia"], Role.COMMUNE_OFFICER))

    response = client.post(reverse("surveys:survey-close", args=[survey.pk]))

    survey.refresh_from_db()
    assert response.status_code == 403
    assert survey.status == Survey.Status.OPEN


def test_survey_import_page_imports(client, units, commune_officer):
    from pathlib import Path

    draft = make_survey(units["ha_nha"], status=Survey.Status.DRAFT)
    client.force_login(commune_officer)
    data = (Path(__file__).parent / "data" / "multi_lingual_form.xlsx").open("rb")

    response = client.post(
        reverse("surveys:survey-import", args=[draft.pk]), {"file": data}
    )

    assert response.status_code == 200
    assert response.context["report"].imported == draft.questions.count() > 0


def test_paper_add_by_village_head_marks_paper(client, survey, household, village_head):
    client.force_login(village_head)

    response = client.post(
        reverse("surveys:paper-add", args=[survey.pk]),
        {"code": "HN0001", **answer_post(survey)},
    )

    saved = Response.objects.get()
    assert response.status_code == 302
    assert (saved.channel, saved.entered_by) == (Response.Channel.PAPER, village_head)


def test_paper_add_refused_for_household_of_another_village(client, survey, villages):
    HouseholdFactory(code="HN0002", village=villages["hn2"])
    head = make_member(villages["hn1"], Role.VILLAGE_HEAD)
    client.force_login(head)

    response = client.post(
        reverse("surveys:paper-add", args=[survey.pk]),
        {"code": "HN0002", **answer_post(survey)},
    )

    assert response.status_code == 403
    assert Response.objects.count() == 0


def test_survey_results_for_staff(client, survey, household, commune_officer):
    submit_response(
        survey,
        household=household,
        answers={survey.q["overall"].pk: ["yes"], survey.q["rating"].pk: ["5"]},
    )
    client.force_login(commune_officer)

    response = client.get(reverse("surveys:survey-results", args=[survey.pk]))

    assert response.context["summary"]["satisfaction"] == 100
    assert response.context["summary"]["responses"] == 1


def test_survey_results_refused_to_outsider(client, survey, units):
    client.force_login(make_member(units["vu_gia"], Role.COMMUNE_OFFICER))

    response = client.get(reverse("surveys:survey-results", args=[survey.pk]))

    assert response.status_code == 403


def answer_why(survey, household, text):
    return submit_response(
        survey,
        household=household,
        answers={
            survey.q["overall"].pk: ["no"],
            survey.q["rating"].pk: ["2"],
            survey.q["why"].pk: [text],
        },
    )


def test_survey_results_draw_bars_and_link_the_citizens_words(
    client, survey, household, commune_officer
):
    answer_why(survey, household, "Đường liên thôn chưa có đèn.")
    client.force_login(commune_officer)

    page = client.get(reverse("surveys:survey-results", args=[survey.pk]))

    html = page.content.decode()
    answers = reverse("surveys:survey-answers", args=[survey.pk])
    assert f'href="{answers}?cau={survey.q["why"].pk}"' in html
    assert "Đọc 1 ý kiến của người dân" in html
    # 1 of 1 household chose "Chưa": a full bar, drawn as an SVG rect.
    assert '<rect class="share-bar-fill" width="100.00" height="10"/>' in html
    assert "style=" not in html
    assert "Đường liên thôn chưa có đèn." not in html


def test_public_results_show_bars_but_not_the_citizens_words(client, survey, household):
    answer_why(survey, household, "Đường liên thôn chưa có đèn.")
    survey.publish_results = True
    survey.save()

    html = client.get(
        reverse("surveys:public-results", args=[survey.slug])
    ).content.decode()

    assert "share-bar-fill" in html
    assert "Đường liên thôn chưa có đèn." not in html
    assert reverse("surveys:survey-answers", args=[survey.pk]) not in html


def test_survey_answers_lists_free_text_without_the_household(
    client, survey, household, commune_officer
):
    answer_why(survey, household, "Đường liên thôn <b>chưa</b> có đèn.")
    client.force_login(commune_officer)

    response = client.get(reverse("surveys:survey-answers", args=[survey.pk]))

    html = response.content.decode()
    assert [a.text for a in response.context["page"]] == [
        "Đường liên thôn <b>chưa</b> có đèn."
    ]
    assert "Đường liên thôn &lt;b&gt;chưa&lt;/b&gt; có đèn." in html
    assert household.village.name in html
    for personal in (household.code, household.head_name, household.phone):
        assert personal not in html


def test_survey_answers_are_paginated(client, survey, villages, commune_officer):
    for n in range(51):
        household = HouseholdFactory(village=villages["hn1"], code=f"HN9{n:03d}")
        answer_why(survey, household, f"Ý kiến số {n}")
    client.force_login(commune_officer)

    first = client.get(reverse("surveys:survey-answers", args=[survey.pk]))
    second = client.get(
        reverse("surveys:survey-answers", args=[survey.pk]), {"page": 2}
    )

    assert first.context["page"].paginator.count == 51
    assert len(first.context["page"]) == 50
    assert len(second.context["page"]) == 1


def test_survey_answers_of_a_village_head_are_his_villages_only(
    client, survey, villages, household
):
    answer_why(survey, household, "Ý kiến thôn 1")
    other = HouseholdFactory(village=villages["hn2"], code="HN0002")
    answer_why(survey, other, "Ý kiến thôn 2")
    client.force_login(make_member(villages["hn2"], Role.VILLAGE_HEAD))

    response = client.get(reverse("surveys:survey-answers", args=[survey.pk]))

    assert [a.text for a in response.context["page"]] == ["Ý kiến thôn 2"]


def test_survey_answers_refused_to_outsider(client, survey, units):
    client.force_login(make_member(units["vu_gia"], Role.COMMUNE_OFFICER))

    response = client.get(reverse("surveys:survey-answers", args=[survey.pk]))

    assert response.status_code == 403


def test_survey_answers_query_count_does_not_grow(
    client, survey, villages, commune_officer
):
    url = reverse("surveys:survey-answers", args=[survey.pk])
    client.force_login(commune_officer)
    for n in range(4):
        household = HouseholdFactory(village=villages["hn1"], code=f"HN8{n:03d}")
        answer_why(survey, household, f"Ý kiến {n}")
        if n == 0:
            client.get(url)
            with CaptureQueriesContext(connection) as one:
                client.get(url)

    with CaptureQueriesContext(connection) as four:
        response = client.get(url)

    assert len(response.context["page"]) == 4
    assert len(four) == len(one)


def test_public_start_cached_page_carries_each_visitors_token(
    survey, django_assert_num_queries
):

    first, second = Client(), Client()
    url = reverse("surveys:public-start", args=[survey.slug])
    first.get(url)

    with django_assert_num_queries(0):
        page = second.get(url)

    token = second.cookies["csrftoken"].value
    assert page.status_code == 200
    assert "\x00csrf\x00" not in page.content.decode()
    assert token != first.cookies["csrftoken"].value


def test_survey_close_refreshes_the_public_page(client, survey, commune_officer):
    url = reverse("surveys:public-start", args=[survey.slug])
    client.get(url)
    client.force_login(commune_officer)
    client.post(reverse("surveys:survey-close", args=[survey.pk]))
    client.logout()

    page = client.get(url)

    assert "Khảo sát đã đóng hoặc chưa mở" in page.content.decode()


def test_public_answer_is_kept_when_question_ids_pass_a_thousand(
    client, units, household
):
    """Field names carry the id as digits: "q1234", not "q1.234"."""
    survey = make_survey(units["ha_nha"])
    question = Question.objects.create(
        pk=1234,
        survey=survey,
        order=1,
        kind=Question.Kind.SINGLE,
        text="Gia đình có hài lòng không?",
        counts_for_satisfaction=True,
    )
    Choice.objects.create(
        pk=2345,
        question=question,
        order=1,
        label="Hài lòng",
        value="yes",
        satisfied=True,
    )
    verify(client, survey)

    page = client.get(reverse("surveys:public-answer", args=[survey.slug]))
    done = client.post(
        reverse("surveys:public-answer", args=[survey.slug]), {"q1234": "yes"}
    )

    assert 'name="q1234"' in page.content.decode()
    assert done.status_code == 302
    assert Answer.objects.get(question=question).choice.value == "yes"
