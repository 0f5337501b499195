from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OcopConfig(AppConfig):
    name = "ntm.ocop"
    label = "ocop"
    verbose_name = "OCOP"

    # Exports run as jobs (ntm/core/exports.py).
    export_kinds = ["ntm.ocop.exports.ENTITIES_EXPORT"]
    action_labels = {
        "ocop.entity.created": _("Thêm chủ thể OCOP"),
        "ocop.entity.changed": _("Sửa hồ sơ chủ thể OCOP"),
        "ocop.product.created": _("Thêm sản phẩm OCOP"),
        "ocop.product.changed": _("Sửa sản phẩm OCOP"),
        "ocop.sheet.created": _("Nạp phiếu chấm điểm OCOP"),
        "ocop.sheet.updated": _("Nạp lại phiếu chấm điểm OCOP"),
        "ocop.round.created": _("Mở đợt đánh giá OCOP"),
        "ocop.round.changed": _("Sửa đợt đánh giá OCOP"),
        "ocop.evaluation.created": _("Đưa sản phẩm vào đợt đánh giá"),
        "ocop.evaluation.scored": _("Chấm điểm sản phẩm OCOP"),
        "ocop.evaluation.approved": _("Duyệt kết quả đánh giá OCOP"),
        "ocop.evaluation.returned": _("Trả lại kết quả để chấm lại"),
        "ocop.evaluation.certified": _("Ghi nhận giấy chứng nhận OCOP"),
        "ocop.evaluation.reminded": _("Nhắc giấy chứng nhận sắp hết hiệu lực"),
        "ocop.channel.created": _("Thêm kênh bán hàng"),
        "ocop.channel.changed": _("Sửa kênh bán hàng"),
        "ocop.channel.deleted": _("Xóa kênh bán hàng"),
        "ocop.greenchain.created": _("Thêm chuỗi giá trị xanh, tuần hoàn"),
        "ocop.greenchain.changed": _("Sửa chuỗi giá trị xanh, tuần hoàn"),
        "ocop.greenchain.deleted": _("Xóa chuỗi giá trị xanh, tuần hoàn"),
    }

    def ready(self):
        # Joins the indicator engine: targets 8 and 9, and the smart-village
        # e-commerce share from live listings.
        from . import indicators  # noqa: F401
