import pytest

pytestmark = pytest.mark.django_db


def test_reference_units_load_the_2025_lineage(units):
    predecessors = sorted(u.name for u in units["ha_nha"].predecessors())

    assert predecessors == ["Xã Đại Hồng", "Xã Đại Quang", "Xã Đại Đồng"]
