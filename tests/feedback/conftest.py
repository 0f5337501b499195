import datetime

import pytest
from django.utils import timezone

from ntm.feedback.models import Category

# A frozen clock: every service call in these tests is given its time.
T0 = timezone.make_aware(datetime.datetime(2026, 11, 2, 8, 0))


def box(west, south, east, north):
    return {
        "type": "Polygon",
        "coordinates": [
            [[west, south], [east, south], [east, north], [west, north], [west, south]]
        ],
    }


@pytest.fixture
def area(units, villages):
    """Hà Nha and Vu Gia as two squares side by side, villages at known points."""
    units["ha_nha"].boundary = box(108.00, 15.80, 108.10, 15.90)
    units["ha_nha"].save(update_fields=["boundary"])
    units["vu_gia"].boundary = box(108.10, 15.80, 108.20, 15.90)
    units["vu_gia"].save(update_fields=["boundary"])
    for key, lon in (("hn1", 108.02), ("hn2", 108.08), ("vg1", 108.15)):
        villages[key].lat, villages[key].lon = 15.85, lon
        villages[key].save(update_fields=["lat", "lon"])
    return {**units, **villages}


@pytest.fixture
def roads(db):
    return Category.objects.get(code="duong-sa")


@pytest.fixture
def lights(db):
    return Category.objects.get(code="den-duong")
