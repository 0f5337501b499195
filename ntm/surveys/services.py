"""Every change to surveys and responses, with the rules that guard them."""

import secrets

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from ntm.core.audit import diff, log_action, snapshot
from ntm.core.changes import change_fields
from ntm.core.deletion import delete_or_refuse
from ntm.core.notify import Message, Recipient, SendError, sms_notifier
from ntm.core.states import lock
from ntm.core.text import fold
from ntm.households.models import Household

from .models import Answer, Choice, Question, Response, Survey

MAX_TEXT_ANSWER = 2000
# Wrong verifications tolerated from one client (its IP address) in a window,
# for one household and for all: enough for typing mistakes, too few to try
# the 10,000 phone endings. Every limit is per client, so no one's mistakes
# or attacks lock another client out (issue 10).
HOUSEHOLD_ATTEMPTS = 5
ADDRESS_ATTEMPTS = 20
ATTEMPT_WINDOW = 15 * 60
CODE_LIFETIME = 10 * 60
# SMS codes one client may have sent in a window: to one household, and to
# any households (so no one makes the platform text a whole village).
CODES_PER_WINDOW = 3
CODES_PER_ADDRESS = 3

SURVEY_FIELDS = [
    "title",
    "description",
    "unit",
    "opens_at",
    "closes_at",
    "verification",
    "publish_results",
]
QUESTION_FIELDS = [
    "kind",
    "text",
    "required",
    "content_area",
    "counts_for_satisfaction",
    "relevant_question",
    "relevant_choice",
]


class SurveyError(Exception):
    """The request is well formed, but the survey's rules do not allow it."""


class AnswerError(SurveyError):
    """Some answers are missing or invalid; ``errors`` maps question ids."""

    def __init__(self, errors):
        super().__init__(_("Vui lòng kiểm tra lại các câu trả lời."))
        self.errors = errors


# -- building a survey -----------------------------------------------------------


def _new_slug(title):
    base = "-".join(fold(title).replace("đ", "d").split())
    base = "".join(ch for ch in base if ch.isascii() and (ch.isalnum() or ch == "-"))
    return f"{base[:40].strip('-') or 'khao-sat'}-{secrets.token_hex(3)}"


@transaction.atomic
def create_survey(*, by, is_demo=False, **fields):
    """Create a draft survey with a public address made from its title."""
    if fields["closes_at"] <= fields["opens_at"]:
        raise SurveyError(_("Thời điểm đóng phải sau thời điểm mở."))
    survey = Survey.objects.create(
        slug=_new_slug(fields["title"]), created_by=by, is_demo=is_demo, **fields
    )
    log_action(survey, "surveys.survey.created", by=by)
    return survey


@transaction.atomic
def update_survey(survey, *, by, **fields):
    """Change a survey's settings; the scope is fixed once households answer."""
    opens, closes = fields.get("opens_at"), fields.get("closes_at")
    if opens and closes and closes <= opens:
        raise SurveyError(_("Thời điểm đóng phải sau thời điểm mở."))
    if "unit" in fields and fields["unit"] != survey.unit and survey.responses.exists():
        raise SurveyError(_("Không đổi phạm vi khi đã có hộ trả lời."))
    changes = change_fields(survey, fields, SURVEY_FIELDS)
    survey.save()
    if changes:
        log_action(survey, "surveys.survey.updated", by=by, data=changes)
    return survey


@transaction.atomic
def open_survey(survey, *, by):
    """Open a draft (or reopen a closed) survey that has at least one question.

    The row is locked and its state read again: of two clicks at once, one
    opens it and the other is told it is open already.
    """
    lock(survey)
    status = Survey.Status.check(
        survey.status, "open", SurveyError, _("Khảo sát đang mở.")
    )
    if not survey.questions.exists():
        raise SurveyError(_("Khảo sát chưa có câu hỏi nào."))
    survey.status = status
    survey.save(update_fields=["status", "updated_at"])
    log_action(survey, "surveys.survey.opened", by=by)
    return survey


@transaction.atomic
def close_survey(survey, *, by):
    """Close an open survey: no more answers, results may be shown publicly."""
    lock(survey)
    survey.status = Survey.Status.check(
        survey.status, "close", SurveyError, _("Chỉ đóng được khảo sát đang mở.")
    )
    survey.save(update_fields=["status", "updated_at"])
    log_action(survey, "surveys.survey.closed", by=by)
    return survey


