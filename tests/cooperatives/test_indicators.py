import datetime
from decimal import Decimal

import pytest

from ntm.indicators.models import Period
from ntm.indicators.providers import provider_for
from ntm.plans.progress import target_results
from ntm.units.models import Unit

pytestmark = pytest.mark.django_db

DAI_DONG, DAI_HONG, DAI_MINH, AI_NGHIA, DAI_SON = (
    "20515",
    "20512",
    "20539",
    "20500",
    "20503",
)

# The day the closed-down cooperatives of these tests stopped working.
CLOSED = datetime.date(2023, 6, 30)


def _target(plan, year, number):
    return next(r for r in target_results(plan, year) if r.target.number == number)


@pytest.fixture
def digital_communes(old, make_cooperative):
    """Digital cooperatives in Đại Đồng, Đại Hồng, Đại Minh (xã) and in the
    thị trấn Ái Nghĩa; a non-digital one in Đại Sơn; a digital one in Đại Sơn
    founded in 2025; an inactive digital one in Đại Sơn."""
    for code in (DAI_DONG, DAI_HONG, DAI_MINH, AI_NGHIA):
        make_cooperative(old[code], digital=True)
    make_cooperative(old[DAI_SON])
    make_cooperative(old[DAI_SON], digital=True, founded_on=datetime.date(2025, 3, 1))
    make_cooperative(old[DAI_SON], digital=True, is_active=False, dissolved_on=CLOSED)


def test_xa_with_digital_cooperatives_counts_every_xa_but_not_the_thi_tran(
    digital_communes, old
):
    values = provider_for("KH.XA_HTX_CNS").compute(Period.year(2024))["KH.XA_HTX_CNS"]

    assert old[AI_NGHIA].pk not in values  # a thị trấn is not counted
    assert len(values) == 17
    assert sum(n for n, _d in values.values()) == 3
    assert values[old[DAI_SON].pk] == (0, 1)


def test_xa_with_digital_cooperatives_places_old_communes_under_2025_ones(
    digital_communes,
):
    values = provider_for("KH.XA_HTX_CNS").compute(Period.year(2025))["KH.XA_HTX_CNS"]

    names = dict(Unit.objects.filter(pk__in=values).values_list("pk", "name"))
    assert {names[pk]: pair for pk, pair in values.items()} == {
        "Xã Hà Nha": (1, 1),  # Đại Đồng and Đại Hồng merged into it
        "Xã Vu Gia": (1, 1),  # Đại Minh
        "Xã Đại Lộc": (1, 1),  # the old thị trấn's cooperative, now in a xã
        "Xã Thượng Đức": (1, 1),  # Đại Sơn's cooperative founded in 2025
        "Xã Phú Thuận": (0, 1),
    }


def test_target_6_is_the_share_of_xa_with_a_digital_cooperative(digital_communes, plan):
    # 2024: 3 of 17 xã; 2025: 4 of the 5 new xã.
    assert _target(plan, 2024, "6").value == Decimal("17.65")
    assert _target(plan, 2025, "6").value == Decimal("80.00")


@pytest.fixture
def linkages(old, make_cooperative, make_linkage):
    """A: tied to sales; B: not tied; C: tied but the model stopped;
    D: tied, started 2025; E: an inactive cooperative (not counted)."""
    a = make_cooperative(old[DAI_DONG])
    b = make_cooperative(old[DAI_DONG])
    c = make_cooperative(old[DAI_HONG])
    d = make_cooperative(old[DAI_HONG])
    e = make_cooperative(old[DAI_HONG], is_active=False, dissolved_on=CLOSED)
    make_linkage(a, tied_to_sales=True, started_year=2020)
    make_linkage(b, tied_to_sales=False)
    make_linkage(c, tied_to_sales=True, is_active=False, ended_year=2023)
    make_linkage(d, tied_to_sales=True, started_year=2025)
    make_linkage(e, tied_to_sales=True)
    # Raw-material areas: one with digital technology, one without; a digital
    # model without an area and an inactive one do not count.
    make_linkage(a, name="Vùng lúa", has_raw_material_area=True,
                 applies_digital_technology=True)  # fmt: skip
    make_linkage(b, name="Vùng rau", has_raw_material_area=True)
    make_linkage(c, name="Nấm", applies_digital_technology=True)
    make_linkage(d, name="Vùng nấm", has_raw_material_area=True,
                 applies_digital_technology=True, is_active=False,
                 ended_year=2024)  # fmt: skip
    return {"a": a, "d": d}


def test_cooperatives_with_linkage_by_registered_commune(linkages, old):
    values = provider_for("KH.HTX_LIEN_KET").compute(Period.year(2024))

    assert values["KH.HTX_LIEN_KET"] == {
        old[DAI_DONG].pk: (1, 2),
        old[DAI_HONG].pk: (0, 2),
    }


def test_raw_material_models_with_digital_technology(linkages, old):
    values = provider_for("KH.LK_VNL_CNS").compute(Period.year(2024))

    assert values["KH.LK_VNL_CNS"] == {old[DAI_DONG].pk: (1, 2)}


def test_targets_7a_and_7b_at_the_district_across_the_merger(linkages, plan):
    assert _target(plan, 2024, "7a").value == Decimal("25.00")
    assert _target(plan, 2025, "7a").value == Decimal("50.00")
    assert _target(plan, 2025, "7b").value == Decimal("50.00")
    # Laggards in 2025 are the new communes: Hà Nha holds all four.
    laggards = _target(plan, 2025, "7a").laggards
    assert [(lag.unit.name, lag.value) for lag in laggards if lag.value] == [
        ("Xã Hà Nha", Decimal("50.00"))
    ]
