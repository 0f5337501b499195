import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ntm.core.clients import client_address
from ntm.core.models import ActionLog
from ntm.core.publiccache import last_good, shared_page
from ntm.core.spreadsheets import xlsx_response
from ntm.core.views import export_page
from ntm.households.models import Household

from . import exports, queries
from .forms import (
    AnswerFilterForm,
    PaperForm,
    QuestionForm,
    SendCodeForm,
    SurveyForm,
    VerifyForm,
    XlsformForm,
    raw_answers,
    scopes_for,
)
from .models import Question, Response, Survey
from .permissions import (
    answer_paths,
    can_create_survey,
    can_edit_survey,
    can_enter_paper_response,
    can_view_results,
)
from .services import (
    AnswerError,
    SurveyError,
    add_question,
    close_survey,
    create_survey,
    delete_question,
    move_question,
    open_survey,
    relevant_questions,
    send_code,
    submit_response,
    update_question,
    update_survey,
    verify_household,
)
from .xlsforms import import_xlsform

# A whole phiếu of text answers fits easily; anything bigger is not a person.
MAX_BODY_BYTES = 64 * 1024
ANSWERS_PER_PAGE = 50


def limit_body(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = MAX_BODY_BYTES + 1
        if length > MAX_BODY_BYTES:
            return render(
                request,
                "surveys/public_error.html",
                {"message": _("Nội dung gửi lên quá lớn.")},
                status=413,
            )
        return view(request, *args, **kwargs)

    return wrapper


def _seconds_to_next_change(survey):
    return Survey.objects.filter(pk=survey.pk).seconds_to_next_change()


def _session_key(survey):
    return f"survey-{survey.pk}-household"


# -- public pages ----------------------------------------------------------------


@limit_body
@shared_page
def public_start(request, slug):
    # The page every household opens first: for anonymous GETs, the shared
    # copy (core/publiccache.py) with this visitor's CSRF token put in, kept
    # never past an opening or closing time. Answers are checked by the
    # services whatever this page said (see docs/performance.md).
    survey = get_object_or_404(
        Survey.objects.exclude(status=Survey.Status.DRAFT).select_related("unit"),
        slug=slug,
    )
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            household = verify_household(
                survey,
                code=form.cleaned_data["code"],
                secret=form.cleaned_data["secret"],
                address=client_address(request),
            )
        except SurveyError as error:
            form.add_error(None, str(error))
        else:
            request.session[_session_key(survey)] = household.pk
            return redirect("surveys:public-answer", slug=slug)
    context = {"survey": survey, "form": form, "code_form": SendCodeForm()}
    response = render(request, "surveys/public_start.html", context)
    response.shared_seconds = _seconds_to_next_change(survey)
    return response


@require_POST
@limit_body
def public_send_code(request, slug):
    survey = get_object_or_404(
        Survey.objects.exclude(status=Survey.Status.DRAFT), slug=slug
    )
    form = SendCodeForm(request.POST)
    if form.is_valid():
        try:
            send_code(
                survey, code=form.cleaned_data["code"], address=client_address(request)
            )
        except SurveyError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "Nếu mã hộ đúng và hộ đã đăng ký số điện thoại, mã xác nhận "
                    "đã được gửi đến số đó."
                ),
            )
    return redirect("surveys:public-start", slug=slug)


@limit_body
def public_answer(request, slug):
    survey = get_object_or_404(
        Survey.objects.exclude(status=Survey.Status.DRAFT), slug=slug
    )
    household = Household.objects.filter(
        pk=request.session.get(_session_key(survey))
    ).first()
    if household is None:
        return redirect("surveys:public-start", slug=slug)
    questions = list(
        survey.questions.select_related(
            "relevant_question", "relevant_choice"
        ).prefetch_related("choices")
    )
    errors, raw = {}, {}
    if request.method == "POST":
        raw = raw_answers(questions, request.POST)
        try:
            submit_response(survey, household=household, answers=raw)
        except AnswerError as error:
            errors = error.errors
            messages.error(request, str(error))
        except SurveyError as error:
            request.session.pop(_session_key(survey), None)
            return render(
                request,
                "surveys/public_error.html",
                {"survey": survey, "message": str(error)},
            )
        else:
            request.session.pop(_session_key(survey), None)
            request.session[f"survey-{survey.pk}-thanks"] = household.code
            return redirect("surveys:public-thanks", slug=slug)
    return render(
        request,
        "surveys/public_answer.html",
        {
            "survey": survey,
            "household_code": household.code,
            "items": _items(questions, raw, errors),
        },
    )


