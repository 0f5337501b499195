import datetime

import pytest

from ntm.indicators.models import CriteriaSet, Criterion, Indicator, Requirement
from ntm.indicators.services import (
    CRITERIA_DIR,
    approve_value,
    load_criteria_file,
    save_value,
    submit_value,
)
from ntm.units.models import Reorganisation, Unit
from ntm.units.services import reorganise_units
from tests.factories import BEFORE_2025, HouseholdFactory, UserFactory, make_unit

REORGANISED = datetime.date(2025, 7, 1)
SMART_VILLAGE_FILE = CRITERIA_DIR / "10_thon_thong_minh_dai_loc.json"


def make_indicator(code, **fields):
    defaults = {
        "name": f"Chỉ tiêu {code}",
        "measure": Indicator.Measure.NUMBER,
        "level": Unit.Level.VILLAGE,
        "source": Indicator.Source.ENTERED,
    }
    return Indicator.objects.create(code=code, **{**defaults, **fields})


def make_set(code, *requirements, level=Unit.Level.VILLAGE, **fields):
    """A set from (criterion number, requirement code, indicator, comparison,
    threshold[, variant]) tuples."""
    criteria_set = CriteriaSet.objects.create(
        code=code, name=f"Bộ {code}", level=level, **fields
    )
    criteria = {}
    for order, (number, req_code, indicator, comparison, threshold, *rest) in enumerate(
        requirements, start=1
    ):
        if number not in criteria:
            criteria[number] = Criterion.objects.create(
                criteria_set=criteria_set,
                number=number,
                name=f"Tiêu chí {number}",
                order=len(criteria) + 1,
            )
        Requirement.objects.create(
            criterion=criteria[number],
            code=req_code,
            name=f"Yêu cầu {req_code}",
            indicator=indicator,
            comparison=comparison,
            threshold=threshold,
            variant=rest[0] if rest else "",
            confirmed=True,
            order=order,
        )
    return criteria_set


def add_households(village, total, *, fibre=0, **fields):
    """``total`` households in ``village``, the first ``fibre`` of them on fibre."""
    return [
        HouseholdFactory(village=village, has_fibre=n < fibre, **fields)
        for n in range(total)
    ]


@pytest.fixture
def officer(db):
    return UserFactory(full_name="Nguyễn Văn Nhập", phone="0905111222")


@pytest.fixture
def reviewer(db):
    return UserFactory(full_name="Trần Thị Duyệt", phone="0905333444")


@pytest.fixture
def approve(officer, reviewer):
    """Enter, submit and approve a value through the services."""

    def approve(indicator, unit, period, value):
        entry = save_value(
            indicator=indicator, unit=unit, period=period, value=value, by=officer
        )
        submit_value(entry, by=officer)
        return approve_value(entry, by=reviewer)

    return approve


@pytest.fixture
def smart_set(db):
    return load_criteria_file(SMART_VILLAGE_FILE)[0]


@pytest.fixture
def fibre_set(db):
    """A village set with one requirement: SV.FIBRE ≥ 80 %."""
    fibre = make_indicator(
        "SV.FIBRE",
        measure=Indicator.Measure.PERCENT,
        source=Indicator.Source.COMPUTED,
        aggregation=Indicator.Aggregation.RATIO,
    )
    return make_set("FIBRE", ("1", "F.1", fibre, "gte", 80))


@pytest.fixture
def reorganised(units):
    """Two villages in each of Đại Hồng, Đại Đồng and Đại Quang (to 30/06/2025),
    transferred one to one into six villages of Xã Hà Nha (from 01/07/2025)."""
    old_villages, new_villages = {}, {}
    number = 0
    for code in ("20512", "20515", "20518"):
        commune = Unit.objects.by_code(code, on=BEFORE_2025)
        old_villages[code], new_villages[code] = [], []
        for n in (1, 2):
            old = make_unit(
                f"{code}{n:02d}",
                f"Thôn {n}",
                Unit.Kind.VILLAGE,
                commune,
                valid_to=REORGANISED - datetime.timedelta(days=1),
            )
            number += 1
            new = make_unit(
                old.code,
                f"Thôn {number}",
                Unit.Kind.VILLAGE,
                units["ha_nha"],
                valid_from=REORGANISED,
            )
            reorganise_units(
                kind=Reorganisation.Kind.TRANSFER,
                effective_date=REORGANISED,
                predecessors=[old],
                successors=[new],
                by=None,
            )
            old_villages[code].append(old)
            new_villages[code].append(new)
    return {"old": old_villages, "new": new_villages}


@pytest.fixture
def reorganised_households(reorganised):
    """Households (in today's villages) with fibre, by old commune:

    Đại Hồng 2+2 of 2+2 (4/4), Đại Đồng 2 of 3 and 0 of 1 (2/4),
    Đại Quang 1 of 1 and 0 of 1 (1/2); Hà Nha 7/10.
    """
    new = reorganised["new"]
    layout = {
        "20512": [(2, 2), (2, 2)],
        "20515": [(3, 2), (1, 0)],
        "20518": [(1, 1), (1, 0)],
    }
    households = {}
    for code, villages in new.items():
        for village, (total, fibre) in zip(villages, layout[code], strict=True):
            households[village.pk] = add_households(village, total, fibre=fibre)
    return households
