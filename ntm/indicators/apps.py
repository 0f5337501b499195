from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "ntm.indicators"
    label = "indicators"
    verbose_name = "Chỉ tiêu và bộ tiêu chí"
