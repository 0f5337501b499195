"""Audit entries of the reports app renamed to the past tense, as every other
app names its actions (reports.submission.submit -> …submitted)."""

from django.db import migrations

RENAMED = {
    "reports.form.create": "reports.form.created",
    "reports.form.assign": "reports.form.assigned",
    "reports.assignment.change_due_date": "reports.assignment.due_date_changed",
    "reports.assignment.remind": "reports.assignment.reminded",
    "reports.submission.save": "reports.submission.saved",
    "reports.submission.submit": "reports.submission.submitted",
    "reports.submission.return": "reports.submission.returned",
    "reports.submission.accept": "reports.submission.accepted",
}


def rename(apps, names):
    ActionLog = apps.get_model("core", "ActionLog")
    for old, new in names.items():
        ActionLog.objects.filter(action=old).update(action=new)


def forwards(apps, schema_editor):
    rename(apps, RENAMED)


def backwards(apps, schema_editor):
    rename(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("reports", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
