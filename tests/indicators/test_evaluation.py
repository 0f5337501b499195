import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from ntm.households.services import update_household
from ntm.indicators.evaluation import (
    MET,
    NO_DATA,
    NOT_APPLICABLE,
    NOT_MET,
    Context,
    evaluate,
)
from ntm.indicators.models import ComputedSnapshot, Indicator, Period
from ntm.indicators.services import freeze_period, save_value, submit_value
from ntm.units.models import Unit
from tests.factories import (
    BEFORE_2025,
    EcommercePlatformFactory,
    FacilityFactory,
    HouseholdFactory,
    backdate_register,
    make_village,
)

from .conftest import add_households, make_indicator, make_set

pytestmark = pytest.mark.django_db


def live(year):
    period = Period.year(year)
    return period, Context(period, live=True)


def one(criteria_set, unit, period, context=None):
    return evaluate(criteria_set, [unit], period, context)[unit.pk]


# -- comparisons -------------------------------------------------------------


@pytest.mark.parametrize(
    ("comparison", "value", "expected"),
    [
        ("gte", "79.99", NOT_MET),
        ("gte", "80", MET),
        ("gte", "80.01", MET),
        ("gt", "79", NOT_MET),
        ("gt", "80", NOT_MET),
        ("gt", "81", MET),
        ("lte", "79", MET),
        ("lte", "80", MET),
        ("lte", "81", NOT_MET),
        ("lt", "79", MET),
        ("lt", "80", NOT_MET),
        ("lt", "81", NOT_MET),
        ("eq", "79", NOT_MET),
        ("eq", "80", MET),
        ("eq", "81", NOT_MET),
    ],
)
def test_evaluate_compares_approved_value_with_threshold(
    villages, approve, comparison, value, expected
):
    indicator = make_indicator("T.NUMBER")
    criteria_set = make_set("T", ("1", "T.1", indicator, comparison, 80))
    period, context = live(2026)
    approve(indicator, villages["hn1"], period, value)

    evaluation = one(criteria_set, villages["hn1"], period, context)

    result = evaluation.result_for("T.1")
    assert result.value == Decimal(value)
    assert result.status == expected
    assert evaluation.status == expected


@pytest.mark.parametrize(("value", "expected"), [("1", MET), ("0", NOT_MET)])
def test_evaluate_true_comparison_needs_a_yes(villages, approve, value, expected):
    indicator = make_indicator("T.YES", measure=Indicator.Measure.BOOLEAN)
    criteria_set = make_set("T", ("1", "T.1", indicator, "true", None))
    period, context = live(2026)
    approve(indicator, villages["hn1"], period, value)

    evaluation = one(criteria_set, villages["hn1"], period, context)

    assert evaluation.result_for("T.1").status == expected


# -- variants ----------------------------------------------------------------


def test_evaluate_picks_region_variant_for_classified_unit(villages, approve):
    indicator = make_indicator("T.SHARE", measure=Indicator.Measure.PERCENT)
    criteria_set = make_set(
        "T",
        ("1", "T.1", indicator, "gte", 80),
        ("1", "T.1", indicator, "gte", 70, "region:DHNTB"),
    )
    villages["hn1"].classifications.create(scheme="region", value="DHNTB")
    period, context = live(2026)
    approve(indicator, villages["hn1"], period, 75)
    approve(indicator, villages["hn2"], period, 75)

    evaluations = evaluate(
        criteria_set, [villages["hn1"], villages["hn2"]], period, context
    )

    classified = evaluations[villages["hn1"].pk].result_for("T.1")
    general = evaluations[villages["hn2"].pk].result_for("T.1")
    assert (classified.requirement.variant, classified.status) == ("region:DHNTB", MET)
    assert (general.requirement.variant, general.status) == ("", NOT_MET)


def test_evaluate_uses_general_row_when_unit_has_another_class(villages, approve):
    indicator = make_indicator("T.SHARE", measure=Indicator.Measure.PERCENT)
    criteria_set = make_set(
        "T",
        ("1", "T.1", indicator, "gte", 70, "region:DHNTB"),
        ("1", "T.1", indicator, "gte", 80),
    )
    villages["hn1"].classifications.create(scheme="region", value="TDMNPB")
    period, context = live(2026)
    approve(indicator, villages["hn1"], period, 75)

    evaluation = one(criteria_set, villages["hn1"], period, context)

    assert [c.status for c in evaluation.criteria] == [NOT_MET]
    assert evaluation.result_for("T.1").requirement.threshold == 80


