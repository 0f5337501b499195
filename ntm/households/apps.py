from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "ntm.households"
    label = "households"
    verbose_name = "Hộ gia đình"
