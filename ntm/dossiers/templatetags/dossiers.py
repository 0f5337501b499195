"""How a dossier reads on screen: frozen figures and status badges."""

from django import template

from ntm.core.numbers import format_quantity

register = template.Library()

STATUS_CLASSES = {
    "recognised": "badge-yes",
    "refused": "badge-no",
    "revoked": "badge-no",
}


@register.filter
def figure(requirement):
    """A frozen requirement's value in Vietnamese: "85,5 %", "Có", "—"."""
    return format_quantity(requirement.get("value"), requirement.get("measure"))


@register.filter
def dossier_badge(status):
    return STATUS_CLASSES.get(status, "")
