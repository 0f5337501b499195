from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ntm.reports"
    verbose_name = "Báo cáo định kỳ"

    # The Vietnamese name of every action this app's services log (audit).
    action_labels = {
        "reports.form.created": _("Tạo mẫu báo cáo"),
        "reports.form.assigned": _("Giao báo cáo"),
        "reports.assignment.due_date_changed": _("Đổi hạn nộp"),
        "reports.assignment.reminded": _("Gửi lời nhắc"),
        "reports.submission.saved": _("Lưu bản nháp"),
        "reports.submission.submitted": _("Nộp báo cáo"),
        "reports.submission.returned": _("Trả lại để sửa"),
        "reports.submission.accepted": _("Tiếp nhận báo cáo"),
    }
