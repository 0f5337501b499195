"""/api/v1/plans: where a plan stands on each target, year by year; its key
tasks and budget lines for district staff (below).

Public and aggregate only: values, thresholds, statuses and the codes and
names of lagging administrative units — never a person. Every figure is the
engine's (``ntm.plans.progress``); one engine Context per year is shared by
all targets, so the number of queries does not grow with the targets.
"""

import datetime
from decimal import Decimal

from django.db.models.functions import Length
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from ntm.accounts.apiauth import api_auth
from ntm.core.apipages import PAGE, SIZE, page_of
from ntm.core.publiccache import shared_page
from ntm.indicators.api import PeriodStateOut
from ntm.indicators.evaluation.gaps import next_step
from ntm.indicators.models import Period
from ntm.units.api import ON, day_of

from .forms import BudgetLineForm, TaskUpdateForm
from .models import BudgetLine, Plan
from .permissions import (
    can_edit_budget,
    can_update_task,
    can_view_budget,
    can_view_tasks,
)
from .progress import latest_year_with_data, plan_results, whole_target_counts
from .projection import METHOD as PROJECTION_METHOD
from .projection import target_projection, unit_projections
from .services import (
    PlanError,
    add_task_update,
    create_budget_line,
    update_budget_line,
)

router = Router(tags=["plans"])

# Declared as text so that a bad year gets a Vietnamese 422, not pydantic's.
YEAR = Query(
    None,
    description="Năm của kế hoạch, YYYY; mặc định năm gần nhất có số liệu.",
    example="2024",
)


class ErrorOut(Schema):
    detail: str


class UnitRef(Schema):
    code: str
    name: str


class PlanOut(Schema):
    code: str
    title: str
    issuer: str
    number: str
    signed_on: datetime.date | None
    first_year: int
    last_year: int
    unit: UnitRef


class YearOut(Schema):
    year: int
    value: float | None
    status: str
    numerator: float | None
    denominator: float | None


class LaggardOut(Schema):
    code: str
    name: str
    status: str


class UnconfirmedOut(Schema):
    set_code: str
    code: str
    name: str


class CountsOut(Schema):
    """The plan's numbered targets by status; ``parts``: measured lines."""

    targets: int
    parts: int
    met: int
    not_met: int
    no_data: int
    not_applicable: int


class ProjectionOut(Schema):
    """The trend carried to the deadline (method: ``method``)."""

    status: str = Field(
        description="on_track, at_risk, off_track, too_short (fewer than two "
        "years with a value), not_projected (yes/no target) or due (the "
        "deadline's year is reached: its figure answers)"
    )
    label: str
    deadline_year: int
    value: float | None = Field(description="Projected value in the deadline's year")
    slope: float | None = Field(description="Change per year along the trend")
    years: list[int] = Field(description="Years the trend was fitted to")
    method: str


class UnitProjectionOut(Schema):
    code: str
    name: str
    status: str
    label: str
    value: float | None
    years: list[int]


class TargetOut(Schema):
    number: str
    title: str
    indicator: str
    comparison: str
    target_value: float | None
    threshold_display: str
    value: float | None
    status: str
    source: str
    as_of: datetime.datetime | None
    numerator: float | None
    denominator: float | None
    deadline: datetime.date
    # The verdict rests on these unverified thresholds (its own, a child
    # set's, a yes/no indicator's defining set): show the badge.
    unconfirmed: bool
    unconfirmed_thresholds: list[UnconfirmedOut]
    # The smallest change that meets a missed target ("cần thêm 2 xã …").
    next_step: str | None
    next_step_count: int | None
    by_year: list[YearOut]
    laggards: list[LaggardOut]
    # Seen from the chosen year: will the deadline be met?
    projection: ProjectionOut
    unit_projections: list[UnitProjectionOut]


class ProgressOut(Schema):
    plan: PlanOut
    year: int
    period: PeriodStateOut
    counts: CountsOut
    targets: list[TargetOut]


@router.get("", response=list[PlanOut], summary="Plans whose targets are tracked")
@decorate_view(shared_page)
def plan_list(request):
    return [_plan(plan) for plan in Plan.objects.select_related("unit")]


