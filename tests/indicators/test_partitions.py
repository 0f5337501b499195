"""Frozen computed values partitioned by province code (issue 15 item 3,
ntm.core.partitions): on PostgreSQL a snapshot lies in its unit's province's
partition, and a scoped evaluation reads its provinces' partitions only; on
SQLite the same column."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ntm.core.partitions import partitioned_tables
from ntm.households.models import EcommercePlatform
from ntm.indicators.evaluation import Context, evaluate
from ntm.indicators.models import ComputedSnapshot, Period
from ntm.indicators.services import freeze_period
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def frozen(villages, smart_set):
    """2025 frozen with an e-commerce share in Hà Nha and Vu Gia (both of
    Đà Nẵng, 48)."""
    platform, _ = EcommercePlatform.objects.get_or_create(name="Sàn thử")
    for village in (villages["hn1"], villages["vg1"]):
        HouseholdFactory(village=village, is_business=True).ecommerce_platforms.add(
            platform
        )
    period = Period.year(2025)
    freeze_period(period, by=None)
    return period


def _snapshot_queries(queries):
    return [
        q["sql"] for q in queries if 'FROM "indicators_computedsnapshot"' in q["sql"]
    ]


def test_a_snapshot_lands_in_its_units_provinces_partition(frozen, villages):
    snapshot = ComputedSnapshot.objects.get(
        indicator__code="SV.ECOMMERCE", unit=villages["hn1"], period=frozen
    )

    assert snapshot.province_code == "48"
    if POSTGRES:
        assert "indicators_computedsnapshot" in partitioned_tables()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tableoid::regclass::text FROM indicators_computedsnapshot "
                "WHERE id = %s",
                [snapshot.pk],
            )
            assert cursor.fetchone() == ("indicators_computedsnapshot_p48",)


def test_a_scoped_evaluation_reads_the_snapshots_of_its_province_only(
    frozen, villages, units, smart_set
):
    hn1 = villages["hn1"]

    with CaptureQueriesContext(connection) as queries:
        evaluations = evaluate(
            smart_set,
            [hn1],
            frozen,
            Context(frozen, live=False, within=[units["ha_nha"]]),
        )

    measurement = evaluations[hn1.pk].result_for("TM.2").measurement
    assert (measurement.numerator, measurement.denominator) == (1, 1)
    (sql,) = _snapshot_queries(queries.captured_queries)
    assert "province_code" in sql
    if POSTGRES:
        rows = ComputedSnapshot.objects.filter(period=frozen, province_code__in=["48"])
        plan_sql, params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + plan_sql, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
        assert "indicators_computedsnapshot_p48" in plan
        assert "indicators_computedsnapshot_p49" not in plan
        assert "indicators_computedsnapshot_default" not in plan


def test_an_entered_value_lands_in_its_units_provinces_partition(villages, approve):
    from ntm.indicators.models import Evidence, IndicatorValue

    from .conftest import make_indicator

    indicator = make_indicator("P.1")
    entry = approve(indicator, villages["hn1"], Period.year(2026), "3")
    Evidence.objects.create(
        value=entry, name="bien-ban.pdf", uploaded_by=entry.entered_by
    )

    assert entry.province_code == "48"
    if POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tableoid::regclass::text FROM indicators_indicatorvalue "
                "WHERE id = %s",
                [entry.pk],
            )
            assert cursor.fetchall() == [("indicators_indicatorvalue_p48",)]
    # Evidence points at its value through Django, which still cascades.
    IndicatorValue.objects.filter(pk=entry.pk).delete()
    assert not Evidence.objects.exists()
