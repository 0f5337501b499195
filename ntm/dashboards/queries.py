"""Reads for the home page and the plan dashboard.

The home page counts records; the plan dashboard reads the engine.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from ntm.households.history import households_on
from ntm.indicators.evaluation import (
    MET,
    NO_DATA,
    NOT_MET,
    Context,
    evaluate,
    measure,
    rollup_status,
)
from ntm.indicators.models import Indicator, Period
from ntm.indicators.templatetags.scorecards import measure_value
from ntm.plans.models import Plan
from ntm.plans.progress import target_results, whole_target_counts
from ntm.plans.projection import target_projection, unit_projections
from ntm.units.geojson import unit_feature
from ntm.units.models import Unit, today, valid_on_q


def area_summary(day=None):
    """Communes of ``day`` (today by default) with their villages and the
    households of the register that day, in three queries."""
    day = day or today()
    villages_then = Q(children__level=Unit.Level.VILLAGE) & valid_on_q(day, "children")
    communes = list(
        Unit.objects.valid_on(day)
        .communes()
        .annotate(villages=Count("children", filter=villages_then))
        .order_by("code")
    )
    households = dict(
        households_on(day)
        .order_by()
        .values_list("village__parent_id")
        .annotate(n=Count("id"))
    )
    for commune in communes:
        commune.household_count = households.get(commune.pk, 0)
    return {
        "communes": communes,
        "village_count": sum(c.villages for c in communes),
        "household_count": sum(c.household_count for c in communes),
        "former_commune_count": Unit.objects.communes()
        .filter(valid_to__isnull=False, valid_to__lt=day)
        .count(),
        "day": day,
        "is_today": day == today(),
    }


# -- The plan, live -----------------------------------------------------------
# Every figure below comes from the engine (ntm.plans.progress over
# ntm.indicators.evaluation); these functions only pick, group and label.

# Laggards of targets that are not roll-ups are communes: their scorecard is
# the national commune set's.
COMMUNE_SET = "XA_NTM_2021_2025"


@dataclass
class TargetRow:
    """One target on the dashboard: the chosen year's result and the trend."""

    target: object
    result: object  # TargetResult of the chosen year
    trend: list  # TargetResult per plan year, oldest first

    @property
    def laggards(self):
        return self.result.laggards

    @property
    def scorecard_set(self):
        return scorecard_set_code(self.target)

    @property
    def projection(self):
        """The trend to the deadline, seen from the chosen year."""
        return target_projection(self.target, self.trend, self.result.year)

    @property
    def unit_projections(self):
        return unit_projections(self.target, self.trend, self.result.year)


def current_plan(code=None):
    plans = Plan.objects.select_related("unit")
    return plans.filter(code=code).first() if code else plans.first()


def target_rows(plan, by_year, year):
    """[TargetRow] in the plan's order for ``year``."""
    trends = {}
    for y in sorted(by_year):
        for result in by_year[y]:
            trends.setdefault(result.target.pk, []).append(result)
    return [
        TargetRow(result.target, result, trends[result.target.pk])
        for result in by_year[year]
    ]


def status_counts(rows):
    """The plan's numbered targets (12) by status, and their parts (17)."""
    return whole_target_counts([row.result for row in rows])


def scorecard_set_code(target):
    """The set whose scorecard explains a lagging unit of ``target``."""
    indicator = target.indicator
    if indicator.source == Indicator.Source.ROLLUP and indicator.rollup_set_id:
        return indicator.rollup_set.code
    return COMMUNE_SET


def plan_area_communes(plan, context):
    """Communes (and thị trấn) of the plan's area that exist in the period:
    the 18 of 2023–2024, the five communes formed on 01/07/2025 for 2025."""
    return context.units_within(plan.unit, Unit.Level.COMMUNE)


def map_for_target(plan, target, year):
    """GeoJSON FeatureCollection: each commune's status on ``target``.

    Roll-ups colour the communes the engine counted (others, such as a thị
    trấn, are "not counted"); computed shares colour each commune by its own
    value against the target; targets measured only for the whole area (a
    district indicator) colour the area itself.
    """
    context = Context(Period.year(year))
    result = next(
        r for r in target_results(plan, year, context=context) if r.target == target
    )
    indicator = target.indicator
    lagging = {lag.unit.pk: lag for lag in result.laggards}
    set_code = scorecard_set_code(target)
    if result.measurement.children:
        children = {child.unit.pk: child for child in result.measurement.children}
        rows = []
        for unit in plan_area_communes(plan, context):
            child = children.get(unit.pk)
            if child is None:
                rows.append((unit, EXCLUDED, "", None))
                continue
            found = child.result_for(indicator.rollup_requirement)
            value = (
                measure_value(found.value, found.requirement.indicator) if found else ""
            )
            rows.append((unit, rollup_status(child, indicator), value, set_code))
        return _collection(rows, year, scope="communes")
    if indicator.source == Indicator.Source.COMPUTED and target.lagging_level:
        communes = context.units_within(plan.unit, target.lagging_level)
        values = measure(indicator, communes, context)
        rows = [
            (
                unit,
                lagging[unit.pk].status if unit.pk in lagging else MET,
                measure_value(values[unit.pk].value, indicator),
                set_code,
            )
            for unit in communes
        ]
        return _collection(rows, year, scope="communes")
    rows = [(plan.unit, result.status, measure_value(result.value, indicator), None)]
    return _collection(rows, year, scope="area")


def map_for_criterion(plan, criteria_set, number, year):
    """GeoJSON FeatureCollection: each commune's status on one criterion."""
    period = Period.year(year)
    context = Context(period)
    communes = plan_area_communes(plan, context)
    evaluations = evaluate(criteria_set, communes, period, context)
    rows = []
    for unit in communes:
        criterion = evaluations[unit.pk].criterion(number)
        if criterion is None:
            rows.append((unit, NO_DATA, "", criteria_set.code))
            continue
        value = "; ".join(
            f"{r.requirement.code}: {measure_value(r.value, r.requirement.indicator)}"
            for r in criterion.results
        )
        rows.append((unit, criterion.status, value, criteria_set.code))
    return _collection(rows, year, scope="communes")


EXCLUDED = "excluded"


def _collection(rows, year, *, scope):
    """Features with geometry read in one query (the engine defers it)."""
    shapes = dict(
        Unit.objects.filter(pk__in=[unit.pk for unit, *_rest in rows]).values_list(
            "pk", "boundary"
        )
    )
    features = []
    for unit, status, value, set_code in rows:
        unit.boundary = shapes.get(unit.pk)
        feature = unit_feature(unit)
        scorecard = ""
        if set_code:
            scorecard = (
                reverse("indicators:evaluation-detail", args=[set_code, unit.code])
                + f"?nam={year}"
            )
        feature["properties"].update(
            {
                "status": status,
                "status_text": str(STATUS_TEXT[status]),
                "value": value,
                "scorecard_url": scorecard,
            }
        )
        features.append(feature)
    return {
        "type": "FeatureCollection",
        "properties": {
            "year": year,
            "scope": scope,
            "approximate": any(
                f["properties"]["approximate"] for f in features if f["geometry"]
            ),
        },
        "features": features,
    }


STATUS_TEXT = {
    MET: gettext_lazy("Đạt"),
    NOT_MET: gettext_lazy("Chưa đạt"),
    NO_DATA: gettext_lazy("Chưa có số liệu"),
    EXCLUDED: gettext_lazy("Không tính vào mục tiêu"),
}
