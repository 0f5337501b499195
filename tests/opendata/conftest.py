from decimal import Decimal

import pytest
from django.core.cache import cache
from shapely.geometry import box

from ntm.cooperatives.models import Cooperative
from ntm.demo.builders import load_demo
from ntm.households.models import Facility
from ntm.ocop.models import Entity
from ntm.traceability.models import GrowingArea

from ..factories import FacilityFactory

# Enough households for every village to have some, few enough to load fast.
DEMO_HOUSEHOLDS = 200


@pytest.fixture
def demo(db):
    """The demo district: units, households, facilities, evaluations, plan,
    OCOP, growing areas, cooperatives, as `make demo` loads them."""
    cache.clear()
    load_demo(households=DEMO_HOUSEHOLDS)
    yield
    cache.clear()


SQUARE = box(108.02, 15.86, 108.023, 15.863).__geo_interface__


@pytest.fixture
def records(villages, units):
    """A few records of each spatial kind in Xã Hà Nha, and a cooperative."""
    cache.clear()
    FacilityFactory(
        village=villages["hn1"],
        name="Nhà văn hóa Thôn 1",
        lat=Decimal("15.861234"),
        lon=Decimal("108.021234"),
    )
    FacilityFactory(
        village=villages["hn2"],
        kind=Facility.Kind.WIFI_POINT,
        name='=HYPERLINK("http://x")',
        lat=Decimal("15.87"),
        lon=Decimal("108.03"),
    )
    Cooperative.objects.create(
        name="HTX Nông nghiệp Hà Nha",
        code="4205150001",
        commune=units["ha_nha"],
        members=1250,
        applies_digital_technology=True,
        representative="Nguyễn Văn Chủ Nhiệm",
        phone="0905999888",
    )
    household_business = Entity.objects.create(
        code="33150001",
        name="Hộ kinh doanh Trần Thị Hoa",
        kind=Entity.Kind.HOUSEHOLD_BUSINESS,
        unit=villages["hn1"],
        address="Thôn 1",
    )
    GrowingArea.objects.create(
        entity=household_business,
        name="Vùng rau Hà Nha",
        unit=units["ha_nha"],
        crop="Rau cải",
        boundary=SQUARE,
        area_ha=Decimal("10.7125"),
        code="VN-48-20515-01-01",
        status=GrowingArea.Status.ISSUED,
    )
    yield
    cache.clear()
