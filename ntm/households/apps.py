from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "ntm.households"
    label = "households"
    verbose_name = "Hộ gia đình"

    def ready(self):
        # Joins the indicator engine: registers the smart-village providers.
        from ntm.units.panels import register_panel

        from . import indicators  # noqa: F401
        from .panels import household_count

        register_panel(household_count)
