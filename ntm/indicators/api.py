"""/api/v1/evaluations: does a unit meet a criteria set in a year, and why;
/api/v1/indicators: criteria sets, indicators and entered values (``records``).

Public and aggregate only: values, thresholds, statuses and, for entered
values, the full name of whoever approved them — never a household or a
phone number. A unit code is read on 31/12 of the year, because codes are
reused across reorganisations (20515 is Xã Đại Đồng in 2024, Xã Hà Nha in
2026). The number of queries does not grow with the number of units.
"""

import datetime
from decimal import Decimal

from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from ntm.accounts.apiauth import api_auth
from ntm.core.apipages import PAGE, SIZE, page_of
from ntm.core.publiccache import shared_page
from ntm.units.api import ON, day_of
from ntm.units.models import Unit, today
from ntm.units.queries import get_unit
from ntm.units.scope import covers

from .evaluation import STATUSES, Context, evaluate
from .evaluation.gaps import next_step
from .models import (
    CriteriaSet,
    Criterion,
    Indicator,
    IndicatorValue,
    Period,
    Requirement,
)
from .permissions import can_enter_value, can_review_value
from .services import (
    WorkflowError,
    approve_value,
    return_value,
    save_value,
    submit_value,
)

router = Router(tags=["evaluations"])

FIRST_YEAR, LAST_YEAR = 2000, 2100
# Declared as text so that a bad year gets a Vietnamese 422, not pydantic's.
YEAR = Query(
    None,
    description="Năm đánh giá, YYYY; mặc định năm nay.",
    example="2024",
)


class ErrorOut(Schema):
    detail: str


class UnitRef(Schema):
    code: str
    name: str
    level: str


class SetRef(Schema):
    code: str
    version: int
    name: str


class PeriodStateOut(Schema):
    """Whether the year's figures are frozen: open, closed (every figure
    frozen) or reopened (being corrected; the last reopening's reason stays
    after it is closed again). ``Period.state()``."""

    status: str
    closed_at: datetime.datetime | None
    reopened_at: datetime.datetime | None
    reopen_reason: str


class PeriodOut(PeriodStateOut):
    code: str
    start: datetime.date
    end: datetime.date
    live: bool  # computed values from today's records, not a frozen snapshot


class CountsOut(Schema):
    met: int
    not_met: int
    no_data: int
    not_applicable: int = 0  # a share of nothing: blocks nothing


class NextStepOut(Schema):
    """The smallest change that meets a missed requirement."""

    kind: str  # more, fewer (a ceiling), reach (yes/no, entered values)
    count: int | None  # how many more (or fewer) records or units
    noun: str
    text: str


class RequirementOut(Schema):
    code: str
    name: str
    indicator: str
    comparison: str
    threshold: float | None
    threshold_display: str
    variant: str
    confirmed: bool
    unconfirmed: bool
    value: float | None
    status: str
    source: str
    as_of: datetime.datetime | None
    numerator: float | None
    denominator: float | None
    detail: str
    approved_by: list[str]
    pending: int  # entered values waiting for approval (never counted)
    next_step: NextStepOut | None  # only when not met


class CriterionOut(Schema):
    number: str
    name: str
    status: str
    requirements: list[RequirementOut]


class EvaluationOut(Schema):
    unit: UnitRef
    set: SetRef
    period: PeriodOut
    status: str
    counts: CountsOut
    criteria: list[CriterionOut]


class CriterionHead(Schema):
    number: str
    name: str


class CriterionStatus(Schema):
    number: str
    status: str


class ChildOut(Schema):
    code: str
    name: str
    level: str
    status: str
    counts: CountsOut
    criteria: list[CriterionStatus]


class MatrixOut(Schema):
    unit: UnitRef
    set: SetRef
    period: PeriodOut
    criteria: list[CriterionHead]
    counts: CountsOut  # children by status
    children: list[ChildOut]


