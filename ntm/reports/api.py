"""/api/v1/reports: yearly report assignments and submissions.

Completeness figures and the list of who has reported are public (unit
names only). Narratives and who submitted are for staff signed in with a
session or an API key: the unit's own reporters and the focal office.
"""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from ntm.accounts.apiauth import api_auth

from .models import Assignment, ReportForm
from .permissions import can_view_assignment

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
    submission = assignment.submission
    return {
        "assignment": _assignment_out(assignment),
        "narratives": submission.narratives,
        "submitted_by": str(submission.submitted_by or ""),
        "return_reason": submission.return_reason,
    }