# -- missing data is never met -------------------------------------------------


def test_evaluate_village_without_households_has_no_data(villages, fibre_set):
    period, context = live(2026)

    evaluation = one(fibre_set, villages["hn1"], period, context)

    result = evaluation.result_for("F.1")
    assert (result.value, result.status, evaluation.status) == (None, NO_DATA, NO_DATA)


def test_evaluate_entered_indicator_without_value_has_no_data(villages):
    indicator = make_indicator("T.NUMBER")
    criteria_set = make_set("T", ("1", "T.1", indicator, "lte", 80))
    period, context = live(2026)

    evaluation = one(criteria_set, villages["hn1"], period, context)

    assert evaluation.result_for("T.1").status == NO_DATA


@pytest.mark.parametrize("submit", [False, True])
def test_evaluate_ignores_values_not_approved(villages, officer, submit):
    indicator = make_indicator("T.NUMBER")
    criteria_set = make_set("T", ("1", "T.1", indicator, "gte", 80))
    period, context = live(2026)
    entry = save_value(
        indicator=indicator, unit=villages["hn1"], period=period, value=95, by=officer
    )
    if submit:
        submit_value(entry, by=officer)

    evaluation = one(criteria_set, villages["hn1"], period, context)

    result = evaluation.result_for("T.1")
    assert (result.value, result.status) == (None, NO_DATA)
    assert result.measurement.pending == [entry]


def test_evaluate_set_takes_the_worst_criterion(villages, approve):
    a, b, c = (make_indicator(code) for code in ("T.A", "T.B", "T.C"))
    criteria_set = make_set(
        "T",
        ("1", "T.1", a, "gte", 1),
        ("2", "T.2", b, "gte", 1),
        ("2", "T.3", c, "gte", 1),
    )
    period, context = live(2026)
    approve(a, villages["hn1"], period, 1)
    approve(b, villages["hn1"], period, 1)

    before = one(criteria_set, villages["hn1"], period, context)
    approve(c, villages["hn1"], period, 0)
    after = one(criteria_set, villages["hn1"], period, Context(period, live=True))

    assert [x.status for x in before.criteria] == [MET, NO_DATA]
    assert before.status == NO_DATA
    assert before.counts() == {MET: 1, NOT_MET: 0, NO_DATA: 1, NOT_APPLICABLE: 0}
    assert [x.status for x in after.criteria] == [MET, NOT_MET]
    assert after.status == NOT_MET


# -- computed from households ------------------------------------------------------


def test_evaluate_fibre_share_three_of_four_is_75_not_met(villages, fibre_set):
    add_households(villages["hn1"], 4, fibre=3)
    period, context = live(2026)

    result = one(fibre_set, villages["hn1"], period, context).result_for("F.1")

    assert result.value == Decimal("75.00")
    assert (result.measurement.numerator, result.measurement.denominator) == (3, 4)
    assert result.measurement.source == Indicator.Source.COMPUTED
    assert result.status == NOT_MET


def test_evaluate_fibre_share_four_of_five_is_80_met(villages, fibre_set):
    add_households(villages["hn1"], 5, fibre=4)
    period, context = live(2026)

    result = one(fibre_set, villages["hn1"], period, context).result_for("F.1")

    assert (result.value, result.status) == (Decimal("80.00"), MET)


def test_evaluate_smart_village_shares_by_hand(villages, smart_set):
    village = villages["hn1"]
    shop = EcommercePlatformFactory()
    # 4 households, 10 residents: codes 4/4, fibre 4/4, phones 3/4, guided 7/10;
    # 2 businesses, both online and tracing.
    rows = [
        # address code, smartphones, members, guided, business
        ("A1", 1, 3, 3, False),
        ("A2", 1, 3, 2, False),
        ("A3", 0, 2, 1, True),
        ("A4", 2, 2, 1, True),
    ]
    for code, phones, members, guided, business in rows:
        household = HouseholdFactory(
            village=village,
            address_code=code,
            has_fibre=True,
            smartphones=phones,
            members=members,
            health_app_members=guided,
            is_business=business,
            uses_traceability=business,
        )
        if business:
            household.ecommerce_platforms.add(shop)
    FacilityFactory(village=village, has_wifi=True)
    period, context = live(2026)

    evaluation = one(smart_set, village, period, context)

    values = {
        r.requirement.code: (r.value, r.status)
        for c in evaluation.criteria
        for r in c.results
    }
    assert values == {
        "TM.1": (Decimal(0), NOT_MET),  # no channel on record
        "TM.2": (Decimal("100.00"), MET),
        "TM.3": (Decimal(1), MET),
        "TM.4": (Decimal("100.00"), MET),
        "TM.5": (Decimal("100.00"), MET),
        "TM.6": (Decimal("75.00"), NOT_MET),
        "TM.7": (Decimal("70.00"), MET),
        "TM.8": (Decimal("100.00"), MET),
    }
    assert [c.status for c in evaluation.criteria] == [NOT_MET, MET, NOT_MET]


