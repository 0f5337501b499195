"""Workbooks of a survey: its results (as the results page shows them) and
its responses, one row per household's form with every answer, free text
included.

Who answered is personal data: the responses workbook names the household
(code and head of household) only to staff who may read that household in
the register; everyone else who may read the results gets the answers with
the village only.
"""

from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ntm.core.exports import Exported, ExportError, ExportKind, personal_data
from ntm.core.spreadsheets import Column, Kind, Sheet, build_workbook
from ntm.households.models import Household

from . import queries
from .models import Answer, Question, Survey
from .permissions import can_name_respondents, can_view_results

QUESTIONS = Sheet(
    gettext_lazy("Theo câu hỏi"),
    [
        Column("number", gettext_lazy("Câu"), width=6, kind=Kind.INTEGER),
        Column("question", gettext_lazy("Câu hỏi"), width=50),
        Column("answer", gettext_lazy("Lựa chọn / điểm"), width=36),
        Column("satisfied", gettext_lazy("Tính là hài lòng"), width=10),
        Column("count", gettext_lazy("Số hộ"), width=10, kind=Kind.INTEGER),
        Column("percent", gettext_lazy("Tỷ lệ"), width=10, kind=Kind.PERCENT),
        Column("mean", gettext_lazy("Điểm trung bình"), width=10, kind=Kind.DECIMAL),
    ],
    freeze="C2",
)
UNITS = Sheet(
    gettext_lazy("Theo đơn vị"),
    [
        Column("unit", gettext_lazy("Đơn vị"), width=26),
        Column("households", gettext_lazy("Số hộ"), width=10, kind=Kind.INTEGER),
        Column("responses", gettext_lazy("Số phiếu"), width=10, kind=Kind.INTEGER),
        Column("rate", gettext_lazy("Tỷ lệ trả lời"), width=12, kind=Kind.PERCENT),
        Column("satisfaction", gettext_lazy("Hài lòng"), width=12, kind=Kind.PERCENT),
    ],
)
AREAS = Sheet(
    gettext_lazy("Theo nội dung"),
    [
        Column("area", gettext_lazy("Nội dung"), width=30),
        Column("satisfied", gettext_lazy("Hài lòng"), width=10, kind=Kind.INTEGER),
        Column("answers", gettext_lazy("Số câu trả lời"), width=12, kind=Kind.INTEGER),
        Column("percent", gettext_lazy("Tỷ lệ"), width=10, kind=Kind.PERCENT),
    ],
)


def results_workbook(survey):
    """The results page as a workbook: by question, by unit, by content area."""
    summary = queries.summary(survey)
    question_rows = list(_question_rows(queries.question_results(survey)))
    unit_rows = [
        [r["unit"], r["households"], r["responses"], r["response_rate"]]
        + [r["satisfaction"]]
        for r in queries.unit_breakdown(survey)
    ]
    area_rows = [
        [r["area"], r["satisfied"], r["answers"], r["percent"]]
        for r in queries.content_areas(survey)
    ]
    return build_workbook(
        (QUESTIONS, question_rows),
        (UNITS, unit_rows),
        (AREAS, area_rows),
        notes=[
            *_about(survey),
            (_("Số phiếu trả lời"), summary["responses"]),
            (_("Trực tuyến"), summary["online"]),
            (_("Phiếu giấy"), summary["paper"]),
            (_("Số hộ trong phạm vi"), summary["households"]),
            (_("Tỷ lệ hộ trả lời (%)"), summary["response_rate"]),
            (_("Số phiếu có câu hỏi về sự hài lòng"), summary["judged"]),
            (_("Số hộ hài lòng"), summary["satisfied"]),
            (_("Tỷ lệ hộ hài lòng (%)"), summary["satisfaction"]),
        ],
        demo=survey.is_demo,
    )


def names_households(survey, user):
    """Whether ``user``'s responses workbook names households: they may name
    respondents, and some of the survey's households are in the register
    ``user`` may read."""
    if not can_name_respondents(user):
        return False
    return Household.objects.visible_to(user).in_unit(survey.unit).exists()


