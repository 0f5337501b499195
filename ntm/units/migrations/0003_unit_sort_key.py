from django.db import migrations, models

from ntm.core.text import natural_key

VILLAGE = 4  # Unit.Level.VILLAGE when this migration was written


def fill_sort_keys(apps, schema_editor):
    Unit = apps.get_model("units", "Unit")
    paths = dict(Unit.objects.values_list("pk", "path"))
    units = list(Unit.objects.only("pk", "name", "level", "path", "parent_id"))
    for unit in units:
        if unit.level == VILLAGE:
            unit.sort_key = f"{paths[unit.parent_id]}{natural_key(unit.name)}"[:255]
        else:
            unit.sort_key = unit.path
    Unit.objects.bulk_update(units, ["sort_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("units", "0002_constraint_messages")]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="sort_key",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=255
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
    ]
