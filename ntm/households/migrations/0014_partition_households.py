"""Households and their versions partitioned by province code on PostgreSQL
(ntm.core.partitions): a household lies in its village's province.

The foreign keys into the households became Django's own first
(e-commerce platforms here; OCOP entities, survey responses and growing
areas in their apps), as a partitioned table asks.
"""

from django.db import migrations

from ntm.core.partitions import fill_province_codes, partition_by_province


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0013_household_province_code"),
        ("ocop", "0004_entity_household_kept_by_django"),
        ("surveys", "0004_response_province_code"),
        ("traceability", "0005_area_households_kept_by_django"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            fill_province_codes("households.Household", "village__path"),
            migrations.RunPython.noop,
        ),
        migrations.RunPython(
            fill_province_codes("households.HistoricalHousehold", "village__path"),
            migrations.RunPython.noop,
        ),
        migrations.RunPython(*partition_by_province("households_household")),
        migrations.RunPython(
            *partition_by_province("households_historicalhousehold", pk="history_id")
        ),
    ]