def responses_workbook(survey, user, *, progress=None, personal_data=None):
    """Every response with its answers; households named to register keepers."""
    questions = list(survey.questions.all())
    visible = Household.objects.visible_to(user)
    personal = names_households(survey, user)
    columns = [
        Column("number", _("Phiếu số"), width=9, kind=Kind.INTEGER),
        Column("submitted_at", _("Thời điểm trả lời"), width=17, kind=Kind.DATE),
        Column("channel", _("Hình thức"), width=12),
        Column("commune", _("Xã"), width=20),
        Column("village", _("Thôn"), width=20),
    ]
    if personal:
        columns += [
            Column("household", _("Mã hộ"), width=14),
            Column("head_name", _("Chủ hộ"), width=24),
        ]
    for number, question in enumerate(questions, start=1):
        kind = Kind.INTEGER if question.kind == Question.Kind.RATING else Kind.TEXT
        width = 40 if question.kind == Question.Kind.TEXT else 20
        columns.append(
            Column(f"q{question.pk}", f"{number}. {question.text}"[:250], width=width,
                   kind=kind)
        )  # fmt: skip
    sheet = Sheet(_("Phiếu trả lời"), columns, freeze="C2")
    responses = (
        survey.responses.select_related("household__village__parent")
        .annotate(named=Exists(visible.filter(pk=OuterRef("household_id"))))
        .order_by("submitted_at", "pk")
    )
    answers = _answers(survey)
    rows = []
    if progress is not None:
        progress.start(responses.count())
        responses = progress.track(responses)
    for response in responses:
        village = response.household.village
        row = [
            response.pk,
            response.submitted_at,
            response.get_channel_display(),
            village.parent.name if village.parent_id else "",
            village.name,
        ]
        if personal:
            household = response.household
            row += [household.code, household.head_name] if response.named else ["", ""]
        row += [answers.get((response.pk, q.pk)) for q in questions]
        rows.append(row)
    return build_workbook(
        (sheet, rows),
        notes=[
            *_about(survey),
            (_("Số phiếu trả lời"), len(rows)),
            (
                _("Ghi tên hộ"),
                _("Mã hộ và chủ hộ chỉ ghi với các hộ bạn được xem trong sổ hộ.")
                if personal
                else _("Không ghi mã hộ, chủ hộ."),
            ),
        ],
        demo=survey.is_demo,
        personal_data=personal_data if personal else None,
    )


def _job_survey(params):
    return Survey.objects.select_related("unit").filter(pk=params.get("survey")).first()


def _responses_personal(user, params):
    survey = _job_survey(params)
    return survey is not None and names_households(survey, user)


def build_responses(job, progress):
    survey = _job_survey(job.params)
    if survey is None or not can_view_results(job.requested_by, survey):
        raise ExportError(_("Bạn không còn quyền xuất phiếu trả lời của khảo sát này."))
    content = responses_workbook(
        survey, job.requested_by, progress=progress, personal_data=personal_data(job)
    )
    return Exported(content, progress.done, data={"survey": survey.pk})


RESPONSES_EXPORT = ExportKind(
    name="surveys.responses",
    title=gettext_lazy("Phiếu trả lời khảo sát"),
    stem="phieu-tra-loi",
    build=build_responses,
    personal=_responses_personal,
    personal_fields=gettext_lazy("mã hộ và họ tên chủ hộ của hộ trả lời"),
)


def _question_rows(results):
    for number, item in enumerate(results, start=1):
        text = item["question"].text
        answered = [number, text, _("Số hộ trả lời"), None, item["answered"], None]
        yield [*answered, item.get("mean")]
        for row in item["choices"]:
            choice = row["choice"]
            yield [number, text, choice.label, choice.satisfied, row["count"]] + [
                row["percent"],
                None,
            ]
        for row in item["ratings"]:
            label = _("%(rating)s điểm") % {"rating": row["rating"]}
            yield [number, text, label, None, row["count"], row["percent"], None]


def _about(survey):
    return [
        (_("Khảo sát"), survey.title),
        (_("Phạm vi"), survey.unit.name),
        (_("Mở từ"), survey.opens_at),
        (_("Đóng lúc"), survey.closes_at),
        (_("Trạng thái"), survey.get_status_display()),
    ]


def _answers(survey):
    """{(response id, question id): the answer as a cell holds it}."""
    found = defaultdict(list)
    rows = (
        Answer.objects.filter(question__survey=survey)
        .order_by("response", "question", "choice__order", "pk")
        .values_list("response_id", "question_id", "choice__label", "rating", "text")
    )
    for response_id, question_id, label, rating, text in rows:
        found[(response_id, question_id)].append(
            label if label is not None else rating if rating is not None else text
        )
    return {
        key: parts[0] if len(parts) == 1 else "; ".join(str(p) for p in parts)
        for key, parts in found.items()
    }
