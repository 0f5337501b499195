from django.urls import reverse
from django.utils.translation import gettext as _

from . import permissions


def navigation(request):
    """The menu for whoever is signed in: only what they may open."""
    user = request.user
    items = [
        (reverse("home"), _("Trang chủ")),
        (reverse("units:unit-list"), _("Đơn vị hành chính")),
    ]
    if user.is_authenticated:
        if user.memberships.exclude(role__in=["producer", "council_member"]).exists():
            items.append((reverse("households:household-list"), _("Hộ gia đình")))
        if permissions.is_staff_role_holder(user):
            items.append((reverse("accounts:two-factor"), _("Bảo mật")))
        if permissions.can_manage_units(user):
            items.append((reverse("accounts:membership-list"), _("Phân quyền")))
    path = request.path
    return {
        "nav_items": [
            {"url": url, "label": label, "active": url == path or (url != "/" and path.startswith(url))}
            for url, label in items
        ]
    }
