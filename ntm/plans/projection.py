"""Will the deadline be met: each target's yearly trend carried to its deadline.

The method, stated on every page that shows a projection: the least-squares
line through the last three years that have a value (two at least), up to
the year being looked at, read at the deadline's year. A percentage is kept
within 0–100 % and a count at zero or more, since a straight line does not
know those bounds. Then:

- on track: the projected value meets the target;
- at risk: it does not, but the trend moves towards the target at half or
  more of the yearly pace still needed from the last value;
- off track: slower than that, flat, or moving away;
- too little history: fewer than two years with a value; nothing is guessed.

A yes/no target (a commune is smart or not) has no line to extend and is not
projected. Once the year being looked at reaches the deadline's, the figure
of that year is the answer and no projection is made.

Only yearly figures are projected: the engine measures targets per year, so
there is no monthly series to fit.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from ntm.indicators.models import Indicator, Requirement

# How many of the latest years with a value the line is fitted to.
LAST_PERIODS = 3
# The trend's share of the pace still needed below which a missed target is
# off track rather than at risk.
AT_RISK_PACE = Decimal("0.5")

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
TOO_SHORT = "too_short"
NOT_PROJECTED = "not_projected"
DUE = "due"  # the deadline's year is reached: its figure answers

WORDS = {
    ON_TRACK: _("Đúng tiến độ"),
    AT_RISK: _("Có nguy cơ không đạt"),
    OFF_TRACK: _("Chệch hướng, không đạt nếu giữ xu hướng"),
    TOO_SHORT: _("Chưa đủ số liệu để dự báo"),
    NOT_PROJECTED: _("Chỉ tiêu đạt / không đạt, không dự báo theo xu hướng"),
    DUE: _("Đã đến hạn"),
}

METHOD = _(
    "Đường xu hướng tuyến tính (bình phương tối thiểu) qua tối đa 3 năm gần nhất "
    "có số liệu, tính đến năm hạn; tỷ lệ giữ trong 0–100 %. Đúng tiến độ: giá trị "
    "dự báo đạt mục tiêu; có nguy cơ: chưa đạt nhưng xu hướng tăng bằng từ một nửa "
    "tốc độ còn cần trở lên; chệch hướng: chậm hơn, đứng yên hoặc đi ngược. Cần ít "
    "nhất 2 năm có số liệu."
)


@dataclass(frozen=True)
class Projection:
    status: str
    deadline_year: int
    # The value the line reaches in the deadline's year (None if not projected).
    value: Decimal | None = None
    # Change per year along the line.
    slope: Decimal | None = None
    # The (year, value) pairs the line was fitted to, oldest first.
    points: tuple = field(default_factory=tuple)

    @property
    def shown(self):
        """The projected value to two decimals, as the engine shows figures."""
        return None if self.value is None else self.value.quantize(Decimal("0.01"))

    @property
    def is_due(self):
        return self.status == DUE

    @property
    def word(self):
        return WORDS[self.status]

    @property
    def years_text(self):
        return "–".join(str(year) for year in (self.points[0][0], self.points[-1][0]))


def project(requirement, series, *, deadline_year, as_of_year):
    """The ``Projection`` of ``series`` ([(year, value or None)]) to the deadline,
    seen from ``as_of_year`` (later years are not known yet)."""
    if as_of_year >= deadline_year:
        return Projection(DUE, deadline_year)
    if requirement.comparison == Requirement.Comparison.TRUE:
        return Projection(NOT_PROJECTED, deadline_year)
    points = tuple(
        (year, Decimal(value))
        for year, value in sorted(series)
        if year <= as_of_year and value is not None
    )[-LAST_PERIODS:]
    if len(points) < 2:
        return Projection(TOO_SHORT, deadline_year, points=points)
    slope, intercept = _line(points)
    value = _bounded(intercept + slope * deadline_year, requirement.indicator)
    if requirement.is_met_by(value):
        status = ON_TRACK
    else:
        status = _missed(requirement, points[-1], slope, deadline_year)
    return Projection(status, deadline_year, value, slope, points)


def _line(points):
    """Least-squares slope and intercept, exact in Decimal."""
    n = Decimal(len(points))
    mean_x = sum(Decimal(x) for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((Decimal(x) - mean_x) ** 2 for x, _ in points)
    slope = sum((Decimal(x) - mean_x) * (y - mean_y) for x, y in points) / spread
    return slope, mean_y - slope * mean_x


def _bounded(value, indicator):
    if value < 0:
        value = Decimal(0)
    if indicator.measure == Indicator.Measure.PERCENT and value > 100:
        value = Decimal(100)
    return value


def _missed(requirement, last, slope, deadline_year):
    last_year, last_value = last
    # +1 when the target is a floor (≥, >), -1 a ceiling (≤, <), and for "="
    # the side the last value is on.
    toward = {"gte": 1, "gt": 1, "lte": -1, "lt": -1}.get(
        requirement.comparison, 1 if requirement.threshold > last_value else -1
    )
    still_needed = toward * (requirement.threshold - last_value)
    pace = toward * slope
    # Met today but carried out by the trend, flat, or moving away: off track.
    if still_needed <= 0 or pace <= 0:
        return OFF_TRACK
    per_year = still_needed / (deadline_year - last_year)
    return AT_RISK if pace / per_year >= AT_RISK_PACE else OFF_TRACK


def target_projection(target, trend, as_of_year):
    """The plan-level ``Projection`` of a target from its yearly results."""
    return project(
        target.requirement,
        # Unrounded, as verdicts compare: 99,996 % is not 100 %.
        [(r.year, _compared(r.measurement)) for r in trend],
        deadline_year=target.deadline.year,
        as_of_year=as_of_year,
    )


def unit_projections(target, trend, as_of_year):
    """[(unit, Projection)] for each unit the target is measured at, by name.

    Read from the units' own values kept with each year's result (computed
    shares measured per unit); a unit that existed for one year only (the
    communes merged on 01/07/2025) has too little history and says so.
    """
    series, units = {}, {}
    for result in trend:
        for unit, value in getattr(result, "unit_values", ()):
            units[unit.pk] = unit
            series.setdefault(unit.pk, []).append((result.year, value))
    current = {
        unit.pk for unit, _ in getattr(_at(trend, as_of_year), "unit_values", ())
    }
    found = [
        (
            units[pk],
            project(
                target.requirement,
                points,
                deadline_year=target.deadline.year,
                as_of_year=as_of_year,
            ),
        )
        for pk, points in series.items()
        if pk in current
    ]
    return sorted(found, key=lambda pair: pair[0].name)


def _compared(measurement):
    return None if measurement.not_applicable else measurement.compared


def _at(trend, year):
    return next((r for r in trend if r.year == year), None)
