"""Readings partitioned by province code on PostgreSQL (ntm.core.partitions)."""

from django.db import migrations

from ntm.core.partitions import partition_by_province


def fill_province_codes(apps, schema_editor):
    Reading = apps.get_model("environment", "Reading")
    MonitoringPoint = apps.get_model("environment", "MonitoringPoint")
    for pk, path in MonitoringPoint.objects.values_list("pk", "unit__path"):
        Reading.objects.filter(point_id=pk).update(province_code=path.split("/")[0])


class Migration(migrations.Migration):
    dependencies = [
        ("environment", "0004_reading_province_partitions"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(fill_province_codes, migrations.RunPython.noop),
        migrations.RunPython(*partition_by_province("environment_reading")),
    ]
