"""/api/v1/feedback: submit a report (no account needed), follow it by its
code, list public reports. No personal data is ever answered."""

import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from ntm.accounts.apiauth import api_auth
from ntm.core.apipages import PAGE, SIZE, page_of

from .models import Category, Report
from .services import FeedbackError, submit_report

router = Router(tags=["feedback"])


class Message(Schema):
    detail: str


class ReportIn(Schema):
    category: str
    text: str
    lat: Decimal | None = None
    lon: Decimal | None = None
    address_code: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    is_business: bool = False


class EventOut(Schema):
    at: datetime.datetime
    action: str
    status: str
    note: str


class ReportOut(Schema):
    code: str
    category: str
    category_name: str
    status: str
    status_label: str
    text: str
    lat: float
    lon: float
    village_code: str | None
    commune_code: str
    received_at: datetime.datetime
    due_at: datetime.datetime
    resolved_at: datetime.datetime | None
    overdue: bool
    supporters: int
    is_demo: bool


class ReportDetail(ReportOut):
    events: list[EventOut]


class Submitted(Schema):
    code: str
    follow_url: str


class ReportPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[ReportOut]


def _out(report):
    return {
        "code": report.code,
        "category": report.category.code,
        "category_name": report.category.name,
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "text": report.text,
        "lat": float(report.lat),
        "lon": float(report.lon),
        "village_code": report.village.code if report.village else None,
        "commune_code": report.commune.code,
        "received_at": report.received_at,
        "due_at": report.due_at,
        "resolved_at": report.resolved_at,
        "overdue": report.is_overdue,
        "supporters": report.supporters,
        "is_demo": report.is_demo,
    }


@router.post(
    "/reports",
    auth=api_auth(optional=True),
    response={201: Submitted, 422: Message},
    summary="Gửi phản ánh (không cần tài khoản)",
)
def post_report(request, payload: ReportIn):
    category = Category.objects.filter(code=payload.category, is_active=True).first()
    if category is None:
        return Status(422, {"detail": "Không có lĩnh vực này."})
    try:
        report = submit_report(
            category=category,
            text=payload.text,
            lat=payload.lat,
            lon=payload.lon,
            address_code=payload.address_code,
            reporter_name=payload.reporter_name,
            reporter_phone=payload.reporter_phone,
            is_business=payload.is_business,
            by=request.user,
        )
    except FeedbackError as error:
        return Status(422, {"detail": str(error)})
    return Status(201, {"code": report.code, "follow_url": report.get_absolute_url()})


@router.get(
    "/reports",
    auth=api_auth(optional=True),
    response=ReportPage,
    summary="Phản ánh công khai (không có thông tin người phản ánh)",
)
def list_reports(
    request, status: str | None = None, page: int = PAGE, page_size: int = SIZE
):
    reports = Report.objects.public()
    if status:
        reports = reports.filter(status=status)
    return page_of(reports, page, page_size, out=_out)


@router.get(
    "/reports/{code}",
    auth=api_auth(optional=True),
    response={200: ReportDetail, 404: Message},
    summary="Theo dõi một phản ánh bằng mã",
)
def follow_report(request, code: str):
    report = get_object_or_404(Report.objects.public(), code=code)
    answer = _out(report)
    answer["events"] = [
        {"at": e.at, "action": e.action, "status": e.status, "note": e.note}
        for e in report.events.all()
    ]
    return answer
