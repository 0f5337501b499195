"""Entered indicator values partitioned by province code on PostgreSQL
(ntm.core.partitions): a value lies in its unit's province. Evidence points
at its value through Django (0009)."""

from django.db import migrations

from ntm.core.partitions import fill_province_codes, partition_by_province


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0009_value_province_code"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            fill_province_codes("indicators.IndicatorValue", "unit__path"),
            migrations.RunPython.noop,
        ),
        migrations.RunPython(*partition_by_province("indicators_indicatorvalue")),
    ]
