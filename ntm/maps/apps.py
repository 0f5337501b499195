from django.apps import AppConfig


class MapsConfig(AppConfig):
    name = "ntm.maps"
    label = "maps"
    verbose_name = "Bản đồ số"
