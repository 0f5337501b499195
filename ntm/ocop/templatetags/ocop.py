from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def stars(count):
    """★★★ with its words for screen readers; "—" without a rank."""
    if not count:
        return "—"
    label = _("%(n)s sao") % {"n": count}
    return format_html(
        '<span class="stars" title="{}"><span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span></span>',
        label,
        "★" * count,
        label,
    )


@register.filter
def points(value):
    """12.50 -> "12,5"; None -> "—"."""
    if value is None:
        return "—"
    return f"{value.normalize():f}".replace(".", ",")


@register.filter
def live_on(record, day):
    """A dated record (sales channel, green chain) holds on ``day``."""
    return record.is_live_on(day)