def _items(questions, raw, errors):
    # Skip logic is applied here too, so a follow-up question does not flash on
    # screen before survey.js runs; the script takes over on every change.
    shown = {q.pk for q in relevant_questions(questions, raw)}
    return [
        {
            "question": q,
            "values": raw.get(q.pk, []),
            "error": errors.get(q.pk),
            "skipped": q.pk not in shown,
        }
        for q in questions
    ]


def public_thanks(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    code = request.session.get(f"survey-{survey.pk}-thanks")
    return render(
        request,
        "surveys/public_thanks.html",
        {"survey": survey, "household_code": code},
    )


@shared_page
def public_results(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    if survey.status == Survey.Status.DRAFT or not survey.results_are_public:
        raise Http404
    return render(request, "surveys/public_results.html", _results_context(survey))


def _results_context(survey):
    # The last good figures (recomputed by the task worker after answers
    # come in, core/publiccache.py) and the time they were computed.
    figures = last_good(queries.results_figures, survey.pk)
    return {"survey": survey, "figures": figures, **figures.value}


# -- staff pages -------------------------------------------------------------------


@shared_page
def survey_list(request):
    """Everyone sees the surveys open to citizens and the published results;
    staff see below them the surveys of their units, drafts included."""
    public = (
        Survey.objects.for_citizens()
        .select_related("unit")
        # Open ones first; among each, the latest closing date first, so the
        # newest results lead the list as the years go by.
        .order_by("-taking_answers", "-closes_at", "pk")
    )
    managed = Survey.objects.visible_to(request.user).select_related("unit")
    can_create = request.user.is_authenticated and scopes_for(request.user).exists()
    response = render(
        request,
        "surveys/survey_list.html",
        {
            "public": public,
            "surveys": managed.order_by("-opens_at", "pk"),
            "can_create": can_create,
            "is_staff": can_create or managed.exists(),
        },
    )
    # The shared copy never outlives an opening or closing time.
    response.shared_seconds = Survey.objects.seconds_to_next_change()
    return response


@login_required
def survey_create(request):
    form = SurveyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        if not can_create_survey(request.user, form.cleaned_data["unit"]):
            raise PermissionDenied
        try:
            survey = create_survey(by=request.user, **form.survey_fields())
        except SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã tạo khảo sát. Hãy thêm câu hỏi."))
            return redirect(survey)
    if not scopes_for(request.user).exists():
        raise PermissionDenied
    return render(request, "surveys/survey_form.html", {"form": form})


def _survey_for(request, pk, check=can_edit_survey):
    survey = get_object_or_404(Survey.objects.select_related("unit"), pk=pk)
    if not check(request.user, survey):
        raise PermissionDenied
    return survey


@login_required
def survey_detail(request, pk):
    survey = _survey_for(request, pk, can_view_results)
    can_edit = can_edit_survey(request.user, survey)
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "questions": survey.questions.select_related(
                "relevant_question", "relevant_choice"
            ).prefetch_related("choices"),
            "can_edit": can_edit,
            "actions": Survey.Status.actions_from(
                survey.status, allowed={"open", "close"} if can_edit else ()
            ),
            "can_enter_paper": can_enter_paper_response(request.user, survey),
            "summary": queries.summary(survey),
            "history": ActionLog.objects.for_object(survey),
        },
    )


