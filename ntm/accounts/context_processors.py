from django.urls import reverse
from django.utils.translation import gettext as _

from . import permissions
from .models import Role


def navigation(request):
    """The menu for whoever is signed in: only what they may open."""
    user = request.user
    items = [
        (reverse("home"), _("Trang chủ")),
        (reverse("units:unit-list"), _("Đơn vị hành chính")),
        (reverse("indicators:criteriaset-list"), _("Đánh giá tiêu chí")),
        (reverse("dashboards:plan-summary"), _("Kế hoạch")),
        (reverse("maps:map"), _("Bản đồ")),
        (reverse("cooperatives:cooperative-list"), _("Hợp tác xã")),
        (reverse("ocop:product-list"), _("Sản phẩm OCOP")),
        # Citizens answer surveys here; staff manage theirs on the same page.
        (reverse("surveys:survey-list"), _("Khảo sát")),
        (reverse("library:guide-list"), _("Thư viện kiến thức")),
        (reverse("environment:point-list"), _("Môi trường")),
        (reverse("feedback:report-list"), _("Phản ánh")),
    ]
    if user.is_authenticated:
        # The roles read once for the request (User.held) answer every item.
        # Role names, not ntm.indicators.permissions: accounts sits below
        # indicators and must not import it; the sets match ENTERERS and
        # REVIEWERS there.
        roles = {role for role, _office, _path in user.held()}
        if roles & {
            Role.DISTRICT_ADMIN,
            Role.OFFICE_STAFF,
            Role.COMMUNE_OFFICER,
            Role.VILLAGE_HEAD,
        }:
            items.append((reverse("indicators:entry-start"), _("Nhập số liệu")))
            items.append((reverse("feedback:inbox"), _("Xử lý phản ánh")))
        if roles & {Role.DISTRICT_ADMIN, Role.OFFICE_STAFF}:
            items.append((reverse("indicators:review-queue"), _("Duyệt số liệu")))
        if roles & {Role.DISTRICT_ADMIN, Role.OFFICE_STAFF, Role.COMMUNE_OFFICER}:
            items.append((reverse("knowledge:training-list"), _("Tập huấn")))
            items.append((reverse("reports:assignment-list"), _("Báo cáo năm")))
        if roles & {
            Role.DISTRICT_ADMIN,
            Role.OFFICE_STAFF,
            Role.COMMUNE_OFFICER,
            Role.COUNCIL_MEMBER,
        }:
            items.append((reverse("dossiers:dossier-list"), _("Hồ sơ công nhận")))
        if roles & {Role.DISTRICT_ADMIN, Role.OFFICE_STAFF, Role.COUNCIL_MEMBER}:
            items.append((reverse("ocop:round-list"), _("Đánh giá OCOP")))
        if Role.PRODUCER in roles:
            # The producer's own entities are listed first on that page.
            items.append((reverse("ocop:entity-list"), _("Chủ thể OCOP của tôi")))
        if roles & {
            Role.DISTRICT_ADMIN,
            Role.OFFICE_STAFF,
            Role.COMMUNE_OFFICER,
            Role.PRODUCER,
        }:
            items.append((reverse("traceability:home"), _("Truy xuất nguồn gốc")))
        if roles - {Role.PRODUCER, Role.COUNCIL_MEMBER}:
            items.append((reverse("households:household-list"), _("Hộ gia đình")))
        items.append((reverse("accounts:account-detail"), _("Tài khoản của tôi")))
        if permissions.is_staff_role_holder(user):
            items.append((reverse("accounts:two-factor"), _("Bảo mật")))
        if permissions.can_manage_units(user):
            items.append((reverse("accounts:membership-list"), _("Phân quyền")))
            # ntm.indicators.permissions.can_close_period: the same role.
            items.append((reverse("indicators:period-list"), _("Khóa sổ kỳ báo cáo")))
    path = request.path
    # The longest menu URL the path starts with is the current section, so
    # "/tai-khoan/bao-mat/" marks "Bảo mật", not also "/tai-khoan/".
    matches = [
        url
        for url, _label in items
        if url == path or (url != "/" and path.startswith(url))
    ]
    current = max(matches, key=len, default=None)
    return {
        "nav_items": [
            {"url": url, "label": label, "active": url == current}
            for url, label in items
        ]
    }
