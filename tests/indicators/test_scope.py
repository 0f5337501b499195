"""Scoped evaluation (issue 15 item 2): a context scoped to some units makes
the scoped providers compute only the villages below them, so that a
district's evaluation after a household change does not pay for the whole
country; and it gives the same answers as the unscoped context."""

import pytest
from django.urls import get_resolver, reverse
from freezegun import freeze_time

from ntm.households.services import update_household
from ntm.indicators.evaluation import Context, evaluate
from ntm.indicators.models import Indicator, Period
from ntm.indicators.services import load_criteria_file
from ntm.units.models import Unit
from tests.factories import (
    FacilityFactory,
    HouseholdFactory,
    make_moved_village,
    make_smart_village,
    make_village,
)

from .conftest import SMART_VILLAGE_FILE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    # The URLs (and the API's schemas) imported first: schemas built under
    # freezegun would see its FakeDate instead of datetime.date.
    get_resolver().url_patterns  # noqa: B018
    with freeze_time("2026-11-20 10:00:00+07:00"):
        yield


@pytest.fixture
def country(units):
    """Hà Nha: a smart village, a village lacking fibre, and the households
    of Đại Đồng's Thôn 1 that stayed in the old village after the 2025
    merger (the reorganisation moved the village, not its households);
    Vu Gia: another smart village, outside Hà Nha."""
    smart_village_set, _action = load_criteria_file(SMART_VILLAGE_FILE)
    smart = make_smart_village(units["ha_nha"], 2, households=3)
    lacking = make_village(units["ha_nha"], 3)
    for n in range(4):
        HouseholdFactory(village=lacking, has_fibre=n == 0, smartphones=1)
    FacilityFactory(village=lacking, has_wifi=False)
    old, new = make_moved_village(units)
    for _n in range(2):
        HouseholdFactory(village=old, has_fibre=True, smartphones=1)
    elsewhere = make_smart_village(units["vu_gia"], 1, households=5)
    return {
        "set": smart_village_set,
        "smart": smart,
        "lacking": lacking,
        "old": old,
        "new": new,
        "elsewhere": elsewhere,
    }


def _figures(evaluations):
    return {
        (pk, result.requirement.code): (
            result.status,
            result.measurement.numerator,
            result.measurement.denominator,
        )
        for pk, evaluation in evaluations.items()
        for criterion in evaluation.criteria
        for result in criterion.results
    }


def _commune_and_villages(commune):
    return [commune, *Unit.objects.valid_on().filter(parent=commune).order_by("path")]


def test_a_scoped_context_gives_the_answers_of_the_whole_register(units, country):
    period = Period.year(2026)
    chosen = _commune_and_villages(units["ha_nha"])
    scoped = evaluate(
        country["set"], chosen, period, Context(period, within=[units["ha_nha"]])
    )
    whole = evaluate(country["set"], chosen, period, Context(period))
    assert _figures(scoped) == _figures(whole)
    # The households left in the old village count for Hà Nha's Thôn 11.
    fibre = scoped[country["new"].pk].result_for("TM.5").measurement
    assert (fibre.numerator, fibre.denominator) == (2, 2)
    commune = scoped[units["ha_nha"].pk].result_for("TM.5").measurement
    assert (commune.numerator, commune.denominator) == (3 + 1 + 2, 3 + 4 + 2)


def test_scoped_providers_leave_out_the_villages_outside(units, country):
    period = Period.year(2026)
    scoped = Context(period, within=[units["ha_nha"]])
    whole = Context(period)
    for code in ("SV.FIBRE", "SV.CULTURAL_WIFI", "SV.CHANNEL", "SV.ECOMMERCE"):
        indicator = Indicator.objects.get(code=code)
        inside, _as_of = scoped.leaf_values(indicator)
        everywhere, _as_of = whole.leaf_values(indicator)
        assert country["elsewhere"].pk in everywhere, code
        assert country["elsewhere"].pk not in inside, code
        assert country["smart"].pk in inside, code
    fibre, _as_of = scoped.leaf_values(Indicator.objects.get(code="SV.FIBRE"))
    assert country["old"].pk in fibre


def test_a_change_is_seen_by_the_next_scoped_evaluation(units, country):
    period = Period.year(2026)
    household = country["lacking"].households.filter(has_fibre=False).first()
    before = evaluate(
        country["set"],
        [country["lacking"]],
        period,
        Context(period, within=[units["ha_nha"]]),
    )
    update_household(household, has_fibre=True, by=None)
    after = evaluate(
        country["set"],
        [country["lacking"]],
        period,
        Context(period, within=[units["ha_nha"]]),
    )
    numerator = [
        e[country["lacking"].pk].result_for("TM.5").measurement.numerator
        for e in (before, after)
    ]
    assert numerator == [1, 2]


def test_a_unit_outside_the_scope_is_refused(units, country):
    period = Period.year(2026)
    context = Context(period, within=[units["ha_nha"]])
    with pytest.raises(ValueError, match="outside the context's scope"):
        evaluate(country["set"], [units["vu_gia"]], period, context)


def test_a_unit_read_on_another_day_evaluates_unscoped(units, country):
    """Đại Đồng ended in 2025: its 2026 figure is read on its own last day,
    across the merger, so the context does not narrow anything."""
    period = Period.year(2026)
    context = Context(period, within=[units["dai_dong"]])
    assert context.within is None
    whole = evaluate(country["set"], [units["dai_dong"]], period, Context(period))
    assert _figures(
        evaluate(country["set"], [units["dai_dong"]], period, context)
    ) == _figures(whole)


def test_the_public_scorecard_served_from_the_shared_cache_follows_a_write(
    client, country
):
    """Scorecards are shared pages (one copy for every visitor); a
    household change shows on the next request."""
    url = reverse(
        "indicators:evaluation-detail",
        args=["THON_THONG_MINH_DAI_LOC", country["lacking"].code],
    )

    def fibre_share():
        page = client.get(url, {"nam": "2026"})
        assert page.status_code == 200
        return page.context["evaluation"].result_for("TM.5").measurement.numerator

    first = client.get(url, {"nam": "2026"})
    again = client.get(url, {"nam": "2026"})
    assert first.context is not None  # rendered
    assert again.context is None  # the shared copy (its CSRF token the visitor's)
    assert again["ETag"] == first["ETag"]
    household = country["lacking"].households.filter(has_fibre=False).first()
    update_household(household, has_fibre=True, by=None)

    assert fibre_share() == 2  # rendered again: 1 of 4 had fibre, now 2