@login_required
def survey_edit(request, pk):
    survey = _survey_for(request, pk)
    form = SurveyForm(request.POST or None, instance=survey, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            update_survey(survey, by=request.user, **form.survey_fields())
        except SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu khảo sát."))
            return redirect(survey)
    return render(request, "surveys/survey_form.html", {"form": form, "survey": survey})


@login_required
@require_POST
def survey_open(request, pk):
    return _transition(request, pk, open_survey, _("Đã mở khảo sát."))


@login_required
@require_POST
def survey_close(request, pk):
    return _transition(request, pk, close_survey, _("Đã đóng khảo sát."))


def _transition(request, pk, service, done):
    survey = _survey_for(request, pk)
    try:
        service(survey, by=request.user)
    except SurveyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(survey)


@login_required
def question_add(request, pk):
    survey = _survey_for(request, pk)
    form = QuestionForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            add_question(survey, by=request.user, **form.question_fields())
        except SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã thêm câu hỏi."))
            return redirect(survey)
    return render(
        request, "surveys/question_form.html", {"form": form, "survey": survey}
    )


def _question_for(request, pk):
    question = get_object_or_404(Question.objects.select_related("survey__unit"), pk=pk)
    if not can_edit_survey(request.user, question.survey):
        raise PermissionDenied
    return question


@login_required
def question_edit(request, pk):
    question = _question_for(request, pk)
    survey = question.survey
    form = QuestionForm(request.POST or None, instance=question, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            update_question(question, by=request.user, **form.question_fields())
        except SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu câu hỏi."))
            return redirect(survey)
    return render(
        request,
        "surveys/question_form.html",
        {"form": form, "survey": survey, "question": question},
    )


@login_required
@require_POST
def question_delete(request, pk):
    question = _question_for(request, pk)
    try:
        delete_question(question, by=request.user)
    except SurveyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã xóa câu hỏi."))
    return redirect(question.survey)


@login_required
@require_POST
def question_move(request, pk):
    question = _question_for(request, pk)
    try:
        move_question(question, by=request.user, up=request.POST.get("up") == "1")
    except SurveyError as error:
        messages.error(request, str(error))
    return redirect(question.survey)


@login_required
def survey_import(request, pk):
    survey = _survey_for(request, pk)
    form = XlsformForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = import_xlsform(
                form.cleaned_data["file"],
                survey=survey,
                by=request.user,
                skip_unsupported=form.cleaned_data["skip_unsupported"],
            )
        except SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Đã nhập %(n)s câu hỏi.") % {"n": report.imported},
            )
    return render(
        request,
        "surveys/survey_import.html",
        {"form": form, "survey": survey, "report": report},
        status=422 if form.errors else 200,
    )


@login_required
def survey_results(request, pk):
    survey = _survey_for(request, pk, can_view_results)
    context = _results_context(survey)
    # Staff read the citizens' own words on their page; the public page has
    # figures only.
    context["answers_url"] = reverse("surveys:survey-answers", args=[survey.pk])
    return render(request, "surveys/survey_results.html", context)


@login_required
def survey_answers(request, pk):
    """The citizens' free-text answers, paginated, without who wrote them."""
    survey = _survey_for(request, pk, can_view_results)
    form = AnswerFilterForm(request.GET, survey=survey)
    answers = queries.text_answers(survey, within=answer_paths(request.user, survey))
    page = Paginator(form.apply(answers), ANSWERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    template = "surveys/survey_answers.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "survey": survey,
            "form": form,
            "page": page,
            "querystring_without_page": query.urlencode(),
        },
    )


@login_required
def survey_results_export(request, pk):
    survey = _survey_for(request, pk, can_view_results)
    content = exports.results_workbook(survey)
    return xlsx_response(content, f"ket-qua-khao-sat-{survey.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def survey_responses_export(request, pk):
    """Every response with its answers, free text included (staff only)."""
    survey = _survey_for(request, pk, can_view_results)
    return export_page(
        request,
        exports.RESPONSES_EXPORT.name,
        params={"survey": survey.pk},
        back_url=reverse("surveys:survey-results", args=[survey.pk]),
        back_label=survey.title,
        summary=[(_("Khảo sát"), survey.title)],
    )


@login_required
@limit_body
def paper_add(request, pk):
    survey = _survey_for(request, pk, can_enter_paper_response)
    questions = list(
        survey.questions.select_related(
            "relevant_question", "relevant_choice"
        ).prefetch_related("choices")
    )
    form = PaperForm(request.POST or None)
    errors, raw = {}, {}
    if request.method == "POST" and form.is_valid():
        raw = raw_answers(questions, request.POST)
        household = (
            Household.objects.in_unit(survey.unit)
            .filter(code=form.cleaned_data["code"].strip().upper())
            .select_related("village")
            .first()
        )
        if household is None:
            form.add_error(
                "code", _("Không tìm thấy mã hộ này trong phạm vi khảo sát.")
            )
        elif not can_enter_paper_response(request.user, survey, household):
            raise PermissionDenied
        else:
            try:
                submit_response(
                    survey,
                    household=household,
                    answers=raw,
                    channel=Response.Channel.PAPER,
                    by=request.user,
                )
            except AnswerError as error:
                errors = error.errors
                form.add_error(None, str(error))
            except SurveyError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Đã ghi phiếu giấy của hộ số %(code)s.")
                    % {"code": household.code},
                )
                return redirect("surveys:paper-add", pk=survey.pk)
    return render(
        request,
        "surveys/paper_form.html",
        {"survey": survey, "form": form, "items": _items(questions, raw, errors)},
    )
