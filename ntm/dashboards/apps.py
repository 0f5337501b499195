from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "ntm.dashboards"
    label = "dashboards"
    verbose_name = "Bảng điều khiển"
