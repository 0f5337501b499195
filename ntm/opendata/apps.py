from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "ntm.opendata"
    label = "opendata"
    verbose_name = "Dữ liệu mở"