@router.get(
    "/{code}/targets",
    response={200: ProgressOut, 404: ErrorOut, 422: ErrorOut},
    summary="Each target of a plan in a year, with its trend and laggards",
)
@decorate_view(shared_page)
def plan_targets(request, code: str, year: str | None = YEAR, on: str | None = ON):
    plan = Plan.objects.select_related("unit").filter(code=code).first()
    if plan is None:
        raise HttpError(404, _("Không có kế hoạch mã %s.") % code)
    # ``on``: the plan as of a day, that day's year.
    chosen = _year(year or (str(day_of(on).year) if on else None), plan)
    by_year = plan_results(plan)
    if chosen is None:
        chosen = latest_year_with_data(by_year)
    trends = {}
    for y in plan.years:
        for result in by_year[y]:
            trends.setdefault(result.target.pk, []).append(result)
    return {
        "plan": _plan(plan),
        "year": chosen,
        "period": _period_state(chosen),
        "counts": whole_target_counts(by_year[chosen]),
        "targets": [
            _target(r, trends[r.target.pk], plan.unit) for r in by_year[chosen]
        ],
    }


def _period_state(year):
    # A year no one has evaluated yet has no period row: it is open.
    period = Period.objects.filter(code=str(year)).first() or Period(code=str(year))
    return period.state()


def _year(text, plan):
    if not text:
        return None
    if not text.isdigit() or int(text) not in plan.years:
        raise HttpError(
            422,
            _("Năm không hợp lệ: “%(year)s”. Kế hoạch có các năm %(first)d–%(last)d.")
            % {"year": text, "first": plan.first_year, "last": plan.last_year},
        )
    return int(text)


def _plan(plan):
    return {
        "code": plan.code,
        "title": plan.title,
        "issuer": plan.issuer,
        "number": plan.number,
        "signed_on": plan.signed_on,
        "first_year": plan.first_year,
        "last_year": plan.last_year,
        "unit": {"code": plan.unit.code, "name": plan.unit.name},
    }


def _target(result, trend, unit):
    target, measurement = result.target, result.measurement
    requirement = target.requirement
    step = next_step(requirement, measurement, result.status, unit)
    return {
        "number": target.number,
        "title": target.title,
        "indicator": requirement.indicator.code,
        "comparison": requirement.comparison,
        "target_value": requirement.threshold,
        "threshold_display": requirement.threshold_display,
        "value": measurement.value,
        "status": result.status,
        "source": measurement.source,
        "as_of": measurement.as_of,
        "numerator": measurement.numerator,
        "denominator": measurement.denominator,
        "deadline": target.deadline,
        "next_step": step.text if step else None,
        "next_step_count": step.count if step else None,
        "unconfirmed": bool(result.unconfirmed),
        "unconfirmed_thresholds": [
            {"set_code": u.set_code, "code": u.code, "name": u.name}
            for u in result.unconfirmed
        ],
        "by_year": [
            {
                "year": r.year,
                "value": r.value,
                "status": r.status,
                "numerator": r.measurement.numerator,
                "denominator": r.measurement.denominator,
            }
            for r in trend
        ],
        "laggards": [
            {"code": lag.unit.code, "name": lag.unit.name, "status": lag.status}
            for lag in result.laggards
        ],
        "projection": {
            **_projection(target_projection(target, trend, result.year)),
            "method": str(PROJECTION_METHOD),
        },
        "unit_projections": [
            {"code": u.code, "name": u.name, **_projection(p)}
            for u, p in unit_projections(target, trend, result.year)
        ],
    }


def _projection(projection):
    return {
        "status": projection.status,
        "label": str(projection.word),
        "deadline_year": projection.deadline_year,
        "value": projection.value,
        "slope": projection.slope,
        "years": [year for year, _value in projection.points],
    }


# -- key tasks and budget lines (district staff) ------------------------------
#
# The plan itself is public; its tasks are read by staff role holders, its
# budget by district staff, as on the pages (403 otherwise: the plan is no
# secret). Progress updates and budget lines go through the page forms and
# services: the lead office reports progress, the Finance office the budget.

STAFF = api_auth("plans")


