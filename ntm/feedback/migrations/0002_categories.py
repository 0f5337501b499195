from django.db import migrations


def load_categories(apps, schema_editor):
    from ntm.feedback.services import load_categories

    load_categories(apps.get_model("feedback", "Category"))


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(load_categories, migrations.RunPython.noop)]