def test_evaluate_commune_share_is_ratio_of_sums(villages, fibre_set, units):
    add_households(villages["hn1"], 1, fibre=1)  # 100 %
    add_households(villages["hn2"], 4, fibre=1)  # 25 %
    period, context = live(2026)

    result = one(fibre_set, units["ha_nha"], period, context).result_for("F.1")

    # (1 + 1) / (1 + 4), not the mean of 100 % and 25 % (62.50).
    assert result.value == Decimal("40.00")
    assert (result.measurement.numerator, result.measurement.denominator) == (2, 5)


def test_evaluate_rollup_counts_smart_villages(villages, fibre_set, units):
    third = make_village(units["ha_nha"], 3)
    add_households(villages["hn1"], 4, fibre=4)  # met
    add_households(villages["hn2"], 2, fibre=1)  # not met
    add_households(third, 5, fibre=4)  # met
    add_households(villages["vg1"], 1, fibre=1)  # another commune
    count = make_indicator(
        "XA.SMART",
        measure=Indicator.Measure.COUNT,
        level=Unit.Level.COMMUNE,
        source=Indicator.Source.ROLLUP,
        rollup_set=fibre_set,
        rollup_level=Unit.Level.VILLAGE,
    )
    share = make_indicator(
        "XA.SMART_SHARE",
        measure=Indicator.Measure.PERCENT,
        level=Unit.Level.COMMUNE,
        source=Indicator.Source.ROLLUP,
        rollup_set=fibre_set,
        rollup_level=Unit.Level.VILLAGE,
    )
    commune_set = make_set(
        "XA",
        ("1", "X.1", count, "gte", 2),
        ("1", "X.2", share, "gte", 70),
        level=Unit.Level.COMMUNE,
    )
    period, context = live(2026)

    evaluations = evaluate(
        commune_set, [units["ha_nha"], units["vu_gia"]], period, context
    )

    ha_nha = evaluations[units["ha_nha"].pk]
    assert ha_nha.result_for("X.1").value == 2
    assert ha_nha.result_for("X.1").status == MET
    assert ha_nha.result_for("X.1").measurement.detail == (
        "2 đạt, 1 chưa đạt, 0 chưa có số liệu / 3"
    )
    assert ha_nha.result_for("X.2").value == Decimal("66.67")
    assert ha_nha.result_for("X.2").status == NOT_MET
    vu_gia = evaluations[units["vu_gia"].pk]
    assert (vu_gia.result_for("X.1").value, vu_gia.result_for("X.1").status) == (
        1,
        NOT_MET,
    )


def test_evaluate_rollup_of_villages_without_data_is_no_data(
    villages, fibre_set, units
):
    count = make_indicator(
        "XA.SMART",
        measure=Indicator.Measure.COUNT,
        level=Unit.Level.COMMUNE,
        source=Indicator.Source.ROLLUP,
        rollup_set=fibre_set,
        rollup_level=Unit.Level.VILLAGE,
    )
    commune_set = make_set("XA", ("1", "X.1", count, "gte", 0), level=3)
    period, context = live(2026)

    result = one(commune_set, units["ha_nha"], period, context).result_for("X.1")

    assert (result.value, result.status) == (None, NO_DATA)


def test_evaluate_rollup_counts_only_the_kinds_named(units):
    commune_set = make_set(
        "XA",
        ("1", "X.1", make_indicator("XA.X", level=Unit.Level.COMMUNE), "gte", 1),
        level=Unit.Level.COMMUNE,
    )
    communes = make_indicator(
        "H.COMMUNES",
        measure=Indicator.Measure.COUNT,
        level=Unit.Level.DISTRICT,
        source=Indicator.Source.ROLLUP,
        rollup_set=commune_set,
        rollup_level=Unit.Level.COMMUNE,
        rollup_kinds="xa",
    )
    district_set = make_set(
        "H", ("1", "H.1", communes, "gte", 1), level=Unit.Level.DISTRICT
    )
    period, context = live(2024)

    result = one(district_set, units["district"], period, context).result_for("H.1")

    # 17 xã; Thị trấn Ái Nghĩa is left out.
    assert result.measurement.detail == "0 đạt, 0 chưa đạt, 17 chưa có số liệu / 17"
    assert result.status == NO_DATA


