"""Trace events partitioned by province code on PostgreSQL
(ntm.core.partitions): a lot's events lie in its growing area's province."""

from django.db import migrations

from ntm.core.partitions import partition_by_province


def fill_province_codes(apps, schema_editor):
    Event = apps.get_model("traceability", "Event")
    GrowingArea = apps.get_model("traceability", "GrowingArea")
    for unit_id, path in (
        GrowingArea.objects.filter(lots__events__isnull=False)
        .values_list("unit_id", "unit__path")
        .distinct()
    ):
        Event.objects.filter(lot__area__unit_id=unit_id).update(
            province_code=path.split("/")[0]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("traceability", "0003_event_province_code"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(fill_province_codes, migrations.RunPython.noop),
        migrations.RunPython(*partition_by_province("traceability_event")),
    ]