def _check_editable(survey):
    lock(survey)
    if not survey.is_editable:
        raise SurveyError(_("Chỉ sửa câu hỏi khi khảo sát còn ở trạng thái nháp."))


def _check_question(survey, kind, counts, relevant_question, relevant_choice, choices):
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and len(choices) < 2:
        raise SurveyError(_("Câu hỏi lựa chọn cần ít nhất hai lựa chọn."))
    if counts and kind == Question.Kind.TEXT:
        raise SurveyError(_("Câu trả lời tự do không tính được tỷ lệ hài lòng."))
    if (relevant_question is None) != (relevant_choice is None):
        raise SurveyError(_("Điều kiện hiển thị cần cả câu hỏi và lựa chọn."))
    if relevant_question is not None and (
        relevant_question.survey_id != survey.pk
        or relevant_choice.question_id != relevant_question.pk
    ):
        raise SurveyError(_("Điều kiện hiển thị không thuộc khảo sát này."))


def _save_choices(question, choices):
    """Replace the question's choices by ``choices`` [(label, satisfied)]."""
    kept = {c.value: c for c in question.choices.all()}
    wanted = []
    for order, (label, satisfied) in enumerate(choices, start=1):
        value = _choice_value(label, order, {c.value for c in wanted})
        choice = kept.pop(value, None) or Choice(question=question, value=value)
        choice.label, choice.satisfied, choice.order = label, satisfied, order
        choice.save()
        wanted.append(choice)
    for choice in kept.values():
        choice.delete()


def _choice_value(label, order, taken):
    value = "_".join(fold(label).replace("đ", "d").split())[:40] or str(order)
    return value if value not in taken else f"{value}_{order}"


@transaction.atomic
def add_question(survey, *, by, kind, text, choices=(), **fields):
    """Append a question (and its choices [(label, satisfied)]) to a draft."""
    _check_editable(survey)
    _check_question(
        survey,
        kind,
        fields.get("counts_for_satisfaction", False),
        fields.get("relevant_question"),
        fields.get("relevant_choice"),
        choices,
    )
    last = survey.questions.order_by("-order").values_list("order", flat=True).first()
    question = Question.objects.create(
        survey=survey, kind=kind, text=text, order=(last or 0) + 1, **fields
    )
    if question.has_choices:
        _save_choices(question, choices)
    log_action(survey, "surveys.question.added", by=by, data={"question": text})
    return question


@transaction.atomic
def update_question(question, *, by, choices=(), **fields):
    """Change a draft's question; its choices are replaced by ``choices``."""
    survey = question.survey
    _check_editable(survey)
    kind = fields.get("kind", question.kind)
    _check_question(
        survey,
        kind,
        fields.get("counts_for_satisfaction", question.counts_for_satisfaction),
        fields.get("relevant_question", question.relevant_question),
        fields.get("relevant_choice", question.relevant_choice),
        choices,
    )
    if fields.get("relevant_question") == question:
        raise SurveyError(_("Câu hỏi không thể phụ thuộc vào chính nó."))
    before = snapshot(question, QUESTION_FIELDS)
    for name, value in fields.items():
        setattr(question, name, value)
    question.save()
    if question.has_choices:
        _save_choices(question, choices)
    else:
        question.choices.all().delete()
    log_action(
        survey,
        "surveys.question.updated",
        by=by,
        data={
            "question": question.text,
            **diff(question, before, snapshot(question, QUESTION_FIELDS)),
        },
    )
    return question


@transaction.atomic
def delete_question(question, *, by):
    """Remove a draft's question; questions shown only after it lose that rule."""
    survey = question.survey
    _check_editable(survey)
    question.dependants.update(relevant_question=None, relevant_choice=None)
    delete_or_refuse(question, error=SurveyError)
    log_action(
        survey, "surveys.question.deleted", by=by, data={"question": str(question)}
    )
    return survey


