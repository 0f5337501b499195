from django.db import migrations

# A copy, not an import: migrations must not change when the model module does.
TECHNOLOGIES = [
    ("thuong-mai-dien-tu", "Thương mại điện tử"),
    ("truy-xuat-nguon-goc", "Truy xuất nguồn gốc"),
    ("phan-mem-ke-toan", "Phần mềm kế toán, quản lý"),
    ("thanh-toan-so", "Thanh toán không dùng tiền mặt"),
    ("iot-cam-bien", "IoT, cảm biến, tự động hóa"),
    ("khac", "Công nghệ số khác"),
]


def add_technologies(apps, schema_editor):
    DigitalTechnology = apps.get_model("cooperatives", "DigitalTechnology")
    for order, (code, name) in enumerate(TECHNOLOGIES, start=1):
        DigitalTechnology.objects.update_or_create(
            code=code, defaults={"name": name, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("cooperatives", "0001_initial")]

    operations = [migrations.RunPython(add_technologies, migrations.RunPython.noop)]
