from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import audit

register = template.Library()


@register.filter
def vn_number(value, decimals=None):
    """1234567.5 -> "1.234.567,5", whatever the active locale."""
    if value in (None, ""):
        return "—"
    if decimals is None and isinstance(value, float | Decimal):
        decimals = 0 if value == int(value) else 1
    return number_format(
        value, decimal_pos=decimals, use_l10n=True, force_grouping=True
    )


@register.filter
def yes_no(value):
    if value is None:
        return _("Chưa rõ")
    return _("Có") if value else _("Không")


@register.simple_tag
def demo_badge(obj=None):
    """The "demo data" label that every synthetic record carries on screen."""
    if obj is not None and not getattr(obj, "is_demo", False):
        return ""
    return format_html(
        '<span class="badge badge-demo">{}</span>', _("Dữ liệu minh họa")
    )


# The last word of an audit action ("households.household.changed") on screen.
ACTION_VERBS = {
    "created": gettext_lazy("Tạo mới"),
    "changed": gettext_lazy("Sửa"),
    "deleted": gettext_lazy("Xóa"),
    "imported": gettext_lazy("Nhập từ Excel"),
    "boundary_set": gettext_lazy("Cập nhật ranh giới"),
    "granted": gettext_lazy("Cấp vai trò"),
    "revoked": gettext_lazy("Thu hồi vai trò"),
    "submitted": gettext_lazy("Gửi duyệt"),
    "approved": gettext_lazy("Duyệt"),
    "returned": gettext_lazy("Trả lại để sửa"),
    "frozen": gettext_lazy("Khóa sổ"),
    "updated": gettext_lazy("Cập nhật"),
    "closed": gettext_lazy("Hết hiệu lực"),
}
# Where the verb alone is ambiguous.
ACTIONS = {
    "indicators.evidence.created": gettext_lazy("Thêm minh chứng"),
    "indicators.requirement.changed": gettext_lazy("Sửa yêu cầu"),
}


@register.filter
def action_label(action):
    """The app's own label (``AppConfig.action_labels``), else the verb's."""
    return (
        ACTIONS.get(action)
        or audit.action_labels().get(action)
        or ACTION_VERBS.get(action.rsplit(".", 1)[-1], action)
    )
