"""Give every existing household and facility its first dated version.

The register kept no versions before 0009. The best-known past of a row is
what it says now, in force since it was created (``created_at``): a past
day then shows the rows that existed that day, with their present facts;
changes made before this migration are only in the audit log.
"""

from django.db import migrations

FIELDS = {
    "Household": (
        "id", "code", "village_id", "head_name", "members", "phone", "address",
        "address_code", "lat", "lon", "has_fibre", "smartphones",
        "health_app_members", "is_business", "uses_traceability", "water_source",
        "left_on", "left_reason", "is_demo", "search_text",
    ),
    "Facility": (
        "id", "village_id", "kind", "name", "has_wifi", "address_code", "lat",
        "lon", "is_demo",
    ),
}  # fmt: skip


def first_versions(apps, schema_editor):
    for name, fields in FIELDS.items():
        model = apps.get_model("households", name)
        historical = apps.get_model("households", f"Historical{name}")
        rows = model._base_manager.values(*fields, "created_at").iterator(chunk_size=2000)
        batch = []
        for row in rows:
            created = row.pop("created_at")
            batch.append(
                historical(
                    **row,
                    history_date=created,
                    history_type="+",
                    history_change_reason="Phiên bản đầu (dữ liệu lúc nâng cấp)",
                )
            )
            if len(batch) == 2000:
                historical.objects.bulk_create(batch)
                batch = []
        historical.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("households", "0009_dated_history")]

    operations = [migrations.RunPython(first_versions, migrations.RunPython.noop)]
