from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ntm.core import audit

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


@register.filter
def action_label(action):
    """An audit action's Vietnamese name, as its app declares it."""
    return audit.action_label(action)
