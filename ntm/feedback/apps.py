from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "ntm.feedback"
    label = "feedback"
    verbose_name = "Phản ánh, kiến nghị"

    # The Vietnamese name of every action this app's services log (audit).
    action_labels = {
        "feedback.report.submitted": _("Gửi phản ánh"),
        "feedback.report.joined": _("Thêm người cũng gặp phản ánh"),
        "feedback.report.assigned": _("Giao xử lý phản ánh"),
        "feedback.report.started": _("Bắt đầu xử lý phản ánh"),
        "feedback.report.resolved": _("Báo đã xử lý xong phản ánh"),
        "feedback.report.closed": _("Đóng phản ánh"),
        "feedback.report.reopened": _("Mở lại phản ánh"),
        "feedback.report.escalated": _("Phản ánh quá hạn, chuyển lên cấp trên"),
    }

    def ready(self):
        # Joins the indicator engine: registers the feedback providers.
        from . import indicators  # noqa: F401
