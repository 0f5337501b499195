"""Trace events partitioned by province code (issue 15 item 3,
ntm.core.partitions): on PostgreSQL a lot's events lie in its growing area's
province's partition and are read from it alone; on SQLite the same column."""

import pytest
from django.db import connection

from ntm.core.partitions import partitioned_tables
from ntm.traceability.models import Event

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


def test_a_lots_events_land_in_its_provinces_partition(lot):
    events = list(Event.objects.of_lot(lot))

    assert events and {event.province_code for event in events} == {"48"}
    if POSTGRES:
        assert "traceability_event" in partitioned_tables()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT tableoid::regclass::text FROM traceability_event"
            )
            assert cursor.fetchall() == [("traceability_event_p48",)]


def test_a_lots_events_are_read_from_its_province_only(lot):
    rows = Event.objects.of_lot(lot).order_by("sequence")
    sql, params = rows.query.sql_with_params()

    assert "province_code" in sql
    if POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
        assert "traceability_event_p48" in plan
        assert "traceability_event_p49" not in plan
        assert "traceability_event_default" not in plan


def test_the_chain_still_holds_one_event_per_lot_sequence(lot):
    from django.db import IntegrityError, transaction

    first = Event.objects.of_lot(lot).order_by("sequence").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(
            lot=lot,
            sequence=first.sequence,
            kind=first.kind,
            occurred_at=first.occurred_at,
            document=first.document,
            previous_hash=first.previous_hash,
            hash=first.hash,
            province_code=first.province_code,
        )
