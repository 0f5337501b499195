"""How a dossier reads on screen: history actions and frozen figures."""

from django import template
from django.utils.translation import gettext_lazy

from ntm.core.numbers import format_quantity
from ntm.core.templatetags.ntm import action_label

register = template.Library()

ACTIONS = {
    "dossiers.dossier.created": gettext_lazy("Lập hồ sơ"),
    "dossiers.dossier.self_assessed": gettext_lazy("Tự đánh giá"),
    "dossiers.evidence.created": gettext_lazy("Thêm minh chứng"),
    "dossiers.posting.created": gettext_lazy("Niêm yết công khai"),
    "dossiers.dossier.submitted": gettext_lazy("Trình hồ sơ"),
    "dossiers.dossier.received": gettext_lazy("Tiếp nhận hồ sơ"),
    "dossiers.criterion.appraised": gettext_lazy("Thẩm định tiêu chí"),
    "dossiers.dossier.appraised": gettext_lazy("Kết luận thẩm định"),
    "dossiers.dossier.recognised": gettext_lazy("Quyết định công nhận"),
    "dossiers.dossier.refused": gettext_lazy("Quyết định không công nhận"),
    "dossiers.dossier.revoked": gettext_lazy("Thu hồi công nhận"),
}
STATUS_CLASSES = {
    "recognised": "badge-yes",
    "refused": "badge-no",
    "revoked": "badge-no",
}


@register.filter
def dossier_action(action):
    return ACTIONS.get(action) or action_label(action)


@register.filter
def figure(requirement):
    """A frozen requirement's value in Vietnamese: "85,5 %", "Có", "—"."""
    return format_quantity(requirement.get("value"), requirement.get("measure"))


@register.filter
def dossier_badge(status):
    return STATUS_CLASSES.get(status, "")
