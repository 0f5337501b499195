from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraceabilityConfig(AppConfig):
    name = "ntm.traceability"
    label = "traceability"
    verbose_name = "Truy xuất nguồn gốc"

    action_labels = {
        "traceability.area.declared": _("Khai báo vùng trồng"),
        "traceability.area.changed": _("Sửa thông tin vùng trồng"),
        "traceability.area.inspected": _("Ghi kết quả kiểm tra vùng trồng"),
        "traceability.area.issued": _("Cấp mã số vùng trồng"),
        "traceability.area.supervised": _("Ghi kiểm tra giám sát vùng trồng"),
        "traceability.area.suspended": _("Tạm dừng mã số vùng trồng"),
        "traceability.area.reinstated": _("Cho dùng lại mã số vùng trồng"),
        "traceability.area.revoked": _("Thu hồi mã số vùng trồng"),
        "traceability.certificate.added": _("Thêm giấy chứng nhận của vùng trồng"),
        "traceability.diary.recorded": _("Ghi nhật ký sản xuất"),
        "traceability.lot.created": _("Tạo lô hàng"),
        "traceability.event.recorded": _("Ghi sự kiện truy xuất"),
    }

    def ready(self):
        # Joins the indicator engine: the smart-village "applies
        # traceability" share from traced lots.
        from . import indicators  # noqa: F401
