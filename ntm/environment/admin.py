from django.contrib import admin

from .models import MonitoringPoint, Parameter, Sensor


@admin.register(Parameter)
class ParameterAdmin(admin.ModelAdmin):
    # Limits are data a district admin checks against the regulation and edits.
    list_display = [
        "code",
        "name",
        "medium",
        "low",
        "high",
        "regulation",
        "is_confirmed",
    ]
    list_filter = ["medium", "is_confirmed"]


@admin.register(MonitoringPoint)
class MonitoringPointAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "unit"]
    raw_id_fields = ["unit"]
    filter_horizontal = ["parameters"]


@admin.register(Sensor)
class SensorAdmin(admin.ModelAdmin):
    list_display = ["device_id", "point", "is_active", "last_seen"]
    readonly_fields = ["key_hash", "last_seen"]