# -- across the 2025 reorganisation ---------------------------------------------------


def test_evaluate_2024_old_commune_aggregates_its_own_villages(
    reorganised_households, fibre_set
):
    dai_dong = Unit.objects.by_code("20515", on=BEFORE_2025)
    period = Period.year(2024)
    backdate_register(datetime.date(2024, 1, 1))
    freeze_period(period, by=None)

    result = one(fibre_set, dai_dong, period).result_for("F.1")

    assert dai_dong.name == "Xã Đại Đồng"
    assert (result.measurement.numerator, result.measurement.denominator) == (2, 4)
    assert (result.value, result.status) == (Decimal("50.00"), NOT_MET)


def test_evaluate_2024_old_village_reads_its_successor(
    reorganised, reorganised_households, fibre_set
):
    old = reorganised["old"]["20512"][0]
    period, context = live(2024)

    result = one(fibre_set, old, period, context).result_for("F.1")

    assert (result.value, result.status) == (Decimal("100.00"), MET)


def test_evaluate_2026_new_commune_aggregates_all_predecessors(
    reorganised_households, fibre_set, units
):
    period, context = live(2026)

    result = one(fibre_set, units["ha_nha"], period, context).result_for("F.1")

    assert (result.measurement.numerator, result.measurement.denominator) == (7, 10)
    assert (result.value, result.status) == (Decimal("70.00"), NOT_MET)


def test_evaluate_2024_district_and_2026_city_see_the_same_households(
    reorganised_households, fibre_set, units
):
    period, context = live(2024)

    district = one(fibre_set, units["district"], period, context).result_for("F.1")
    city = one(fibre_set, units["city"], *live(2026)).result_for("F.1")

    assert district.value == city.value == Decimal("70.00")


def test_evaluate_entered_values_of_old_communes_sum_under_new_commune(
    reorganised, units, approve
):
    budget = make_indicator(
        "XA.BUDGET",
        level=Unit.Level.COMMUNE,
        aggregation=Indicator.Aggregation.SUM,
    )
    criteria_set = make_set("B", ("1", "B.1", budget, "gte", 500), level=3)
    period, context = live(2024)
    for code, amount in (("20512", 100), ("20515", 200), ("20518", 300)):
        approve(budget, Unit.objects.by_code(code, on=BEFORE_2025), period, amount)

    result = one(criteria_set, units["ha_nha"], period, context).result_for("B.1")

    assert result.value == 600
    assert result.status == MET
    assert result.measurement.source == Indicator.Source.ENTERED
    assert len(result.measurement.entries) == 3
    assert result.measurement.detail == "gộp từ giá trị đã duyệt của 3 đơn vị"


@pytest.mark.parametrize(
    ("values", "expected"),
    [((1, 1, 1), MET), ((1, 0, 1), NOT_MET), ((1, 1, None), NO_DATA)],
)
def test_evaluate_entered_all_of_old_communes_under_new_commune(
    units, approve, values, expected
):
    done = make_indicator(
        "XA.DONE",
        measure=Indicator.Measure.BOOLEAN,
        level=Unit.Level.COMMUNE,
        aggregation=Indicator.Aggregation.ALL,
    )
    criteria_set = make_set("D", ("1", "D.1", done, "true", None), level=3)
    period, context = live(2024)
    for code, value in zip(("20512", "20515", "20518"), values, strict=True):
        if value is not None:
            approve(done, Unit.objects.by_code(code, on=BEFORE_2025), period, value)

    result = one(criteria_set, units["ha_nha"], period, context).result_for("D.1")

    assert result.status == expected


def test_evaluate_partial_sum_is_no_data(units, approve):
    budget = make_indicator(
        "XA.BUDGET", level=Unit.Level.COMMUNE, aggregation=Indicator.Aggregation.SUM
    )
    criteria_set = make_set("B", ("1", "B.1", budget, "gte", 1), level=3)
    period, context = live(2024)
    approve(budget, units["dai_dong"], period, 200)

    result = one(criteria_set, units["district"], period, context).result_for("B.1")

    assert (result.value, result.status) == (None, NO_DATA)
    assert result.measurement.detail == "thiếu giá trị đã duyệt của 17/18 đơn vị"


