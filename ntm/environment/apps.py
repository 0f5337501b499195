from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnvironmentConfig(AppConfig):
    name = "ntm.environment"
    label = "environment"
    verbose_name = "Quan trắc môi trường"

    # The Vietnamese name of every action this app's services log (audit).
    action_labels = {
        "environment.point.created": _("Thêm điểm quan trắc"),
        "environment.sensor.issued": _("Cấp khóa thiết bị đo"),
        "environment.lab_result.created": _("Nhập kết quả xét nghiệm"),
    }
