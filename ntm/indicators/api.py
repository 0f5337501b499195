"""/api/v1/evaluations: does a unit meet a criteria set in a year, and why.

Public and aggregate only: values, thresholds, statuses and, for entered
values, the full name of whoever approved them — never a household or a
phone number. A unit code is read on 31/12 of the year, because codes are
reused across reorganisations (20515 is Xã Đại Đồng in 2024, Xã Hà Nha in
2026). The number of queries does not grow with the number of units.
"""

import datetime

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from ntm.units.models import Unit, today
from ntm.units.queries import get_unit

from .evaluation import MET, NO_DATA, NOT_MET, Context, evaluate
from .models import CriteriaSet, Indicator, Period

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


class PeriodOut(Schema):
    code: str
    start: datetime.date
    end: datetime.date
    live: bool  # computed values from today's records, not a frozen snapshot


class CountsOut(Schema):
    met: int
    not_met: int
    no_data: int


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
def unit_evaluation(request, set_code: str, unit_code: str, year: str | None = YEAR):
    period = _period(year)
    criteria_set = _criteria_set(set_code, period)
    unit = _unit(unit_code, period)
    context = Context(period)
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
                "requirements": [_requirement(r) for r in result.results],
            }
            for result in evaluation.criteria
        ],
    }


@router.get(
    "/{set_code}/{unit_code}/children",
    response={200: MatrixOut, 404: ErrorOut, 422: ErrorOut},
    summary="The units directly below a unit against a criteria set in a year",
)
def children_evaluation(
    request, set_code: str, unit_code: str, year: str | None = YEAR
):
    period = _period(year)
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
    context = Context(period)
    evaluations = evaluate(criteria_set, children, period, context)
    criteria = list(criteria_set.criteria.all())
    tally = {MET: 0, NOT_MET: 0, NO_DATA: 0}
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


def _period(year):
    if not year:
        return Period.year(today().year)
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
    }


def _requirement(result):
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
    }
