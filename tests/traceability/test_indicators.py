from decimal import Decimal

import pytest

from ntm.households.models import Household
from ntm.indicators.models import Period
from ntm.indicators.providers import provider_for

from ..factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_traceability_share_counts_traced_lots_and_declared_fallbacks(
    villages, lot, entity
):
    linked = HouseholdFactory(village=villages["hn1"], is_business=True)
    entity.household = linked
    entity.save(update_fields=["household"])
    # Declares it traces, but its entity's lots say otherwise: records win.
    silent = HouseholdFactory(
        village=villages["hn1"], is_business=True, uses_traceability=True
    )
    from ntm.ocop.models import Entity

    Entity.objects.create(
        code="HKD-2",
        name="Hộ 2",
        kind="ho_kinh_doanh",
        unit=entity.unit,
        household=silent,
        address="Thôn 1",
    )
    HouseholdFactory(village=villages["hn1"], is_business=True, uses_traceability=True)
    HouseholdFactory(village=villages["hn1"], is_business=True)
    HouseholdFactory(village=villages["hn1"], is_business=False)
    HouseholdFactory(village=villages["vg1"], is_business=True, uses_traceability=True)
    provider = provider_for("SV.TRACEABILITY")

    year = lot.produced_on.year
    this_year = provider.compute_for(Period.year(year))["SV.TRACEABILITY"]
    last_year = provider.compute_for(Period.year(year - 1))["SV.TRACEABILITY"]

    # hn1: 4 producers; the linked one by its lot, one by declaration.
    assert this_year[villages["hn1"].pk] == (Decimal(2), Decimal(4))
    assert this_year[villages["vg1"].pk] == (Decimal(1), Decimal(1))
    # No lot in the year before: only the declaration counts.
    assert last_year[villages["hn1"].pk] == (Decimal(1), Decimal(4))
    assert provider.dated
    assert Household.objects.count() == 6


def test_households_provider_no_longer_computes_traceability():
    from ntm.households.indicators import SHARE_CODES

    assert "SV.TRACEABILITY" not in SHARE_CODES
    assert provider_for("SV.TRACEABILITY").label.startswith("Lô hàng")
