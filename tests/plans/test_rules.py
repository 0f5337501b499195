"""Plan rules a district would accept (issue 12, item 3): target 11 computed,
the unconfirmed badge through child sets, whole-target counts, laggards only
from the target's denominator."""

import datetime
from decimal import Decimal

import pytest

from ntm.dossiers.models import Dossier
from ntm.indicators.evaluation import MET, NOT_APPLICABLE, NOT_MET
from ntm.indicators.models import CriteriaSet, Period
from ntm.indicators.services import freeze_period
from ntm.plans.progress import target_results, whole_target_counts
from ntm.units.models import Unit
from tests.factories import backdate_register

from ..factories import HouseholdFactory, make_smart_village, make_village

pytestmark = pytest.mark.django_db

AI_NGHIA = "20500"  # Thị trấn Ái Nghĩa


def results(plan, year, laggards=True):
    return {r.target.number: r for r in target_results(plan, year, laggards=laggards)}


def recognise_model_commune(unit, year, *, decided):
    return Dossier.objects.create(
        unit=unit,
        kind=Dossier.Kind.MODEL,
        year=year,
        criteria_set=CriteriaSet.objects.get(code="XA_NTM_KIEU_MAU_2021_2025"),
        status=Dossier.Status.RECOGNISED,
        decision_date=decided,
    )


@pytest.mark.parametrize("number", ["6", "10a", "10b"])
def test_laggards_of_targets_on_xa_never_name_the_town(plan, number):
    found = results(plan, 2024)[number]

    codes = [lag.unit.code for lag in found.laggards]
    assert AI_NGHIA not in codes
    # 17 xã, none meeting yet: all lag; the thị trấn is not in the share.
    assert len(codes) == 17
    assert found.measurement.denominator == Decimal(17)


def test_laggards_of_a_share_of_cooperatives_skip_communes_without_any(plan):
    found = results(plan, 2024)["7a"]

    assert found.laggards == []


def test_target_11_is_not_applicable_without_model_communes(plan):
    found = results(plan, 2025)["11"]

    assert found.status == NOT_APPLICABLE
    assert found.value is None


def test_target_11_counts_model_communes_with_a_smart_village(plan, units):
    make_smart_village(units["ha_nha"], 1, households=3)
    plain = make_village(units["vu_gia"], 1)
    HouseholdFactory(village=plain)
    backdate_register(datetime.date(2025, 1, 1))
    freeze_period(Period.year(2025), by=None)
    recognise_model_commune(units["ha_nha"], 2025, decided=datetime.date(2025, 11, 3))
    recognise_model_commune(units["vu_gia"], 2025, decided=datetime.date(2025, 11, 3))

    found = results(plan, 2025)["11"]

    # Hà Nha has a smart village, Vu Gia none: 1 of 2.
    assert (found.measurement.numerator, found.measurement.denominator) == (
        Decimal(1),
        Decimal(2),
    )
    assert found.value == Decimal("50.00")
    assert found.status == NOT_MET


def test_target_11_reads_decisions_taken_by_the_years_end(plan, units):
    make_smart_village(units["ha_nha"], 1, households=3)
    backdate_register(datetime.date(2025, 1, 1))
    freeze_period(Period.year(2025), by=None)
    recognise_model_commune(units["ha_nha"], 2026, decided=datetime.date(2026, 2, 1))
    recognise_model_commune(units["vu_gia"], 2025, decided=datetime.date(2025, 5, 1))
    Dossier.objects.filter(unit=units["vu_gia"]).update(
        status=Dossier.Status.REVOKED, revocation_date=datetime.date(2025, 10, 1)
    )

    found = results(plan, 2025)["11"]

    # Hà Nha's decision is of 2026; Vu Gia's was revoked in 2025.
    assert found.status == NOT_APPLICABLE


def test_target_11_is_met_when_every_model_commune_has_one(plan, units):
    make_smart_village(units["ha_nha"], 1, households=3)
    backdate_register(datetime.date(2025, 1, 1))
    freeze_period(Period.year(2025), by=None)
    recognise_model_commune(units["ha_nha"], 2025, decided=datetime.date(2025, 11, 3))

    found = results(plan, 2025)["11"]

    assert (found.value, found.status) == (Decimal("100.00"), MET)


def test_unconfirmed_badge_reaches_targets_through_child_sets(plan):
    found = results(plan, 2024, laggards=False)

    # 3 counts communes on 15.2 of the advanced set; 4a–4c read yes/no
    # indicators whose pass condition the district sets leave unconfirmed.
    assert [(u.set_code, u.code) for u in found["3"].unconfirmed] == [
        ("XA_NTM_NANG_CAO_2021_2025", "15.2")
    ]
    assert [(u.set_code, u.code) for u in found["4a"].unconfirmed] == [
        ("HUYEN_NTM_2021_2025", "9.5")
    ]
    assert [u.code for u in found["4b"].unconfirmed] == ["6.5"]
    assert [u.code for u in found["4c"].unconfirmed] == ["9.2"]
    # 1b's own threshold is unconfirmed; 1a's is confirmed and plain.
    assert [u.code for u in found["1b"].unconfirmed] == ["1b"]
    assert found["1a"].unconfirmed == []
    assert found["12"].unconfirmed == []


def test_whole_target_counts_are_the_plans_twelve(plan):
    found = list(results(plan, 2024, laggards=False).values())

    counts = whole_target_counts(found)

    assert (counts["targets"], counts["parts"]) == (12, 17)
    assert (
        counts[MET] + counts[NOT_MET] + counts["no_data"] + counts[NOT_APPLICABLE] == 12
    )


def test_a_numbered_target_is_met_only_when_all_its_parts_are(plan, units):
    found = results(plan, 2024, laggards=False)
    statuses = {n: r.status for n, r in found.items()}

    counts = whole_target_counts(found.values())

    # Target 4 has three parts, none with data: one target without data.
    parts_of_4 = {statuses["4a"], statuses["4b"], statuses["4c"]}
    assert parts_of_4 == {"no_data"}
    assert counts["parts"] - counts["targets"] == 5
    assert Unit.objects.by_code(AI_NGHIA, on=datetime.date(2024, 12, 31))
