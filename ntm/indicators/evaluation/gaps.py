"""What to do next: the smallest change of the records that meets a
requirement the unit does not meet yet.

For a share of counted records (n of d) the answer is how many more of the
d must count, the others unchanged: "Thôn 3 cần thêm 12 hộ có Internet cáp
quang để đạt ≥ 80 %". For a ceiling (≤), how many fewer. For a count, how
many more. For a roll-up, how many more child units must meet. Yes/no and
entered values say what must be reached. The number is checked against the
requirement itself (the unrounded comparison the verdict uses), so that N
meets it and N - 1 does not.
"""

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from ntm.core.numbers import format_number
from ntm.units.models import Unit

from ..models import Indicator, Requirement
from .measuring import HUNDRED
from .results import NOT_MET

MORE, FEWER, REACH = "more", "fewer", "reach"

LEVEL_NOUNS = {
    Unit.Level.VILLAGE: "thôn",
    Unit.Level.COMMUNE: "xã",
    Unit.Level.DISTRICT: "huyện",
}
NAME_PREFIXES = ("Tỷ lệ ", "Số lượng ", "Số ")


@dataclass(frozen=True, slots=True)
class NextStep:
    kind: str  # more, fewer, reach
    count: int | None  # how many records or units; None for "reach"
    noun: str  # what is counted ("hộ gia đình có kết nối Internet cáp quang")
    text: str  # the sentence shown

    def __str__(self):
        return self.text


def next_step(requirement, measurement, status, unit):
    """The smallest change that meets ``requirement`` at ``unit``, or None
    when it is met, does not apply or has no data."""
    if status != NOT_MET:
        return None
    indicator = requirement.indicator
    noun = counted_noun(indicator)
    goal = requirement.threshold_display
    numerator, denominator = measurement.numerator, measurement.denominator
    comparison = requirement.comparison
    share = (
        indicator.measure == Indicator.Measure.PERCENT
        and numerator is not None
        and denominator
        and comparison != Requirement.Comparison.TRUE
    )
    if share:
        if comparison in (Requirement.Comparison.LTE, Requirement.Comparison.LT):
            count = _fewest(requirement, numerator, denominator)
            kind = FEWER
        else:
            count = _fewest_more(requirement, numerator, denominator)
            kind = MORE
        if count is not None:
            return NextStep(kind, count, noun, _sentence(kind, unit, count, noun, goal))
    elif (
        indicator.measure in (Indicator.Measure.COUNT, Indicator.Measure.NUMBER)
        and measurement.value is not None
        and comparison in (Requirement.Comparison.GTE, Requirement.Comparison.GT)
    ):
        count = _count_more(requirement, measurement.value)
        return NextStep(MORE, count, noun, _sentence(MORE, unit, count, noun, goal))
    return NextStep(
        REACH,
        None,
        noun,
        _("%(unit)s cần đạt: %(what)s (%(goal)s)")
        % {"unit": unit.name, "what": indicator.name, "goal": goal},
    )


def counted_noun(indicator):
    """What the indicator counts, in words: a roll-up's child units meeting
    the requirement, else its name without "Tỷ lệ" / "Số"."""
    if indicator.source == Indicator.Source.ROLLUP:
        noun = LEVEL_NOUNS.get(indicator.rollup_level, _("đơn vị"))
        if indicator.rollup_requirement:
            return _("%(noun)s đạt chỉ tiêu %(code)s") % {
                "noun": noun,
                "code": indicator.rollup_requirement,
            }
        if indicator.rollup_criterion:
            return _("%(noun)s đạt tiêu chí %(code)s") % {
                "noun": noun,
                "code": indicator.rollup_criterion,
            }
        if indicator.rollup_set is not None:
            return _("%(noun)s đạt %(set)s") % {
                "noun": noun,
                "set": indicator.rollup_set.name,
            }
        return noun
    name = indicator.name
    for prefix in NAME_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    return name[:1].lower() + name[1:] if name[:2] != name[:2].upper() else name


def _sentence(kind, unit, count, noun, goal):
    values = {
        "unit": unit.name,
        "count": format_number(count),
        "noun": noun,
        "goal": goal,
    }
    if kind == FEWER:
        return _("%(unit)s cần giảm %(count)s %(noun)s để đạt %(goal)s") % values
    return _("%(unit)s cần thêm %(count)s %(noun)s để đạt %(goal)s") % values


def _meets(requirement, numerator, denominator):
    return requirement.is_met_by(Decimal(numerator) * HUNDRED / Decimal(denominator))


def _fewest_more(requirement, numerator, denominator):
    """Smallest k (0 < k <= d - n) with (n + k) / d meeting, else None."""
    n, d = int(numerator), int(denominator)
    bound = Fraction(str(requirement.threshold)) * d / 100 - n
    k = max(1, math.ceil(bound))
    # The threshold's side (≥, >, =) is settled by the requirement itself.
    while k > 1 and _meets(requirement, n + k - 1, d):
        k -= 1
    while k <= d - n and not _meets(requirement, n + k, d):
        k += 1
    return k if k <= d - n else None


def _fewest(requirement, numerator, denominator):
    """Smallest k (0 < k <= n) with (n - k) / d meeting a ceiling, else None."""
    n, d = int(numerator), int(denominator)
    bound = n - Fraction(str(requirement.threshold)) * d / 100
    k = max(1, math.ceil(bound))
    while k > 1 and _meets(requirement, n - k + 1, d):
        k -= 1
    while k <= n and not _meets(requirement, n - k, d):
        k += 1
    return k if k <= n else None


def _count_more(requirement, value):
    k = max(1, math.ceil(Fraction(str(requirement.threshold)) - Fraction(str(value))))
    while k > 1 and requirement.is_met_by(value + k - 1):
        k -= 1
    while not requirement.is_met_by(value + k):
        k += 1
    return k