@router.get(
    "/{set_code}/{unit_code}",
    response={200: EvaluationOut, 404: ErrorOut, 422: ErrorOut},
    summary="One unit against a criteria set in a year",
)
@decorate_view(shared_page)
def unit_evaluation(
    request,
    set_code: str,
    unit_code: str,
    year: str | None = YEAR,
    on: str | None = ON,
):
    period = _period(year, on)
    criteria_set = _criteria_set(set_code, period)
    unit = _unit(unit_code, period)
    context = Context(period, within=[unit])
    evaluation = evaluate(criteria_set, [unit], period, context)[unit.pk]
    return {
        "unit": _unit_ref(unit),
        "set": criteria_set,
        "period": _period_out(period, context),
        "status": evaluation.status,
        "counts": evaluation.counts(),
        "criteria": [
            {
                "number": result.criterion.number,
                "name": result.criterion.name,
                "status": result.status,
                "requirements": [_requirement(r, unit) for r in result.results],
            }
            for result in evaluation.criteria
        ],
    }


@router.get(
    "/{set_code}/{unit_code}/children",
    response={200: MatrixOut, 404: ErrorOut, 422: ErrorOut},
    summary="The units directly below a unit against a criteria set in a year",
)
@decorate_view(shared_page)
def children_evaluation(
    request,
    set_code: str,
    unit_code: str,
    year: str | None = YEAR,
    on: str | None = ON,
):
    period = _period(year, on)
    criteria_set = _criteria_set(set_code, period)
    unit = _unit(unit_code, period)
    # Children no deeper than the set's level: communes of a district (or of
    # the city since 2025), villages of a commune.
    children = list(
        Unit.objects.valid_on(period.reference_day)
        .filter(parent=unit, level__lte=criteria_set.level)
        .defer("boundary")
        .order_by("path")
    )
    context = Context(period, within=[unit])
    evaluations = evaluate(criteria_set, children, period, context)
    criteria = list(criteria_set.criteria.all())
    tally = dict.fromkeys(STATUSES, 0)
    rows = []
    for child in children:
        evaluation = evaluations[child.pk]
        tally[evaluation.status] += 1
        rows.append(
            {
                **_unit_ref(child),
                "status": evaluation.status,
                "counts": evaluation.counts(),
                "criteria": [
                    {"number": c.criterion.number, "status": c.status}
                    for c in evaluation.criteria
                ],
            }
        )
    return {
        "unit": _unit_ref(unit),
        "set": criteria_set,
        "period": _period_out(period, context),
        "criteria": [{"number": c.number, "name": c.name} for c in criteria],
        "counts": tally,
        "children": rows,
    }


