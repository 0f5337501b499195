"""Survey responses partitioned by province code on PostgreSQL
(ntm.core.partitions): a response lies in its household's province. Answers
point at their response through Django (0004)."""

from django.db import migrations

from ntm.core.partitions import fill_province_codes, partition_by_province


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0004_response_province_code"),
        ("households", "0014_partition_households"),
    ]

    operations = [
        migrations.RunPython(
            fill_province_codes("surveys.Response", "household__village__path"),
            migrations.RunPython.noop,
        ),
        migrations.RunPython(*partition_by_province("surveys_response")),
    ]
