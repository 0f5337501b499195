"""Demo satisfaction surveys (synthetic, labelled demo).

One closed survey per commune of today (the communes formed on 1 July 2025),
answered in November-December 2025 by about 40-60 % of its households, a
fifth of them on paper. Called by ``ntm.demo`` with its seeded
``random.Random``; answers are made in bulk, the audit in one row per survey.
"""

import datetime

from django.utils import timezone

from ntm.core.audit import log_actions
from ntm.households.models import Household
from ntm.units.models import Unit

from .models import Answer, Choice, Question, Response, Survey

AREAS = [
    "Quy hoạch",
    "Giao thông",
    "Điện, nước",
    "Y tế",
    "Văn hóa, thể thao",
    "Giáo dục",
    "Sản xuất, thu nhập",
    "Môi trường",
    "An ninh trật tự",
    "Chuyển đổi số, dịch vụ công",
]
PROPOSAL = "Đề nghị sửa đường liên thôn và thu gom rác thường xuyên hơn."
OPENS = datetime.datetime(2025, 11, 1, tzinfo=datetime.UTC)
CLOSES = datetime.datetime(2025, 12, 16, tzinfo=datetime.UTC)


def _questions(survey):
    questions = []
    overall = Question.objects.create(
        survey=survey,
        order=1,
        kind=Question.Kind.SINGLE,
        text="Nhìn chung, gia đình có hài lòng với kết quả xây dựng nông thôn mới "
        "của xã không?",
        counts_for_satisfaction=True,
        content_area="Chung",
    )
    yes = Choice.objects.create(
        question=overall, order=1, label="Hài lòng", value="hai_long", satisfied=True
    )
    no = Choice.objects.create(
        question=overall, order=2, label="Chưa hài lòng", value="chua_hai_long"
    )
    questions.append((overall, [yes, no]))
    for order, area in enumerate(AREAS, start=2):
        question = Question.objects.create(
            survey=survey,
            order=order,
            kind=Question.Kind.RATING,
            text=f"Mức độ hài lòng về {area.lower()}",
            counts_for_satisfaction=True,
            content_area=area,
            required=False,
        )
        questions.append((question, None))
    proposal = Question.objects.create(
        survey=survey,
        order=len(AREAS) + 2,
        kind=Question.Kind.TEXT,
        text="Vì sao gia đình chưa hài lòng? Đề xuất của gia đình",
        required=False,
        relevant_question=overall,
        relevant_choice=no,
    )
    return questions, proposal


def build(rng, *, by=None):
    """Create the surveys and their responses. Returns counts."""
    communes = list(
        Unit.objects.valid_on(datetime.date(2025, 12, 31))
        .communes()
        .filter(kind=Unit.Kind.COMMUNE, valid_from__gte=datetime.date(2025, 7, 1))
        .order_by("code")
    )
    surveys, responses_made, answers_made = [], 0, 0
    for index, commune in enumerate(communes, start=1):
        survey = Survey.objects.create(
            title=f"Lấy ý kiến sự hài lòng của người dân về kết quả xây dựng NTM "
            f"năm 2025 — {commune.name}",
            slug=f"hai-long-2025-{commune.code}",
            description="Mỗi hộ trả lời một lần. Kết quả tổng hợp được công khai "
            "tại nhà văn hóa thôn.",
            unit=commune,
            opens_at=OPENS,
            closes_at=CLOSES,
            status=Survey.Status.CLOSED,
            publish_results=True,
            created_by=by,
            is_demo=True,
        )
        surveys.append(survey)
        questions, proposal = _questions(survey)
        households = list(
            Household.objects.in_unit(commune).values_list("pk", flat=True)
        )
        share = rng.uniform(0.4, 0.6)
        chosen = rng.sample(households, int(len(households) * share))
        # Communes differ: most are well above 80 %, one or two below.
        mood = rng.uniform(0.8, 0.97) if index % 7 else rng.uniform(0.7, 0.82)
        responses = [
            Response(
                survey=survey,
                household_id=pk,
                channel=Response.Channel.PAPER
                if rng.random() < 0.2
                else Response.Channel.ONLINE,
                submitted_at=OPENS
                + datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 44)),
                entered_by=None,
                is_demo=True,
                province_code=commune.province_code,
            )
            for pk in chosen
        ]
        Response.objects.bulk_create(responses, batch_size=2000)
        answers = []
        for response in responses:
            happy = rng.random() < mood
            (overall, (yes, no)) = questions[0]
            answers.append(
                Answer(response=response, question=overall, choice=yes if happy else no)
            )
            for question, _choices in questions[1:]:
                base = 4 if happy else 3
                answers.append(
                    Answer(
                        response=response,
                        question=question,
                        rating=max(1, min(5, base + rng.choice((-1, 0, 0, 1)))),
                    )
                )
            if not happy and rng.random() < 0.3:
                answers.append(
                    Answer(
                        response=response,
                        question=proposal,
                        text=PROPOSAL,
                    )
                )
        Answer.objects.bulk_create(answers, batch_size=5000)
        responses_made += len(responses)
        answers_made += len(answers)
    surveys.append(_open_survey(communes[0], by=by))
    log_actions(surveys, "surveys.survey.created", by=by)
    return {
        "surveys": len(surveys),
        "responses": responses_made,
        "answers": answers_made,
    }


def _open_survey(commune, *, by):
    """A survey open now with no answers yet, so a visitor can answer it.

    It stays open until the end of next year whenever the demo is loaded.
    """
    now = datetime.datetime.now(datetime.UTC)
    survey = Survey.objects.create(
        title=f"Lấy ý kiến sự hài lòng của người dân về kết quả xây dựng NTM "
        f"năm {now.year} — {commune.name}",
        slug=f"hai-long-{now.year}-{commune.code}",
        description="Khảo sát minh họa đang mở: nhập mã hộ và 4 số cuối điện thoại "
        "của hộ trong sổ hộ gia đình.",
        unit=commune,
        opens_at=now - datetime.timedelta(days=1),
        # 23:59 on 31/12 in the district's time, as an official would set it.
        closes_at=timezone.make_aware(datetime.datetime(now.year + 1, 12, 31, 23, 59)),
        status=Survey.Status.OPEN,
        publish_results=True,
        created_by=by,
        is_demo=True,
    )
    _questions(survey)
    return survey