def _period(year, on=None):
    """The year asked for, else the year of ``on`` (the platform as of a
    day: that day's units and that year's figures), else this year."""
    if not year:
        return Period.year(day_of(on).year)
    if not year.isdigit() or not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise HttpError(
            422,
            _("Năm không hợp lệ: “%(year)s”. Dùng năm từ %(first)d đến %(last)d.")
            % {"year": year, "first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return Period.year(int(year))


def _criteria_set(code, period):
    versions = CriteriaSet.objects.filter(code=code).order_by("-version")
    year = period.start.year
    found = versions.for_year(year).first()
    if found is not None:
        return found
    if not versions.exists():
        raise HttpError(404, _("Không có bộ tiêu chí mã %s.") % code)
    raise HttpError(
        404,
        _("Bộ tiêu chí %(code)s không áp dụng cho năm %(year)d.")
        % {"code": code, "year": year},
    )


def _unit(code, period):
    queryset = Unit.objects.defer("boundary")
    return get_unit(code, on=period.reference_day, queryset=queryset)


def _unit_ref(unit):
    return {"code": unit.code, "name": unit.name, "level": unit.level_key}


def _period_out(period, context):
    return {
        "code": period.code,
        "start": period.start,
        "end": period.end,
        "live": context.live,
        **period.state(),
    }


def _requirement(result, unit):
    requirement, measurement = result.requirement, result.measurement
    entered = measurement.source == Indicator.Source.ENTERED
    approvers = []
    if entered:
        for entry in measurement.entries:
            name = entry.reviewed_by.full_name if entry.reviewed_by else ""
            if name and name not in approvers:
                approvers.append(name)
    return {
        "code": requirement.code,
        "name": requirement.name,
        "indicator": requirement.indicator.code,
        "comparison": requirement.comparison,
        "threshold": requirement.threshold,
        "threshold_display": requirement.threshold_display,
        "variant": requirement.variant,
        "confirmed": requirement.confirmed,
        "unconfirmed": not requirement.confirmed,
        "value": measurement.value,
        "status": result.status,
        "source": measurement.source,
        "as_of": measurement.as_of,
        "numerator": measurement.numerator,
        "denominator": measurement.denominator,
        "detail": measurement.detail,
        "approved_by": approvers,
        "pending": len(measurement.pending),
        "next_step": _next_step(result, unit),
    }


def _next_step(result, unit):
    step = next_step(result.requirement, result.measurement, result.status, unit)
    if step is None:
        return None
    return {
        "kind": step.kind,
        "count": step.count,
        "noun": step.noun,
        "text": step.text,
    }


# -- /api/v1/indicators: criteria sets, indicators and entered values ---------
#
# Criteria sets and indicators are public (they are published law). Entered
# values are read by whoever holds a role on their unit or above, and
# written through the same services as the entry and review pages: a value
# outside the caller's units answers 404, a unit they see but may not enter
# for answers 403, a state that does not allow the step 409.

records = Router(tags=["indicators"], auth=api_auth("indicators", optional=True))
WRITE = api_auth("indicators")
LEVEL_KEYS = {level.name.lower(): level for level in Unit.Level}


class IndicatorOut(Schema):
    code: str
    name: str
    measure: str
    level: str
    source: str
    aggregation: str

    @staticmethod
    def resolve_level(indicator):
        return Unit.Level(indicator.level).name.lower()


class RequirementDef(Schema):
    code: str
    name: str
    indicator: IndicatorOut
    comparison: str
    threshold: Decimal | None
    threshold_display: str
    variant: str
    confirmed: bool
    unconfirmed: bool
    source: str
    note: str

    @staticmethod
    def resolve_unconfirmed(requirement):
        return not requirement.confirmed


class CriterionWithRequirements(Schema):
    number: str
    name: str
    requirements: list[RequirementDef]


class CriteriaSetOut(Schema):
    code: str
    version: int
    name: str
    level: str
    decision: str
    first_year: int | None
    last_year: int | None
    is_active: bool
    unconfirmed: int  # requirements whose threshold is not verified yet
    criteria: list[CriterionWithRequirements]

    @staticmethod
    def resolve_level(criteria_set):
        return Unit.Level(criteria_set.level).name.lower()

    @staticmethod
    def resolve_unconfirmed(criteria_set):
        return sum(
            not requirement.confirmed
            for criterion in criteria_set.criteria.all()
            for requirement in criterion.requirements.all()
        )


class CriteriaSetPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[CriteriaSetOut]


class IndicatorPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[IndicatorOut]


class ValueOut(Schema):
    id: int
    indicator: str
    unit: UnitRef
    period: str
    value: Decimal | None
    note: str
    status: str
    status_label: str
    entered_by: str
    submitted_by: str
    submitted_at: datetime.datetime | None
    reviewed_by: str
    reviewed_at: datetime.datetime | None
    review_note: str
    evidence: int
    updated_at: datetime.datetime


class ValuePage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[ValueOut]


class ValueIn(Schema):
    indicator: str
    unit: str
    period: str = Field(description="Năm, YYYY", examples=["2024"])
    value: Decimal | None = None
    note: str = Field("", max_length=4000)


class ReasonIn(Schema):
    reason: str = Field(max_length=2000)


def _sets():
    return CriteriaSet.objects.prefetch_related(
        Prefetch(
            "criteria",
            Criterion.objects.prefetch_related(
                Prefetch(
                    "requirements",
                    Requirement.objects.select_related("indicator"),
                )
            ),
        )
    )


def _level(text):
    if text not in LEVEL_KEYS:
        raise HttpError(
            422,
            _("Cấp không hợp lệ: “%(level)s”. Dùng một trong: %(choices)s.")
            % {"level": text, "choices": ", ".join(LEVEL_KEYS)},
        )
    return LEVEL_KEYS[text]


@records.get(
    "/criteria-sets",
    response={200: CriteriaSetPage, 422: ErrorOut},
    summary="Bộ tiêu chí, với tiêu chí, chỉ tiêu, ngưỡng và cờ chưa xác minh",
)
def list_criteria_sets(
    request,
    level: str | None = Query(None, description="province, district, commune, village"),
    year: str | None = Query(None, description="Bộ áp dụng cho năm YYYY"),
    active: bool | None = Query(None, description="Chỉ bộ đang dùng (true)"),
    page: int = PAGE,
    page_size: int = SIZE,
):
    sets = _sets()
    if level:
        sets = sets.filter(level=_level(level))
    if year:
        sets = sets.for_year(_period(year).start.year)
    if active is not None:
        sets = sets.filter(is_active=active)
    return page_of(sets.order_by("level", "code", "-version"), page, page_size)


@records.get(
    "/criteria-sets/{code}/{int:version}",
    response={200: CriteriaSetOut, 404: ErrorOut},
    summary="Một phiên bản bộ tiêu chí",
)
def get_criteria_set(request, code: str, version: int):
    return get_object_or_404(_sets(), code=code, version=version)


@records.get(
    "",
    response={200: IndicatorPage, 422: ErrorOut},
    summary="Chỉ tiêu (mã, đơn vị tính, cấp, nguồn số liệu)",
)
def list_indicators(
    request,
    level: str | None = Query(None, description="province, district, commune, village"),
    source: str | None = Query(None, description="entered, computed hoặc rollup"),
    page: int = PAGE,
    page_size: int = SIZE,
):
    indicators = Indicator.objects.order_by("code")
    if level:
        indicators = indicators.filter(level=_level(level))
    if source:
        indicators = indicators.filter(source=source)
    return page_of(indicators, page, page_size)


@records.get(
    "/values",
    response={200: ValuePage, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=api_auth("indicators"),
    summary="Giá trị chỉ tiêu nhập tay, trong các đơn vị của người gọi",
)
def list_values(
    request,
    unit: str | None = Query(None, description="Mã đơn vị: đơn vị đó và cấp dưới"),
    period: str | None = Query(None, description="Năm, YYYY"),
    indicator: str | None = Query(None, description="Mã chỉ tiêu"),
    state: str | None = Query(None, description="draft, submitted, approved, returned"),
    page: int = PAGE,
    page_size: int = SIZE,
):
    values = _visible_values(request)
    if period:
        values = values.filter(period=_period(period))
    if unit:
        day = _period(period).reference_day if period else today()
        found = get_unit(unit, on=day, queryset=Unit.objects.defer("boundary"))
        if not covers(request.user.paths(), found, lineage=True):
            raise Http404
        values = values.within(found, lineage=True)
    if indicator:
        values = values.filter(indicator__code=indicator)
    if state:
        if state not in IndicatorValue.Status.values:
            raise HttpError(
                422,
                _("Trạng thái không hợp lệ: “%(state)s”. Dùng một trong: %(all)s.")
                % {"state": state, "all": ", ".join(IndicatorValue.Status.values)},
            )
        values = values.filter(status=state)
    return page_of(values, page, page_size, out=_value_out)


@records.get(
    "/values/{int:value_id}",
    response={200: ValueOut, 401: ErrorOut, 404: ErrorOut},
    auth=api_auth("indicators"),
    summary="Một giá trị chỉ tiêu nhập tay",
)
def get_value(request, value_id: int):
    return _value_out(get_object_or_404(_visible_values(request), pk=value_id))


@records.put(
    "/values",
    response={200: ValueOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=WRITE,
    summary="Nhập hoặc sửa giá trị (nháp hoặc bị trả lại) của một đơn vị, một kỳ",
)
def put_value(request, payload: ValueIn):
    period = _period(payload.period)
    unit = get_unit(
        payload.unit, on=period.reference_day, queryset=Unit.objects.defer("boundary")
    )
    if not can_enter_value(request.user, unit):
        raise HttpError(403, _("Bạn không có quyền nhập giá trị cho đơn vị này."))
    indicator = get_object_or_404(Indicator, code=payload.indicator)
    try:
        entry = save_value(
            indicator=indicator,
            unit=unit,
            period=period,
            value=payload.value,
            note=payload.note,
            by=request.user,
        )
    except WorkflowError as error:
        raise HttpError(422, str(error)) from error
    return _value_out(_reloaded(entry))


@records.post(
    "/values/{int:value_id}/submit",
    response={200: ValueOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=WRITE,
    summary="Gửi duyệt một giá trị",
)
def submit(request, value_id: int):
    entry = get_object_or_404(_visible_values(request), pk=value_id)
    if not can_enter_value(request.user, entry.unit):
        raise HttpError(403, _("Bạn không có quyền gửi duyệt giá trị này."))
    return _step(submit_value, entry, by=request.user)


@records.post(
    "/values/{int:value_id}/approve",
    response={200: ValueOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=WRITE,
    summary="Duyệt một giá trị đang chờ duyệt (người khác người gửi)",
)
def approve(request, value_id: int):
    entry = get_object_or_404(_visible_values(request), pk=value_id)
    if not can_review_value(request.user, entry):
        raise HttpError(403, _("Bạn không có quyền duyệt giá trị này."))
    return _step(approve_value, entry, by=request.user)


@records.post(
    "/values/{int:value_id}/return",
    response={200: ValueOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=WRITE,
    summary="Trả lại một giá trị để sửa, có lý do",
)
def send_back(request, value_id: int, payload: ReasonIn):
    entry = get_object_or_404(_visible_values(request), pk=value_id)
    if not can_review_value(request.user, entry):
        raise HttpError(403, _("Bạn không có quyền trả lại giá trị này."))
    return _step(return_value, entry, by=request.user, reason=payload.reason)


def _visible_values(request):
    return (
        IndicatorValue.objects.within_any(request.user.paths(), lineage=True)
        .select_related(
            "indicator", "unit", "period", "entered_by", "submitted_by", "reviewed_by"
        )
        .annotate(evidence_count=Count("evidence"))
        .order_by("period__start", "indicator__code", "unit__path", "pk")
    )


def _reloaded(entry):
    return (
        IndicatorValue.objects.select_related(
            "indicator", "unit", "period", "entered_by", "submitted_by", "reviewed_by"
        )
        .annotate(evidence_count=Count("evidence"))
        .get(pk=entry.pk)
    )


def _step(service, entry, **kwargs):
    try:
        service(entry, **kwargs)
    except WorkflowError as error:
        raise HttpError(409, str(error)) from error
    return _value_out(_reloaded(entry))


def _name(user):
    return (user.full_name or user.username) if user else ""


def _value_out(entry):
    return {
        "id": entry.pk,
        "indicator": entry.indicator.code,
        "unit": _unit_ref(entry.unit),
        "period": entry.period.code,
        "value": entry.value,
        "note": entry.note,
        "status": entry.status,
        "status_label": str(entry.get_status_display()),
        "entered_by": _name(entry.entered_by),
        "submitted_by": _name(entry.submitted_by),
        "submitted_at": entry.submitted_at,
        "reviewed_by": _name(entry.reviewed_by),
        "reviewed_at": entry.reviewed_at,
        "review_note": entry.review_note,
        "evidence": entry.evidence_count,
        "updated_at": entry.updated_at,
    }
