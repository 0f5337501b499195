from django.db import migrations


def load_categories(apps, schema_editor):
    from ntm.feedback.models import rules

    Category = apps.get_model("feedback", "Category")
    for item in rules()["categories"]:
        Category.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "office": item["office"],
                "deadline_days": item["deadline_days"],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(load_categories, migrations.RunPython.noop)]