@transaction.atomic
def move_question(question, *, by, up):
    """Swap a draft's question with the one before (``up``) or after it."""
    survey = question.survey
    _check_editable(survey)
    questions = list(survey.questions.order_by("order", "pk"))
    index = questions.index(question)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(questions):
        return question
    questions[index], questions[other] = questions[other], questions[index]
    for order, item in enumerate(questions, start=1):
        if item.order != order:
            item.order = order
            item.save(update_fields=["order"])
    index_of = {q.pk: i for i, q in enumerate(questions)}
    if any(
        q.relevant_question_id and index_of[q.relevant_question_id] > index_of[q.pk]
        for q in questions
    ):
        raise SurveyError(
            _("Câu hỏi có điều kiện phải đứng sau câu hỏi mà nó phụ thuộc.")
        )
    log_action(
        survey, "surveys.question.moved", by=by, data={"question": str(question)}
    )
    return question


# -- verifying a household ---------------------------------------------------------


def _tries(key):
    return cache.get(key, 0)


def _fail(keys):
    for key in keys:
        cache.add(key, 0, ATTEMPT_WINDOW)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, ATTEMPT_WINDOW)


def _attempt_keys(survey, code, address):
    return (
        f"surveys:tries:{survey.pk}:{fold(code)}:{address}",
        f"surveys:tries-ip:{address}",
    )


def _check_attempts(household_key, address_key):
    if _tries(household_key) >= HOUSEHOLD_ATTEMPTS or (
        _tries(address_key) >= ADDRESS_ATTEMPTS
    ):
        raise SurveyError(
            _("Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.")
        )


def _check_accepting(survey):
    if not survey.is_accepting:
        raise SurveyError(_("Khảo sát đã đóng hoặc chưa mở, không nhận trả lời."))


def _household_in_scope(survey, code):
    return (
        Household.objects.in_unit(survey.unit).filter(code=code.strip().upper()).first()
    )


def _check_not_answered(survey, household):
    if Response.objects.filter(survey=survey, household=household).exists():
        raise SurveyError(_("Hộ này đã trả lời khảo sát."))


def phone_ending(phone):
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return digits[-4:] if len(digits) >= 4 else ""


def _matches(survey, household, secret):
    if household is None:
        return False
    secret = (secret or "").strip()
    if survey.verification == Survey.Verification.SMS_CODE:
        stored = cache.get(_code_key(survey, household))
        return stored is not None and constant_time_compare(
            stored, _code_digest(survey, household, secret)
        )
    ending = phone_ending(household.phone)
    return bool(ending) and constant_time_compare(ending, secret)


def verify_household(survey, *, code, secret, address):
    """Return the household whose code and verification match, or refuse.

    ``secret`` is the last four digits of the phone on the register, or the
    one-time code sent by SMS, as the survey asks. An unknown code and wrong
    digits get the same answer, so the page tells no one which codes exist;
    both count as wrong tries of ``address`` (the client's IP), for that code
    and in all, in the cache.
    """
    _check_accepting(survey)
    household_key, address_key = _attempt_keys(survey, code, address)
    _check_attempts(household_key, address_key)
    household = _household_in_scope(survey, code)
    if not _matches(survey, household, secret):
        _fail([household_key, address_key])
        raise SurveyError(
            _("Mã hộ hoặc thông tin xác minh không đúng. Vui lòng kiểm tra lại.")
        )
    _check_not_answered(survey, household)
    cache.delete(_code_key(survey, household))
    return household


def _code_key(survey, household):
    return f"surveys:code:{survey.pk}:{household.pk}"


def _code_digest(survey, household, code):
    return salted_hmac("surveys.code", f"{survey.pk}:{household.pk}:{code}").hexdigest()


def send_code(survey, *, code, address):
    """Send a 6-digit one-time code to the phone on the household's record.

    Returns the household, or None when nothing was sent because the code is
    unknown, the household has no phone or has answered: the caller shows the
    same message either way, so the page tells no one which codes exist. The
    code lives ten minutes in the cache; one client (``address``) may ask for
    three codes per household and three in all in 15 minutes. The phone
    number is never shown to the caller.
    """
    _check_accepting(survey)
    household_key, address_key = _attempt_keys(survey, code, address)
    _check_attempts(household_key, address_key)
    sent_key = f"surveys:sent:{survey.pk}:{fold(code)}:{address}"
    sent_by_address_key = f"surveys:sent-ip:{address}"
    if (
        _tries(sent_key) >= CODES_PER_WINDOW
        or _tries(sent_by_address_key) >= CODES_PER_ADDRESS
    ):
        raise SurveyError(_("Đã gửi quá nhiều mã. Vui lòng thử lại sau 15 phút."))
    _fail([sent_key, sent_by_address_key])
    household = _household_in_scope(survey, code)
    if (
        household is None
        or not phone_ending(household.phone)
        or Response.objects.filter(survey=survey, household=household).exists()
    ):
        return None
    one_time = f"{secrets.randbelow(10**6):06d}"
    # Without diacritics: one plain SMS segment on every phone and gateway.
    text = _("Ma xac nhan khao sat NTM: %(code)s") % {"code": one_time}
    try:
        sms_notifier().send_one(
            Recipient(name=household.head_name, phone=household.phone),
            Message(subject="", body=text),
        )
    except SendError as error:
        raise SurveyError(
            _("Không gửi được tin nhắn, vui lòng thử lại sau.")
        ) from error
    cache.set(
        _code_key(survey, household),
        _code_digest(survey, household, one_time),
        CODE_LIFETIME,
    )
    return household


