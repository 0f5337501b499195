"""/api/v1/plans: where a plan stands on each target, year by year.

Public and aggregate only: values, thresholds, statuses and the codes and
names of lagging administrative units — never a person. Every figure is the
engine's (``ntm.plans.progress``); one engine Context per year is shared by
all targets, so the number of queries does not grow with the targets.
"""

import datetime

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from .models import Plan
from .progress import latest_year_with_data, plan_results

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
    by_year: list[YearOut]
    laggards: list[LaggardOut]


class ProgressOut(Schema):
    plan: PlanOut
    year: int
    targets: list[TargetOut]


@router.get("", response=list[PlanOut], summary="Plans whose targets are tracked")
def plan_list(request):
    return [_plan(plan) for plan in Plan.objects.select_related("unit")]


@router.get(
    "/{code}/targets",
    response={200: ProgressOut, 404: ErrorOut, 422: ErrorOut},
    summary="Each target of a plan in a year, with its trend and laggards",
)
def plan_targets(request, code: str, year: str | None = YEAR):
    plan = Plan.objects.select_related("unit").filter(code=code).first()
    if plan is None:
        raise HttpError(404, _("Không có kế hoạch mã %s.") % code)
    chosen = _year(year, plan)
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
        "targets": [_target(r, trends[r.target.pk]) for r in by_year[chosen]],
    }


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


def _target(result, trend):
    target, measurement = result.target, result.measurement
    requirement = target.requirement
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
    }
