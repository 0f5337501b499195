from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ntm.plans"
    label = "plans"
    verbose_name = "Kế hoạch"
