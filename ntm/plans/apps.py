from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ntm.plans"
    label = "plans"
    verbose_name = "Kế hoạch"

    def ready(self):
        # Joins the indicator engine: registers the plan's record providers.
        from . import indicators  # noqa: F401
