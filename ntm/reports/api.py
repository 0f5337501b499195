"""/api/v1/reports: yearly report assignments and submissions.

Completeness figures and the list of who has reported are public (unit
names only). Narratives and who submitted are for staff signed in with a
session or an API key: the unit's own reporters and the focal office.
"""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from ntm.accounts.apiauth import api_auth
from ntm.core.apipages import PAGE, SIZE, page_of

from .models import Assignment, ReportForm
from .permissions import can_review_form, can_view_assignment, fillable_assignments

router = Router(tags=["reports"])


class AssignmentOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    office: str
    reporter: str
    due_date: datetime.date
    status: str
    status_label: str
    submitted_on: datetime.date | None
    is_late: bool


class ErrorOut(Schema):
    detail: str


class CompletenessOut(Schema):
    year: int
    due_date: datetime.date
    total: int
    submitted: int
    accepted: int
    late: int
    on_time: int
    missing: int
    on_time_percent: float | None
    assignments: list[AssignmentOut]


class SubmissionOut(Schema):
    assignment: AssignmentOut
    narratives: dict[str, str]
    submitted_by: str
    return_reason: str


def _assignment_out(assignment):
    submission = assignment.submission
    return {
        "id": assignment.pk,
        "unit_code": assignment.unit.code,
        "unit_name": assignment.unit.name,
        "office": assignment.office,
        "reporter": assignment.reporter_name,
        "due_date": assignment.due_date,
        "status": submission.status,
        "status_label": str(submission.get_status_display()),
        "submitted_on": submission.submitted_at.date()
        if submission.submitted_at
        else None,
        "is_late": submission.is_late,
    }


@router.get("/{int:year}/", response=CompletenessOut)
def completeness(request, year: int):
    form = ReportForm.objects.filter(year=year).first()
    if form is None:
        raise HttpError(404, "Không có mẫu báo cáo cho năm này.")
    counted = form.assignments.counted()
    return {
        "year": year,
        "due_date": form.due_date,
        **counted.completeness(),
        "assignments": [
            _assignment_out(a)
            for a in counted.with_details().order_by("-office", "unit__path")
        ],
    }


@router.get("/submissions/{int:pk}/", response=SubmissionOut, auth=api_auth())
def submission_detail(request, pk: int):
    assignment = get_object_or_404(Assignment.objects.with_details(), pk=pk)
    if not can_view_assignment(request.user, assignment):
        # As for any record outside the caller's units: not found.
        raise Http404
    return _submission_out(assignment)


class SubmissionPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[SubmissionOut]


def _submission_out(assignment):
    submission = assignment.submission
    return {
        "assignment": _assignment_out(assignment),
        "narratives": submission.narratives,
        "submitted_by": str(submission.submitted_by or ""),
        "return_reason": submission.return_reason,
    }


@router.get(
    "/{int:year}/submissions",
    response={200: SubmissionPage, 404: ErrorOut},
    auth=api_auth(),
    summary="Báo cáo gửi trong năm mà người gọi được xem (đơn vị mình, hoặc tất cả"
    " với cơ quan đầu mối)",
)
def submission_list(
    request,
    year: int,
    status: str | None = Query(None, description="Trạng thái báo cáo"),
    page: int = PAGE,
    page_size: int = SIZE,
):
    form = ReportForm.objects.filter(year=year).select_related("unit").first()
    if form is None:
        raise HttpError(404, "Không có mẫu báo cáo cho năm này.")
    assignments = form.assignments.with_details().order_by("-office", "unit__path")
    if status:
        assignments = assignments.filter(submission__status=status)
    if not can_review_form(request.user, form):
        assignments = fillable_assignments(request.user, assignments)
    return page_of(assignments, page, page_size, out=_submission_out)
