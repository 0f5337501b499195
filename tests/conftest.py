import pytest

from ntm.accounts.models import Role
from ntm.units.models import Unit
from ntm.units.services import load_reference_units

from .factories import BEFORE_2025, make_member, make_village


@pytest.fixture
def units(db):
    """The real units of Đại Lộc and the 2025 reorganisation."""
    load_reference_units(by=None)
    return {
        "ha_nha": Unit.objects.by_code("20515"),
        "vu_gia": Unit.objects.by_code("20539"),
        "dai_dong": Unit.objects.by_code("20515", on=BEFORE_2025),
        "district": Unit.objects.by_code("506", on=BEFORE_2025),
        "city": Unit.objects.by_code("48"),
    }


@pytest.fixture
def villages(units):
    """Two villages of Xã Hà Nha and one of Xã Vu Gia (current units)."""
    return {
        "hn1": make_village(units["ha_nha"], 1),
        "hn2": make_village(units["ha_nha"], 2),
        "vg1": make_village(units["vu_gia"], 1),
    }


@pytest.fixture
def village_head(villages):
    return make_member(villages["hn1"], Role.VILLAGE_HEAD, username="truongthon")


@pytest.fixture
def commune_officer(units):
    return make_member(units["ha_nha"], Role.COMMUNE_OFFICER, username="canboxa")
