"""Readings partitioned by province code (issue 15 item 3, ntm.core.partitions):
on PostgreSQL one partition per province and a default one; on SQLite the
same column, no partitions."""

import pytest
from django.db import connection

from ntm.core.partitions import ensure_province_partitions, partitioned_tables
from ntm.environment.models import Parameter, Reading
from ntm.environment.services import record_readings
from ntm.units.models import Unit
from tests.factories import make_unit

from .conftest import at

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


def _record(point, minutes=0):
    ph = Parameter.objects.get(code="ph")
    stored, _opened = record_readings(
        [(point, None, ph, 7.0, at(minutes))], source=Reading.Source.LAB
    )
    assert stored == 1
    return Reading.objects.get(point=point, measured_at=at(minutes))


def _partition_holding(reading):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM environment_reading WHERE id = %s",
            [reading.pk],
        )
        return cursor.fetchone()[0]


def test_a_reading_lands_in_its_provinces_partition(point):
    reading = _record(point)

    assert reading.province_code == "48"  # Xã Hà Nha, Thành phố Đà Nẵng
    assert Reading.objects.get(pk=reading.pk).province_code == "48"
    if POSTGRES:
        assert "environment_reading" in partitioned_tables()
        assert _partition_holding(reading) == "environment_reading_p48"


def test_a_points_readings_are_read_from_its_province_only(point):
    _record(point)
    rows = Reading.objects.of_point(point)

    assert rows.count() == 1
    assert "province_code" in str(rows.query)
    if POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + str(rows.query).replace("= 48", "= '48'"))
            plan = " ".join(row[0] for row in cursor.fetchall())
        assert "environment_reading_p48" in plan
        assert "environment_reading_p49" not in plan
        assert "environment_reading_default" not in plan


def test_a_province_added_later_takes_its_rows_from_the_default_partition(point):
    reading = _record(point)
    Reading.objects.filter(pk=reading.pk).update(province_code="77")
    if POSTGRES:
        assert _partition_holding(reading) == "environment_reading_default"

    make_unit("77", "Tỉnh Mới", Unit.Kind.PROVINCE)
    ensure_province_partitions()

    assert Reading.objects.get(pk=reading.pk).value == 7.0
    if POSTGRES:
        assert _partition_holding(reading) == "environment_reading_p77"
    ensure_province_partitions()  # again: nothing to do, nothing lost
    assert Reading.objects.filter(pk=reading.pk).exists()
