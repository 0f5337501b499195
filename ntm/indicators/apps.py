from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "ntm.indicators"
    label = "indicators"
    verbose_name = "Chỉ tiêu và bộ tiêu chí"

    # The Vietnamese name of every action this app's services log (audit).
    action_labels = {
        "indicators.value.created": _("Nhập giá trị"),
        "indicators.value.changed": _("Sửa giá trị"),
        "indicators.value.submitted": _("Gửi duyệt"),
        "indicators.value.approved": _("Duyệt"),
        "indicators.value.returned": _("Trả lại để sửa"),
        "indicators.evidence.created": _("Thêm minh chứng"),
        "indicators.requirement.changed": _("Sửa yêu cầu"),
        "indicators.criteriaset.created": _("Nạp bộ tiêu chí"),
        "indicators.criteriaset.updated": _("Nạp lại bộ tiêu chí"),
        "indicators.classification.set": _("Phân loại đơn vị"),
        "indicators.period.frozen": _("Chốt số liệu hộ gia đình, cơ sở của kỳ"),
        "indicators.period.closed": _("Khóa sổ kỳ báo cáo"),
        "indicators.period.reopened": _("Mở lại kỳ báo cáo đã khóa sổ"),
    }
