"""What to do next (issue 12, item 4): "N more" is the smallest N."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from ntm.indicators.evaluation import MET, NOT_MET, Context, Measurement, evaluate
from ntm.indicators.evaluation.gaps import FEWER, MORE, REACH, next_step
from ntm.indicators.models import Indicator, Period
from ntm.indicators.services import load_criteria_file
from ntm.units.models import Unit
from tests.factories import HouseholdFactory, make_smart_village, make_village

from .conftest import SMART_VILLAGE_FILE, make_indicator, make_set

pytestmark = pytest.mark.django_db

YEAR = datetime.date.today().year


def live():
    period = Period.year(YEAR)
    return period, Context(period, live=True)


def fibre_village(commune, number, total, fibre):
    village = make_village(commune, number)
    households = [
        HouseholdFactory(village=village, has_fibre=n < fibre) for n in range(total)
    ]
    return village, households


def fibre_result(smart_set, village):
    period, context = live()
    return evaluate(smart_set, [village], period, context)[village.pk].result_for(
        "TM.5"
    )


def test_fibre_next_step_names_the_smallest_number_of_households(units):
    smart_set = load_criteria_file(SMART_VILLAGE_FILE)[0]
    village, households = fibre_village(units["ha_nha"], 3, total=40, fibre=20)
    result = fibre_result(smart_set, village)

    step = next_step(result.requirement, result.measurement, result.status, village)

    # 80 % of 40 is 32: 12 more households on fibre.
    assert (step.kind, step.count) == (MORE, 12)
    assert step.text == (
        "Thôn 3 cần thêm 12 hộ gia đình có kết nối Internet cáp quang để đạt ≥ 80 %"
    )


@pytest.mark.parametrize(("added", "status"), [(11, NOT_MET), (12, MET)])
def test_fibre_n_minus_one_more_misses_and_n_more_meets(units, added, status):
    smart_set = load_criteria_file(SMART_VILLAGE_FILE)[0]
    village, households = fibre_village(units["ha_nha"], 3, total=40, fibre=20)
    for household in households[20 : 20 + added]:
        household.has_fibre = True
        household.save(update_fields=["has_fibre"])

    assert fibre_result(smart_set, village).status == status


def test_next_step_of_a_rounded_share_counts_the_unrounded_value(villages):
    share = make_indicator("TEST.GAP", measure=Indicator.Measure.PERCENT)
    full = make_set("TEST_GAP", ("1", "G.1", share, "gte", 100))
    requirement = full.criteria.get().requirements.get()
    # 38 587 / 38 588 shows 100 % and misses it by one household.
    measured = Measurement(
        Decimal("100.00"),
        Indicator.Source.COMPUTED,
        numerator=Decimal(38587),
        denominator=Decimal(38588),
        exact=Decimal(38587) * 100 / Decimal(38588),
    )

    step = next_step(requirement, measured, NOT_MET, villages["hn1"])

    assert step.count == 1


@pytest.mark.parametrize(
    ("comparison", "threshold", "numerator", "denominator", "kind", "count"),
    [
        ("gt", 50, 10, 20, MORE, 1),  # 11/20 = 55 % > 50 %; 10/20 is not
        ("gte", 50, 9, 20, MORE, 1),  # 10/20 = 50 %
        ("gt", 70, 11, 17, MORE, 1),  # 12/17 = 70,6 %; 11/17 = 64,7 %
        ("gt", 80, 20, 25, MORE, 1),  # exactly 80 % is not above it
        ("gte", 80, 20, 40, MORE, 12),
        ("lte", 22, 30, 100, FEWER, 8),  # a ceiling: 22/100
        ("lt", 22, 30, 100, FEWER, 9),  # strictly below: 21/100
    ],
)
def test_next_step_of_shares_is_exact_at_the_boundary(
    villages, comparison, threshold, numerator, denominator, kind, count
):
    share = make_indicator("TEST.GAP", measure=Indicator.Measure.PERCENT)
    limits = make_set("TEST_GAP", ("1", "G.1", share, comparison, threshold))
    requirement = limits.criteria.get().requirements.get()
    n, d = Decimal(numerator), Decimal(denominator)
    measured = Measurement(
        None, Indicator.Source.COMPUTED, numerator=n, denominator=d, exact=n * 100 / d
    )

    step = next_step(requirement, measured, NOT_MET, villages["hn1"])

    assert (step.kind, step.count) == (kind, count)
    after = n + count if kind == MORE else n - count
    before = n + count - 1 if kind == MORE else n - count + 1
    assert requirement.is_met_by(after * 100 / d) is True
    assert requirement.is_met_by(before * 100 / d) is False


def test_commune_needs_one_more_smart_village(units):
    smart_set = load_criteria_file(SMART_VILLAGE_FILE)[0]
    make_smart_village(units["ha_nha"], 1, households=3)
    other, _households = fibre_village(units["ha_nha"], 2, total=4, fibre=1)
    counted = make_indicator(
        "TEST.SMART_VILLAGES",
        measure=Indicator.Measure.COUNT,
        level=Unit.Level.COMMUNE,
        source=Indicator.Source.ROLLUP,
        rollup_set=smart_set,
        rollup_level=Unit.Level.VILLAGE,
    )
    commune_set = make_set(
        "XA_GAP", ("1", "X.1", counted, "gte", 2), level=Unit.Level.COMMUNE
    )
    period, context = live()
    commune = units["ha_nha"]

    result = evaluate(commune_set, [commune], period, context)[commune.pk].result_for(
        "X.1"
    )
    step = next_step(result.requirement, result.measurement, result.status, commune)

    assert (result.value, result.status) == (Decimal(1), NOT_MET)
    assert (step.kind, step.count) == (MORE, 1)
    assert step.text == (f"Xã Hà Nha cần thêm 1 thôn đạt {smart_set.name} để đạt ≥ 2")


def test_yes_no_requirement_says_what_to_reach(villages):
    flag = make_indicator("TEST.FLAG", measure=Indicator.Measure.BOOLEAN)
    flags = make_set("TEST_FLAG", ("1", "F.1", flag, "true", None))
    requirement = flags.criteria.get().requirements.get()
    measured = Measurement(Decimal(0), Indicator.Source.ENTERED)

    step = next_step(requirement, measured, NOT_MET, villages["hn1"])

    assert (step.kind, step.count) == (REACH, None)
    assert step.text == "Thôn 1 cần đạt: Chỉ tiêu TEST.FLAG (Đạt)"


def test_no_next_step_when_met_or_without_data(villages):
    share = make_indicator("TEST.GAP", measure=Indicator.Measure.PERCENT)
    limits = make_set("TEST_GAP", ("1", "G.1", share, "gte", 50))
    requirement = limits.criteria.get().requirements.get()
    measured = Measurement(None, Indicator.Source.COMPUTED)

    assert next_step(requirement, measured, "no_data", villages["hn1"]) is None
    assert next_step(requirement, measured, MET, villages["hn1"]) is None


def test_village_card_and_api_show_the_next_step_with_a_register_link(client, units):
    load_criteria_file(SMART_VILLAGE_FILE)
    village, _households = fibre_village(units["ha_nha"], 3, total=40, fibre=20)
    card = reverse(
        "indicators:evaluation-detail", args=["THON_THONG_MINH_DAI_LOC", village.code]
    )

    page = client.get(f"{card}?nam={YEAR}").content.decode()
    api = client.get(
        f"/api/v1/evaluations/THON_THONG_MINH_DAI_LOC/{village.code}?year={YEAR}"
    ).json()

    text = "Thôn 3 cần thêm 12 hộ gia đình có kết nối Internet cáp quang để đạt ≥ 80 %"
    assert text in page
    register = reverse("households:household-list")
    assert f'href="{register}?village={village.code}&amp;fibre=khong"' in page
    fibre = next(
        r for c in api["criteria"] for r in c["requirements"] if r["code"] == "TM.5"
    )
    assert fibre["next_step"] == {
        "kind": "more",
        "count": 12,
        "noun": "hộ gia đình có kết nối Internet cáp quang",
        "text": text,
    }
