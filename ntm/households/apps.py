from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "ntm.households"
    label = "households"
    verbose_name = "Hộ gia đình"
    action_labels = {
        "households.household.archived": _("Ngừng theo dõi hộ"),
        "households.household.restored": _("Theo dõi lại hộ"),
    }

    def ready(self):
        # Joins the indicator engine: registers the smart-village providers.
        from ntm.units.panels import register_panel

        from . import indicators  # noqa: F401
        from .panels import household_count

        register_panel(household_count)
