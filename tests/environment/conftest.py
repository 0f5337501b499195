import datetime

import pytest
from django.utils import timezone

from ntm.environment.models import Parameter
from ntm.environment.services import create_point, issue_sensor_key

T0 = timezone.make_aware(datetime.datetime(2026, 11, 30, 8, 0))


@pytest.fixture
def point(units):
    return create_point(
        code="hn-nuoc-01",
        name="Trạm cấp nước Hà Nha",
        kind="water_source",
        unit=units["ha_nha"],
        parameters=Parameter.objects.filter(code__in=["ph", "do-duc"]),
        by=None,
    )


@pytest.fixture
def sensor(point):
    """(sensor, key) for ``point``."""
    return issue_sensor_key(point, device_id="hn-nuoc-01-s1", by=None)


def at(minutes):
    return T0 + datetime.timedelta(minutes=minutes)
