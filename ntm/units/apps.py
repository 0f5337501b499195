from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "ntm.units"
    label = "units"
    verbose_name = "Đơn vị hành chính"

    # The Vietnamese name of every action this app's services log (audit).
    action_labels = {
        "units.unit.created": _("Tạo đơn vị"),
        "units.unit.changed": _("Sửa đơn vị"),
        "units.unit.boundary_set": _("Cập nhật ranh giới"),
        "units.reorganisation.created": _("Sắp xếp đơn vị hành chính"),
    }

    def ready(self):
        from django.db.models.signals import post_migrate

        from .spatial import ensure_postgis_after_migrate

        # PostGIS, when the server has it, enabled and indexed after every
        # migrate (ntm.units.spatial).
        post_migrate.connect(ensure_postgis_after_migrate, sender=self)
