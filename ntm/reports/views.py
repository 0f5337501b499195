from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ntm.core.models import ActionLog
from ntm.core.spreadsheets import xlsx_response
from ntm.plans.models import Plan

from . import consolidate, exports
from .forms import OpenYearForm
from .models import Assignment, ReportForm, Submission
from .permissions import (
    can_fill_assignment,
    can_open_year,
    can_review_form,
    fillable_assignments,
)
from .services import (
    NARRATIVE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    ReportError,
    accept_submission,
    open_year,
    return_submission,
    save_narratives,
    submit_submission,
)
from .tables import section_table

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The transitions of the unit that fills a report, and of the focal office.
FILLING = {"submit"}
REVIEWING = {"accept", "send_back"}


@login_required
def assignment_list(request):
    assignments = Assignment.objects.with_details().order_by(
        "-form__year", "office", "unit__path"
    )
    mine = fillable_assignments(request.user, assignments)
    forms = list(ReportForm.objects.select_related("unit"))
    plan = Plan.objects.select_related("unit").order_by("-last_year").first()
    return render(
        request,
        "reports/assignment_list.html",
        {
            "assignments": mine,
            "forms": forms,
            "can_open_year": plan is not None
            and can_open_year(request.user, plan.unit),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def year_open(request):
    plan = Plan.objects.select_related("unit").order_by("-last_year").first()
    if plan is None or not can_open_year(request.user, plan.unit):
        raise PermissionDenied
    form = OpenYearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            open_year(
                year=year,
                unit=plan.unit,
                due_date=form.cleaned_data["due_date"],
                plan=plan,
                by=request.user,
            )
        except ReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã mở kỳ báo cáo năm %(y)s.") % {"y": year})
            return redirect("reports:completeness", year=year)
    return render(request, "reports/year_open.html", {"form": form, "plan": plan})


def completeness_detail(request, year):
    form, assignments, summary = _completeness(year)
    return render(
        request,
        "reports/completeness.html",
        {
            "form": form,
            "assignments": assignments,
            "summary": summary,
            "can_review": can_review_form(request.user, form),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def submission_edit(request, pk):
    assignment = _assignment(pk)
    submission = assignment.submission
    can_fill = can_fill_assignment(request.user, assignment)
    can_review = can_review_form(request.user, assignment.form)
    if not (can_fill or can_review):
        raise PermissionDenied
    typed, status = submission.narratives, 200
    if request.method == "POST":
        if not can_fill:
            raise PermissionDenied
        narratives = {
            s.key: request.POST.get(f"muc_{s.key}", "")
            for s in assignment.form.sections.all()
            if s.is_narrative
        }
        try:
            save_narratives(submission, narratives=narratives, by=request.user)
            if request.POST.get("action") == "submit":
                submit_submission(submission, by=request.user)
                messages.success(request, _("Đã nộp báo cáo."))
            else:
                messages.success(request, _("Đã lưu bản nháp."))
        except ReportError as error:
            # Back to the form with the text as typed while it may still be
            # edited; a locked report shows what was saved, nothing else.
            messages.error(request, str(error))
            status = 400
            if submission.is_editable:
                typed = narratives
        else:
            return redirect(assignment.get_absolute_url())
    sections = [
        {
            "spec": section,
            "table": None
            if section.is_narrative
            else section_table(section, assignment.unit),
            "text": typed.get(section.key, ""),
        }
        for section in assignment.form.sections.all()
        if not (assignment.office and section.kind == section.Kind.UNIT_FIGURES)
    ]
    return render(
        request,
        "reports/submission_edit.html",
        {
            "assignment": assignment,
            "submission": submission,
            "sections": sections,
            "can_fill": can_fill and submission.is_editable,
            "actions": Submission.Status.actions_from(
                submission.status,
                allowed=(FILLING if can_fill else set())
                | (REVIEWING if can_review else set()),
            ),
            "history": ActionLog.objects.for_object(submission),
            "narrative_max_length": NARRATIVE_MAX_LENGTH,
            "reason_max_length": REASON_MAX_LENGTH,
        },
        status=status,
    )


@require_POST
@login_required
def submission_return(request, pk):
    assignment = _assignment(pk)
    if not can_review_form(request.user, assignment.form):
        raise PermissionDenied
    try:
        return_submission(
            assignment.submission, reason=request.POST.get("ly_do", ""), by=request.user
        )
        messages.success(request, _("Đã trả lại báo cáo để sửa."))
    except ReportError as error:
        messages.error(request, str(error))
    return redirect(assignment.get_absolute_url())


@require_POST
@login_required
def submission_accept(request, pk):
    assignment = _assignment(pk)
    if not can_review_form(request.user, assignment.form):
        raise PermissionDenied
    try:
        accept_submission(assignment.submission, by=request.user)
        messages.success(request, _("Đã tiếp nhận báo cáo."))
    except ReportError as error:
        messages.error(request, str(error))
    return redirect(assignment.get_absolute_url())


@login_required
def consolidated_docx_download(request, year):
    form = _form(year)
    if not can_review_form(request.user, form):
        raise PermissionDenied
    return _download(
        consolidate.consolidated_docx(form), DOCX, f"bao-cao-tong-hop-{year}.docx"
    )


@login_required
def consolidated_xlsx_download(request, year):
    form = _form(year)
    if not can_review_form(request.user, form):
        raise PermissionDenied
    return xlsx_response(consolidate.consolidated_xlsx(form), f"phu-luc-bao-cao-{year}")


def completeness_export(request, year):
    """The completeness page as a workbook (public, as the page is)."""
    form, assignments, summary = _completeness(year)
    content = exports.completeness_workbook(form, assignments, summary)
    return xlsx_response(content, f"tinh-hinh-nop-bao-cao-{year}")


def _completeness(year):
    form = _form(year)
    assignments = list(
        form.assignments.counted().with_details().order_by("-office", "unit__path")
    )
    return form, assignments, form.assignments.counted().completeness()


def _form(year):
    form = ReportForm.objects.filter(year=year).select_related("unit", "plan").first()
    if form is None:
        raise Http404
    return form


def _assignment(pk):
    return get_object_or_404(
        Assignment.objects.select_related(
            "unit", "form__unit", "form__plan", "submission"
        ),
        pk=pk,
    )


def _download(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
