from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperativesConfig(AppConfig):
    name = "ntm.cooperatives"
    label = "cooperatives"
    verbose_name = "Hợp tác xã"

    # The Vietnamese name of every action this app's services log (audit).
    # Exports run as jobs (ntm/core/exports.py).
    export_kinds = ["ntm.cooperatives.exports.COOPERATIVES_EXPORT"]
    action_labels = {
        "cooperatives.cooperative.created": _("Thêm hợp tác xã"),
        "cooperatives.cooperative.changed": _("Sửa thông tin hợp tác xã"),
        "cooperatives.cooperative.deleted": _("Xóa hợp tác xã"),
        "cooperatives.linkage.created": _("Thêm mô hình liên kết"),
        "cooperatives.linkage.changed": _("Sửa mô hình liên kết"),
        "cooperatives.linkage.deleted": _("Xóa mô hình liên kết"),
    }

    def ready(self):
        # Joins the indicator engine: registers the providers of targets 6, 7.
        from . import indicators  # noqa: F401
