"""Frozen computed values partitioned by province code on PostgreSQL
(ntm.core.partitions): a snapshot lies in its unit's province."""

from django.db import migrations

from ntm.core.partitions import partition_by_province


def fill_province_codes(apps, schema_editor):
    ComputedSnapshot = apps.get_model("indicators", "ComputedSnapshot")
    Unit = apps.get_model("units", "Unit")
    provinces = {}
    for pk, path in Unit.objects.values_list("pk", "path"):
        provinces.setdefault(path.split("/")[0], []).append(pk)
    for code, ids in provinces.items():
        for start in range(0, len(ids), 500):
            ComputedSnapshot.objects.filter(unit_id__in=ids[start : start + 500]).update(
                province_code=code
            )


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0007_snapshot_province_code"),
        ("units", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(fill_province_codes, migrations.RunPython.noop),
        migrations.RunPython(*partition_by_province("indicators_computedsnapshot")),
    ]
