from django.apps import AppConfig


class CooperativesConfig(AppConfig):
    name = "ntm.cooperatives"
    label = "cooperatives"
    verbose_name = "Hợp tác xã"

    def ready(self):
        # Joins the indicator engine: registers the providers of targets 6, 7.
        from . import indicators  # noqa: F401