# -- answering -----------------------------------------------------------------------


def relevant_questions(questions, raw):
    """The questions shown, given the raw answers {question id: [values]}.

    A question with a condition is shown only when the question it depends
    on is shown and got the named choice (skip logic, applied on the server
    whatever the browser did).
    """
    shown = {}
    for question in questions:
        parent = question.relevant_question_id
        if parent is None:
            shown[question.pk] = question
            continue
        choice = question.relevant_choice
        if (
            parent in shown
            and choice is not None
            and choice.value in raw.get(parent, [])
        ):
            shown[question.pk] = question
    return list(shown.values())


def _clean_answers(survey, raw):
    """[(question, choice, rating, text)] from raw form values, or AnswerError."""
    questions = list(
        survey.questions.select_related("relevant_choice").prefetch_related("choices")
    )
    rows, errors = [], {}
    for question in relevant_questions(questions, raw):
        values = [v.strip() for v in raw.get(question.pk, []) if v and v.strip()]
        if not values:
            if question.required:
                errors[question.pk] = _("Câu hỏi này cần được trả lời.")
            continue
        if question.has_choices:
            by_value = {c.value: c for c in question.choices.all()}
            chosen = [by_value.get(v) for v in dict.fromkeys(values)]
            if None in chosen or (
                question.kind == Question.Kind.SINGLE and len(chosen) > 1
            ):
                errors[question.pk] = _("Lựa chọn không hợp lệ.")
                continue
            rows += [(question, c, None, "") for c in chosen]
        elif question.kind == Question.Kind.RATING:
            if len(values) != 1 or values[0] not in {"1", "2", "3", "4", "5"}:
                errors[question.pk] = _("Chọn một mức từ 1 đến 5.")
                continue
            rows.append((question, None, int(values[0]), ""))
        else:
            text = "\n".join(values)
            if len(text) > MAX_TEXT_ANSWER:
                errors[question.pk] = _("Câu trả lời quá dài (tối đa %(n)s ký tự).") % {
                    "n": MAX_TEXT_ANSWER
                }
                continue
            rows.append((question, None, None, text))
    if errors:
        raise AnswerError(errors)
    return rows


def submit_response(
    survey, *, household, answers, channel=Response.Channel.ONLINE, by=None
):
    """Record a household's answers: one response per household per survey.

    ``answers`` maps question ids to lists of raw values. Online answers are
    taken only while the survey is open; paper forms entered by village staff
    (``channel`` paper, ``by`` the person entering) also after it closes, but
    never for a draft. Text is stored as typed (templates escape it). Two
    submissions racing for one household: the database constraint lets one
    through and the other gets "already answered".
    """
    if channel == Response.Channel.ONLINE:
        _check_accepting(survey)
    elif survey.status == Survey.Status.DRAFT:
        raise SurveyError(_("Khảo sát chưa mở."))
    rows = _clean_answers(survey, answers)
    _check_not_answered(survey, household)
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey,
                household=household,
                channel=channel,
                entered_by=by if channel == Response.Channel.PAPER else None,
                submitted_at=timezone.now(),
            )
            Answer.objects.bulk_create(
                Answer(
                    response=response,
                    question=question,
                    choice=choice,
                    rating=rating,
                    text=text,
                )
                for question, choice, rating, text in rows
            )
            log_action(
                response,
                "surveys.response.submitted",
                by=by,
                data={"channel": channel},
            )
    except IntegrityError as error:
        raise SurveyError(_("Hộ này đã trả lời khảo sát.")) from error
    return response
