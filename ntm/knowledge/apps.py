from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "ntm.knowledge"
    label = "knowledge"
    verbose_name = "Tri thức và tập huấn"

    # Exports run as jobs (ntm/core/exports.py).
    export_kinds = ["ntm.knowledge.exports.ROSTER_EXPORT"]
    # The Vietnamese name of every action this app's services log (audit).
    action_labels = {
        "knowledge.staff.created": _("Thêm cán bộ"),
        "knowledge.staff.changed": _("Sửa thông tin cán bộ"),
        "knowledge.staff.deleted": _("Xóa cán bộ"),
        "knowledge.training.created": _("Thêm lớp tập huấn"),
        "knowledge.training.changed": _("Sửa lớp tập huấn"),
        "knowledge.training.deleted": _("Xóa lớp tập huấn"),
        "knowledge.participant.created": _("Thêm người tham gia"),
        "knowledge.participant.changed": _("Sửa người tham gia"),
        "knowledge.participant.deleted": _("Xóa người tham gia"),
        "knowledge.guide.created": _("Đăng tài liệu kiến thức"),
        "knowledge.guide.changed": _("Sửa tài liệu kiến thức"),
        "knowledge.guide.deleted": _("Xóa tài liệu kiến thức"),
    }

    def ready(self):
        # Joins the indicator engine: registers the target-5 provider.
        from . import indicators  # noqa: F401
