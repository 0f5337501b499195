import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "parameters.json"


def load(apps, schema_editor):
    # The shipped limits, all unconfirmed; later edits are the admin's.
    Parameter = apps.get_model("environment", "Parameter")
    rows = json.loads(DATA.read_text(encoding="utf-8"))["parameters"]
    existing = set(Parameter.objects.values_list("code", flat=True))
    Parameter.objects.bulk_create(
        [Parameter(**row) for row in rows if row["code"] not in existing]
    )


class Migration(migrations.Migration):
    dependencies = [("environment", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
