from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "ntm.households"
    label = "households"
    verbose_name = "Hộ gia đình"
    action_labels = {
        "households.register.exported": _("Xuất danh sách hộ (dữ liệu cá nhân)"),
    }

    def ready(self):
        # Joins the indicator engine: registers the smart-village providers.
        from ntm.units.panels import register_panel

        from . import indicators  # noqa: F401
        from .panels import household_count

        register_panel(household_count)
