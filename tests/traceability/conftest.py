import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from shapely.geometry import box

from ntm.accounts.models import Office, Role
from ntm.ocop.gs1 import check_digit
from ntm.ocop.models import Entity, Product, ProductGroup
from ntm.traceability.models import CropKind, DiaryEntry
from ntm.traceability.services import (
    change_area_status,
    create_lot,
    declare_area,
    record_diary_entry,
)

from ..factories import make_member

# About 1.1 km west of Hà Nha's centre: a 0.003° square is about 10.7 ha.
LON, LAT = 108.02, 15.86
TODAY = timezone.localdate()


def square(side=0.003, lon=LON, lat=LAT):
    return box(lon, lat, lon + side, lat + side)


def gtin(item):
    body = f"0893{item:09d}"
    return body + check_digit(body)


@pytest.fixture
def entity(units):
    return Entity.objects.create(
        code="4000123456",
        name="HTX Rau an toàn Hà Nha",
        kind=Entity.Kind.COOPERATIVE,
        unit=units["ha_nha"],
        address="Thôn 1, xã Hà Nha",
        representative="Nguyễn Văn Đại",
        representative_phone="0905111222",
        contact_phone="02353111222",
        contact_is_public=True,
    )


@pytest.fixture
def other_entity(units):
    return Entity.objects.create(
        code="4000999999",
        name="Hộ kinh doanh Trần Thị Mai",
        kind=Entity.Kind.HOUSEHOLD_BUSINESS,
        unit=units["vu_gia"],
        address="Số 9, thôn 2, xã Vu Gia",
    )


@pytest.fixture
def product(entity):
    return Product.objects.create(
        entity=entity, name="Rau cải ngọt", group=ProductGroup.FOOD, gtin=gtin(1)
    )


@pytest.fixture
def local_product(entity):
    return Product.objects.create(
        entity=entity, name="Rau muống", group=ProductGroup.FOOD
    )


@pytest.fixture
def producer(entity, units):
    user = make_member(units["ha_nha"], Role.PRODUCER, username="htx.hanha")
    entity.accounts.add(user)
    return user


@pytest.fixture
def other_producer(other_entity, units):
    user = make_member(units["vu_gia"], Role.PRODUCER, username="ho.mai")
    other_entity.accounts.add(user)
    return user


@pytest.fixture
def office(units):
    return make_member(
        units["city"], Role.OFFICE_STAFF, Office.AGRICULTURE, username="nnptnt"
    )


@pytest.fixture
def declared(entity, producer, units):
    return declare_area(
        entity=entity,
        name="Cánh đồng rau Bàu Sen",
        unit=units["ha_nha"],
        crop="Rau cải",
        crop_kind=CropKind.ANNUAL,
        boundary=square(),
        on=TODAY - datetime.timedelta(days=120),
        by=producer,
    )


@pytest.fixture
def coded(declared, office):
    for action, days in (("inspect", 110), ("issue", 100)):
        change_area_status(
            declared,
            action,
            by=office,
            on=TODAY - datetime.timedelta(days=days),
            reason="Đạt yêu cầu",
        )
    return declared


@pytest.fixture
def sprayed(coded, producer):
    """A spraying 30 days ago with a 7-day interval: harvests are safe now."""
    record_diary_entry(
        coded,
        kind=DiaryEntry.Kind.PLANTING,
        on=TODAY - datetime.timedelta(days=60),
        input_name="Cải ngọt TN 15",
        by=producer,
    )
    record_diary_entry(
        coded,
        kind=DiaryEntry.Kind.PESTICIDE,
        on=TODAY - datetime.timedelta(days=30),
        input_name="Radiant 60SC",
        dose="20 ml/bình 16 lít",
        preharvest_days=7,
        by=producer,
    )
    return coded


@pytest.fixture
def lot(sprayed, product, producer):
    harvest = record_diary_entry(
        sprayed,
        kind=DiaryEntry.Kind.HARVEST,
        on=TODAY - datetime.timedelta(days=5),
        quantity_kg=Decimal("800"),
        by=producer,
    )
    return create_lot(
        product=product,
        area=sprayed,
        number="HN-001",
        quantity_kg=Decimal("500"),
        produced_on=harvest.on,
        harvest=harvest,
        by=producer,
    )


@pytest.fixture
def login(client):
    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in
