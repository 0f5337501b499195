"""Households and their versions partitioned by province code (issue 15
item 3, ntm.core.partitions): on PostgreSQL a household's row and its
versions lie in its village's province's partition, whichever way it was
written, and a district's register pass reads that partition alone; on
SQLite the same column. The relations into the households are Django's own
(a partitioned table takes no single-column foreign key): what the database
no longer checks, Django still does."""

import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext

from ntm.core.partitions import PARTITIONED_TABLES, partitioned_tables
from ntm.households.imports import import_households
from ntm.households.models import Household
from ntm.households.register_pass import today_by_village
from ntm.households.services import create_household
from ntm.indicators.models import Period
from ntm.indicators.providers import Within
from ntm.ocop.models import Entity
from tests.factories import EntityFactory, HouseholdFactory

from .workbooks import row, xlsx

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


def _partitions(table, **where):
    """The partitions holding ``table``'s rows that match ``where``."""
    condition = " AND ".join(f"{column} = %s" for column in where) or "TRUE"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT tableoid::regclass::text FROM {table} WHERE {condition}",
            list(where.values()),
        )
        return sorted(name for (name,) in cursor.fetchall())


def test_the_growing_tables_are_partitioned_on_postgresql_only():
    expected = {
        "households_household",
        "households_historicalhousehold",
        "indicators_indicatorvalue",
        "surveys_response",
        "traceability_event",
        "environment_reading",
        "indicators_computedsnapshot",
    }
    assert expected == PARTITIONED_TABLES
    assert set(partitioned_tables()) == (expected if POSTGRES else set())
    if POSTGRES:
        # Dropping the old table would have dropped such a key silently.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text FROM pg_constraint "
                "WHERE contype = 'f' AND confrelid IN ("
                "  SELECT partrelid FROM pg_partitioned_table)"
            )
            assert cursor.fetchall() == []


def test_a_household_and_its_versions_land_in_its_provinces_partition(
    villages, village_head
):
    household = create_household(
        village=villages["hn1"], by=village_head, code="HN9001", head_name="Lê Văn A"
    )
    household.refresh_from_db()

    assert household.province_code == "48"
    assert household.history.get().province_code == "48"
    if POSTGRES:
        assert _partitions("households_household", id=household.pk) == [
            "households_household_p48"
        ]
        assert _partitions("households_historicalhousehold", id=household.pk) == [
            "households_historicalhousehold_p48"
        ]


def test_imported_households_land_in_their_provinces_partition(villages, village_head):
    code = villages["hn1"].code
    import_households(xlsx([row("HN91", code), row("HN92", code)]), by=village_head)

    imported = Household.objects.filter(code__in=["HN91", "HN92"])
    assert {h.province_code for h in imported} == {"48"}
    if POSTGRES:
        assert _partitions("households_household", province_code="48") == [
            "households_household_p48"
        ]
        assert _partitions("households_household", province_code="") == []


def test_a_districts_register_pass_reads_its_provinces_partition_only(villages):
    HouseholdFactory(village=villages["hn1"], has_fibre=True)
    village = villages["hn1"]
    within = Within((village.path,))

    with CaptureQueriesContext(connection) as queries:
        today_by_village(Period.year(2026), within)
    [sql] = [q["sql"] for q in queries if 'FROM "households_household"' in q["sql"]]

    assert "province_code" in sql
    if POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql)
            plan = " ".join(line for (line,) in cursor.fetchall())
        assert "households_household_p48" in plan
        assert "households_household_p49" not in plan
        assert "households_household_default" not in plan


def test_a_household_code_stays_unique_in_its_province(villages):
    from django.db import IntegrityError, transaction

    HouseholdFactory(village=villages["hn1"], code="HN7")
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.bulk_create(
            [Household(village=villages["hn2"], code="HN7", province_code="48")]
        )


def test_django_still_protects_a_household_with_an_ocop_entity_and_answers(
    villages,
):
    from ntm.surveys.models import Response
    from tests.surveys.conftest import make_survey

    household = HouseholdFactory(village=villages["hn1"])
    entity = EntityFactory(household=household, unit=villages["hn1"].parent)
    survey = make_survey(villages["hn1"].parent)
    Response.objects.create(survey=survey, household=household)

    with pytest.raises(ProtectedError):
        household.delete()
    Response.objects.filter(household=household).delete()
    household.delete()

    entity.refresh_from_db()
    assert entity.household is None  # SET_NULL, applied by Django
    assert Entity.objects.filter(pk=entity.pk).exists()


def test_check_production_finds_a_response_whose_household_was_deleted_behind_django(
    villages,
):
    from ntm.core.partitions import orphans
    from ntm.surveys.models import Response
    from tests.surveys.conftest import make_survey

    household = HouseholdFactory(village=villages["hn1"])
    Response.objects.create(
        survey=make_survey(villages["hn1"].parent), household=household
    )
    assert orphans() == []

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM households_household WHERE id = %s", [household.pk])

    assert orphans() == [("surveys.Response", "household", 1)]
