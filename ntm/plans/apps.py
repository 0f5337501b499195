from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "ntm.plans"
    label = "plans"
    verbose_name = "Kế hoạch"

    # The Vietnamese name of every action this app's services log (audit).
    action_labels = {
        "plans.plan.created": _("Tạo kế hoạch"),
        "plans.task.created": _("Thêm nhiệm vụ"),
        "plans.task.changed": _("Sửa nhiệm vụ"),
        "plans.task.updated": _("Cập nhật tiến độ"),
        "plans.task.imported": _("Nhập nhiệm vụ từ Excel"),
        "plans.budget.created": _("Thêm dòng kinh phí"),
        "plans.budget.changed": _("Sửa dòng kinh phí"),
        "plans.budget.deleted": _("Xóa dòng kinh phí"),
        "plans.budget.imported": _("Nhập kinh phí từ Excel"),
        "plans.tally.created": _("Thêm số liệu hồ sơ công việc"),
        "plans.tally.changed": _("Sửa số liệu hồ sơ công việc"),
        "plans.tally.deleted": _("Xóa số liệu hồ sơ công việc"),
        "plans.tally.imported": _("Nhập số liệu hồ sơ công việc từ Excel"),
        "plans.service.created": _("Thêm dịch vụ thiết yếu trực tuyến"),
        "plans.service.changed": _("Sửa dịch vụ thiết yếu trực tuyến"),
        "plans.service.deleted": _("Xóa dịch vụ thiết yếu trực tuyến"),
        "plans.service.imported": _("Nhập dịch vụ thiết yếu từ Excel"),
        "plans.pilot.created": _("Thêm xã thí điểm"),
        "plans.pilot.changed": _("Sửa xã thí điểm"),
        "plans.pilot.deleted": _("Xóa xã thí điểm"),
        "plans.pilot.imported": _("Nhập xã thí điểm từ Excel"),
    }

    def ready(self):
        # Joins the indicator engine: registers the plan's record providers.
        from . import indicators  # noqa: F401