class Invalid(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class TaskUpdateOut(Schema):
    date: datetime.date
    progress: int
    status: str
    text: str
    author: str
    has_evidence: bool


class TaskOut(Schema):
    number: str
    title: str
    lead_office: str
    lead_office_label: str
    cooperating_offices: list[str]
    cooperating_others: str
    deadline: datetime.date
    status: str
    status_label: str
    progress: int
    is_overdue: bool
    note: str


class TaskDetailOut(TaskOut):
    updates: list[TaskUpdateOut]


class TaskPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[TaskOut]


class TaskUpdateIn(Schema):
    date: datetime.date
    progress: int
    status: str
    text: str = Field(max_length=4000)


class BudgetLineOut(Schema):
    id: int
    task: str
    year: int
    source: str
    source_label: str
    allocated: Decimal
    disbursed: Decimal
    over_disbursed: bool
    note: str


class BudgetPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[BudgetLineOut]


class BudgetLineIn(Schema):
    task: str | None = None
    year: int | None = None
    source: str | None = None
    allocated: Decimal | None = None
    disbursed: Decimal | None = None
    note: str | None = None


def _plan_or_404(code):
    plan = Plan.objects.select_related("unit").filter(code=code).first()
    if plan is None:
        raise HttpError(404, _("Không có kế hoạch mã %s.") % code)
    return plan


def _task_out(task):
    return {
        "number": task.number,
        "title": task.title,
        "lead_office": task.lead_office,
        "lead_office_label": str(task.get_lead_office_display()),
        "cooperating_offices": list(task.cooperating_offices),
        "cooperating_others": task.cooperating_others,
        "deadline": task.deadline,
        "status": task.status,
        "status_label": str(task.get_status_display()),
        "progress": task.progress,
        "is_overdue": task.is_overdue,
        "note": task.note,
    }


def _line_out(line):
    return {
        "id": line.pk,
        "task": line.task.number,
        "year": line.year,
        "source": line.source,
        "source_label": str(line.get_source_display()),
        "allocated": line.allocated,
        "disbursed": line.disbursed,
        "over_disbursed": line.over_disbursed,
        "note": line.note,
    }


def _invalid(form):
    errors = {
        field: [str(m) for m in messages] for field, messages in form.errors.items()
    }
    return {"detail": _("Dữ liệu chưa hợp lệ."), "errors": errors}


@router.get(
    "/{code}/tasks",
    response={200: TaskPage, 403: ErrorOut, 404: ErrorOut},
    auth=STAFF,
    summary="Nhiệm vụ trọng tâm của kế hoạch (lọc theo tình trạng, cơ quan chủ trì)",
)
def task_list(
    request,
    code: str,
    status: str | None = Query(None, description="Tình trạng nhiệm vụ"),
    office: str | None = Query(None, description="Mã cơ quan chủ trì"),
    overdue: bool = Query(False, description="Chỉ nhiệm vụ quá hạn"),
    page: int = PAGE,
    page_size: int = SIZE,
):
    plan = _plan_or_404(code)
    if not can_view_tasks(request.user, plan):
        raise HttpError(403, _("Bạn không có quyền xem nhiệm vụ của kế hoạch."))
    tasks = plan.tasks.order_by(Length("number"), "number")
    if status:
        tasks = tasks.filter(status=status)
    if office:
        tasks = tasks.led_by(office)
    if overdue:
        tasks = tasks.overdue()
    return page_of(tasks, page, page_size, out=_task_out)


@router.get(
    "/{code}/tasks/{number}",
    response={200: TaskDetailOut, 403: ErrorOut, 404: ErrorOut},
    auth=STAFF,
    summary="Một nhiệm vụ với các lần cập nhật tiến độ",
)
def task_detail(request, code: str, number: str):
    plan = _plan_or_404(code)
    if not can_view_tasks(request.user, plan):
        raise HttpError(403, _("Bạn không có quyền xem nhiệm vụ của kế hoạch."))
    task = get_object_or_404(plan.tasks, number=number)
    updates = task.updates.select_related("author").order_by("date", "pk")
    return {
        **_task_out(task),
        "updates": [
            {
                "date": u.date,
                "progress": u.progress,
                "status": u.status,
                "text": u.text,
                "author": str(u.author or ""),
                "has_evidence": bool(u.evidence),
            }
            for u in updates
        ],
    }


@router.post(
    "/{code}/tasks/{number}/updates",
    response={201: TaskOut, 403: ErrorOut, 404: ErrorOut, 422: Invalid},
    auth=STAFF,
    summary="Báo cáo tiến độ một nhiệm vụ (cơ quan chủ trì)",
)
def task_update_create(request, code: str, number: str, payload: TaskUpdateIn):
    plan = _plan_or_404(code)
    task = get_object_or_404(plan.tasks.select_related("plan__unit"), number=number)
    if not can_update_task(request.user, task):
        raise HttpError(403, _("Bạn không có quyền cập nhật nhiệm vụ này."))
    form = TaskUpdateForm(payload.dict())
    if not form.is_valid():
        return Status(422, _invalid(form))
    try:
        add_task_update(task, by=request.user, **form.service_fields())
    except PlanError as error:
        return Status(422, {"detail": str(error)})
    task.refresh_from_db()
    return Status(201, _task_out(task))


@router.get(
    "/{code}/budget",
    response={200: BudgetPage, 403: ErrorOut, 404: ErrorOut},
    auth=STAFF,
    summary="Dòng kinh phí theo nhiệm vụ, năm và nguồn vốn",
)
def budget_list(
    request,
    code: str,
    year: int | None = Query(None, description="Năm"),
    source: str | None = Query(None, description="Mã nguồn vốn"),
    task: str | None = Query(None, description="Số thứ tự nhiệm vụ"),
    page: int = PAGE,
    page_size: int = SIZE,
):
    plan = _plan_or_404(code)
    if not can_view_budget(request.user, plan):
        raise HttpError(403, _("Bạn không có quyền xem kinh phí của kế hoạch."))
    lines = BudgetLine.objects.filter(task__plan=plan).select_related("task")
    if year:
        lines = lines.filter(year=year)
    if source:
        lines = lines.filter(source=source)
    if task:
        lines = lines.filter(task__number=task)
    lines = lines.order_by("year", Length("task__number"), "task__number", "source")
    return page_of(lines, page, page_size, out=_line_out)


@router.post(
    "/{code}/budget",
    response={201: BudgetLineOut, 403: ErrorOut, 404: ErrorOut, 422: Invalid},
    auth=STAFF,
    summary="Thêm dòng kinh phí (Phòng Tài chính - Kế hoạch)",
)
def budget_create(request, code: str, payload: BudgetLineIn):
    plan = _plan_or_404(code)
    # Unset fields take the model's defaults, as a fresh page form shows them.
    data = {"disbursed": 0, "note": "", **payload.dict(exclude_unset=True)}
    return _save_line(request, plan, None, data)


@router.patch(
    "/{code}/budget/{int:line_id}",
    response={200: BudgetLineOut, 403: ErrorOut, 404: ErrorOut, 422: Invalid},
    auth=STAFF,
    summary="Sửa dòng kinh phí",
)
def budget_update(request, code: str, line_id: int, payload: BudgetLineIn):
    plan = _plan_or_404(code)
    line = get_object_or_404(
        BudgetLine.objects.select_related("task"), task__plan=plan, pk=line_id
    )
    current = {
        "task": line.task.number,
        "year": line.year,
        "source": line.source,
        "allocated": line.allocated,
        "disbursed": line.disbursed,
        "note": line.note,
    }
    return _save_line(
        request, plan, line, {**current, **payload.dict(exclude_unset=True)}
    )


def _save_line(request, plan, line, data):
    if not can_edit_budget(request.user, plan):
        raise HttpError(403, _("Bạn không có quyền ghi kinh phí của kế hoạch."))
    data = {key: "" if value is None else value for key, value in data.items()}
    number = data.get("task")
    if number:
        found = plan.tasks.filter(number=number).values_list("pk", flat=True).first()
        data["task"] = found if found is not None else ""
    form = BudgetLineForm(data, plan=plan, instance=line)
    if not form.is_valid():
        return Status(422, _invalid(form))
    fields = form.service_fields()
    created = line is None
    try:
        if created:
            task = fields.pop("task")
            line = create_budget_line(task, by=request.user, **fields)
        else:
            update_budget_line(line, by=request.user, **fields)
    except PlanError as error:
        return Status(422, {"detail": str(error)})
    line = BudgetLine.objects.select_related("task").get(pk=line.pk)
    return Status(201 if created else 200, _line_out(line))
