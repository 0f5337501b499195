from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "ntm.surveys"
    label = "surveys"
    verbose_name = "Khảo sát sự hài lòng"

    # The Vietnamese name of every action this app's services log (audit).
    # Exports run as jobs (ntm/core/exports.py).
    export_kinds = ["ntm.surveys.exports.RESPONSES_EXPORT"]
    action_labels = {
        "surveys.survey.created": _("Tạo khảo sát"),
        "surveys.survey.updated": _("Sửa thông tin khảo sát"),
        "surveys.survey.opened": _("Mở khảo sát"),
        "surveys.survey.closed": _("Đóng khảo sát"),
        "surveys.question.added": _("Thêm câu hỏi"),
        "surveys.question.updated": _("Sửa câu hỏi"),
        "surveys.question.moved": _("Đổi thứ tự câu hỏi"),
        "surveys.question.deleted": _("Xóa câu hỏi"),
        "surveys.xlsform.imported": _("Nhập biểu mẫu XLSForm"),
        "surveys.response.submitted": _("Gửi phiếu trả lời"),
    }

    def ready(self):
        # Joins the indicator engine (the satisfaction providers) and the
        # offline register (paper answers typed on a phone).
        from . import indicators, sync  # noqa: F401
