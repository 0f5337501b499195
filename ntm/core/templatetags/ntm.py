from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ntm.core import audit
from ntm.core.numbers import format_number, format_percent

register = template.Library()


@register.filter
def vn_number(value, decimals=None):
    """1234567.5 -> "1.234.567,5", whatever the active locale (core.numbers)."""
    return format_number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def vn_percent(value, decimals=None):
    """83.585 -> "83,59 %" (core.numbers)."""
    return format_percent(value, None if decimals in (None, "") else int(decimals))


@register.filter
def error_reason(exception):
    """The reason an error page may show: the app's own Vietnamese message
    (``Http404(_("Bộ tiêu chí … không áp dụng cho năm 2030."))``), never
    Django's English defaults ("No Dossier matches the given query.",
    "Resolver404"), which are ASCII."""
    text = str(exception or "")
    return text if not text.isascii() else ""


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