def test_evaluate_closed_period_keeps_its_snapshot(
    reorganised, reorganised_households, fibre_set, units
):
    dai_dong = units["dai_dong"]
    closed = Period.year(2024)
    backdate_register(datetime.date(2024, 1, 1))
    freeze_period(closed, by=None)
    open_period, open_context = live(2026)
    before = one(fibre_set, units["ha_nha"], open_period, open_context)
    household = reorganised_households[reorganised["new"]["20515"][1].pk][0]

    update_household(household, has_fibre=True, by=None)

    frozen = one(fibre_set, dai_dong, closed).result_for("F.1")
    now = one(fibre_set, units["ha_nha"], *live(2026)).result_for("F.1")
    assert before.result_for("F.1").value == Decimal("70.00")
    assert (frozen.value, frozen.status) == (Decimal("50.00"), NOT_MET)
    assert (now.value, now.status) == (Decimal("80.00"), MET)


def test_evaluate_closed_period_without_snapshot_has_no_data(
    reorganised_households, fibre_set, units
):
    period = Period.year(2024)

    result = one(fibre_set, units["dai_dong"], period).result_for("F.1")

    assert (result.value, result.status) == (None, NO_DATA)
    assert ComputedSnapshot.objects.count() == 0


def test_context_reads_live_only_for_current_and_future_years():
    year = timezone.localdate().year

    assert Context(Period.year(year)).live is True
    assert Context(Period.year(year + 1)).live is True
    assert Context(Period.year(year - 1)).live is False
    assert Context(Period.year(year - 1), live=True).live is True


# -- queries ------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 6])
def test_evaluate_query_count_does_not_grow_with_units(
    django_assert_max_num_queries, units, smart_set, approve, count
):
    villages = [make_village(units["ha_nha"], n) for n in range(1, count + 1)]
    for village in villages:
        add_households(village, 2, fibre=1)
        FacilityFactory(village=village)
    period = Period.year(datetime.date.today().year)

    # 16: the e-commerce share also lists the villages with a register, so
    # that a village without production households reads "not applicable";
    # the channel condition reads channels, deliveries and feedback.
    with django_assert_max_num_queries(16):
        evaluations = evaluate(smart_set, villages, period, Context(period, live=True))

    assert len(evaluations) == count


def test_evaluate_2025_district_counts_the_new_communes_formed_on_its_territory(units):
    # Huyện Đại Lộc ended on 30/06/2025; on 31/12/2025 its territory is the five
    # new communes, each formed from communes of the district only.
    commune_set = make_set(
        "XA25",
        ("1", "X.1", make_indicator("XA25.X", level=Unit.Level.COMMUNE), "gte", 1),
        level=Unit.Level.COMMUNE,
    )
    communes = make_indicator(
        "H25.COMMUNES",
        measure=Indicator.Measure.COUNT,
        level=Unit.Level.DISTRICT,
        source=Indicator.Source.ROLLUP,
        rollup_set=commune_set,
        rollup_level=Unit.Level.COMMUNE,
    )
    district_set = make_set(
        "H25", ("1", "H.1", communes, "gte", 1), level=Unit.Level.DISTRICT
    )
    period, context = live(2025)

    result = one(district_set, units["district"], period, context).result_for("H.1")

    assert result.measurement.detail == "0 đạt, 0 chưa đạt, 5 chưa có số liệu / 5"


def test_locator_places_a_merged_unit_in_the_unit_holding_all_its_predecessors(units):
    from ntm.indicators.evaluation import Locator

    ha_nha = units["ha_nha"]
    row = (ha_nha.pk, ha_nha.path, ha_nha.valid_from, ha_nha.valid_to)

    located = Locator().paths_on([row], BEFORE_2025)

    assert located == {ha_nha.pk: units["district"].path}


def test_dated_provider_answers_for_a_closed_year_without_snapshots(monkeypatch, units):
    from ntm.indicators import providers

    indicator = make_indicator(
        "D.X", level=Unit.Level.COMMUNE, source=Indicator.Source.COMPUTED
    )
    asked = []

    def compute(period):
        asked.append(period.code)
        return {"D.X": {units["ha_nha"].pk: (Decimal(5), None)}}

    monkeypatch.setitem(
        providers._providers,
        "D.X",
        providers.Provider(("D.X",), compute, "thử", dated=True),
    )
    criteria_set = make_set("D", ("1", "D.1", indicator, "gte", 5), level=3)

    result = one(criteria_set, units["ha_nha"], Period.year(2025)).result_for("D.1")

    assert (result.value, result.status) == (5, MET)
    assert asked == ["2025"]
