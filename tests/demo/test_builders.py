import pytest
from django.apps import apps

from ntm.accounts.models import Membership, Role, User
from ntm.demo.builders import VILLAGE_COUNT, load_demo
from ntm.households.models import Facility, Household, VillageChannel
from ntm.indicators.models import ComputedSnapshot, IndicatorValue, Period
from ntm.units.models import Reorganisation, Unit

from ..factories import BEFORE_2025
from ..module_records import check_deferred_constraints, kept_for_module

pytestmark = pytest.mark.django_db
# Enough for some pilot villages to meet the smart-village set.
DEMO_HOUSEHOLDS = 2000


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module's tests (10 s each before)."""
    with kept_for_module(django_db_blocker):
        loaded = load_demo(households=DEMO_HOUSEHOLDS)
        check_deferred_constraints()
        yield loaded


def test_load_demo_builds_villages_on_both_sides_of_2025(demo):

    assert Unit.objects.villages().valid_on(BEFORE_2025).count() == VILLAGE_COUNT
    assert Unit.objects.villages().valid_on().count() == VILLAGE_COUNT
    assert Reorganisation.objects.filter(kind=Reorganisation.Kind.TRANSFER).count() == (
        VILLAGE_COUNT
    )
    assert all(u.is_demo for u in Unit.objects.villages())


def test_load_demo_places_each_old_village_under_the_commune_it_merged_into(demo):
    old_village = Unit.objects.by_code("2051201", on=BEFORE_2025)

    (new_village,) = old_village.successors()

    assert old_village.parent.name == "Xã Đại Hồng"
    assert new_village.parent.name == "Xã Hà Nha"
    assert new_village.code == old_village.code


def test_load_demo_is_deterministic_and_labelled(demo):
    first = _household_rows()
    _delete_everything()

    load_demo(households=DEMO_HOUSEHOLDS)

    assert _household_rows() == first
    assert len(first) == DEMO_HOUSEHOLDS
    assert Household.objects.filter(is_demo=False).count() == 0


def _household_rows():
    return list(
        Household.objects.order_by("code").values_list(
            "code", "village__code", "head_name", "has_fibre", "smartphones", "lat"
        )
    )


def _delete_everything():
    # The demo records of the apps above households, children first; lookup
    # rows that migrations install (digital technologies) stay.
    for label in (
        "tourism",
        "traceability",
        "ocop",
        "reports",
        "dossiers",
        "surveys",
        "plans",
        "knowledge",
        "cooperatives",
        "environment",
        "feedback",
        "channel",
    ):
        for model in reversed(list(apps.get_app_config(label).get_models())):
            if model.__name__ not in ("DigitalTechnology", "Parameter", "Category"):
                model.objects.all().delete()
    IndicatorValue.objects.all().delete()
    ComputedSnapshot.objects.all().delete()
    Period.objects.all().delete()
    VillageChannel.objects.all().delete()
    Household.objects.all().delete()
    Facility.objects.all().delete()
    # Their versions too: a second load must not read the first one's past.
    Household.history.all().delete()
    Facility.history.all().delete()
    Membership.objects.all().delete()
    User.objects.all().delete()
    Reorganisation.objects.all().delete()
    for level in (4, 3, 2, 1):
        Unit.objects.filter(level=level).delete()


def test_load_demo_counts_households_exactly_and_runs_once(demo):
    assert demo is True

    assert load_demo(households=DEMO_HOUSEHOLDS) is False
    assert Household.objects.count() == DEMO_HOUSEHOLDS
    assert Membership.objects.filter(role=Role.DISTRICT_ADMIN).count() == 2


def test_load_demo_gives_three_years_and_some_smart_villages(demo):
    from ntm.indicators.evaluation import MET, evaluate
    from ntm.indicators.models import CriteriaSet, Period

    smart = CriteriaSet.objects.get(code="THON_THONG_MINH_DAI_LOC")
    today = list(Unit.objects.valid_on().villages())
    old_commune = Unit.objects.by_code("20515", on=BEFORE_2025)

    now = evaluate(smart, today, Period.year(2026))
    then = evaluate(smart, [old_commune], Period.year(2024))[old_commune.pk]

    # The pilot villages with a channel post every quarter and received
    # feedback: some of them meet every requirement, TM.1 included.
    assert sum(e.status == MET for e in now.values()) > 0
    assert {e.result_for("TM.1").value for e in now.values()} == {0, 1}
    assert then.result_for("TM.5").value is not None  # frozen 2024 fibre share
    assert ComputedSnapshot.objects.filter(period__code="2025").exists()
    assert IndicatorValue.objects.filter(status=IndicatorValue.Status.APPROVED).exists()


def test_load_demo_closes_its_past_years_with_every_figure_frozen(demo):
    closed = Period.objects.filter(status=Period.Status.CLOSED)

    assert sorted(closed.values_list("code", flat=True)) == ["2023", "2024", "2025"]
    assert Period.objects.get(code="2026").status == Period.Status.OPEN
    # Target 6 (a dated provider) is frozen with the closing, not read live.
    assert ComputedSnapshot.objects.filter(
        period__code="2024", indicator__code="KH.XA_HTX_CNS"
    ).exists()
