from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "ntm.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ xét công nhận nông thôn mới"
