"""Writes to accounts: users, roles on units, one-time-code devices."""

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ntm.core.audit import log_action
from ntm.core.deletion import delete_or_refuse

from .models import Membership, Role, User


class AccountError(Exception):
    """The request is well formed but the accounts recorded do not allow it."""


@transaction.atomic
def create_account(*, username, password, full_name, by):
    """Create a user who can sign in with ``username`` and ``password``.

    Refuses a username already taken (case-insensitively, so that "NguyenA"
    and "nguyena" cannot both exist). Password strength is the form's
    business: demo data and tests may use simple ones.
    """
    username = username.strip()
    if not username:
        raise AccountError(_("Cần nhập tên đăng nhập."))
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError(
            _("Tên đăng nhập %(username)s đã được dùng.") % {"username": username}
        )
    user = User(username=username, full_name=full_name.strip())
    user.set_password(password)
    user.save()
    log_action(user, "accounts.user.created", by=by, data={"username": username})
    return user


@transaction.atomic
def grant_role(user, *, unit, role, office="", by):
    """Give ``user`` ``role`` on ``unit`` (and so on everything below it).

    Office staff belong to exactly one office; other roles have none. The
    unit must exist today, and the same role cannot be granted twice.
    """
    role = Role(role)
    if role == Role.OFFICE_STAFF and not office:
        raise AccountError(_("Cán bộ phòng chuyên môn phải thuộc một phòng."))
    if role != Role.OFFICE_STAFF and office:
        raise AccountError(_("Chỉ cán bộ phòng chuyên môn mới chọn phòng."))
    if not unit.is_current:
        raise AccountError(
            _("%(unit)s không còn hiệu lực; hãy chọn đơn vị hiện hành.")
            % {"unit": unit}
        )
    duplicate = Membership.objects.filter(
        user=user, unit=unit, role=role, office=office
    )
    if duplicate.exists():
        raise AccountError(
            _("%(user)s đã có vai trò này tại %(unit)s.") % {"user": user, "unit": unit}
        )
    membership = Membership.objects.create(
        user=user, unit=unit, role=role, office=office
    )
    user.forget_paths()
    log_action(
        membership,
        "accounts.membership.granted",
        by=by,
        data=_membership_data(membership),
    )
    return membership


@transaction.atomic
def revoke_role(membership, *, by):
    """Take a role away. Admins cannot revoke their own admin role.

    Keeping that rule here means a district always keeps at least the admin
    who is acting; another admin above can still remove them.
    """
    if (
        by is not None
        and membership.user_id == by.pk
        and membership.role == Role.DISTRICT_ADMIN
    ):
        raise AccountError(_("Không thể tự thu hồi quyền quản trị của chính mình."))
    data = _membership_data(membership)
    log_action(membership, "accounts.membership.revoked", by=by, data=data)
    delete_or_refuse(membership, error=AccountError)
    membership.user.forget_paths()
    return membership


@transaction.atomic
def create_totp_device(user, *, key, by):
    """Record ``user``'s authenticator app, already checked against a code.

    One device per user: any earlier TOTP device of the user is removed, so
    that a lost phone's secret stops working once a new one is set up.
    """
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name=_("Ứng dụng xác thực"), key=key, confirmed=True
    )
    log_action(device, "accounts.device.created", by=by, data={"user": user.username})
    return device


@transaction.atomic
def delete_totp_device(device, *, by):
    """Switch one-time codes off for the device's owner.

    District admins must keep a device: refused for them.
    """
    if device.user.memberships.filter(role=Role.DISTRICT_ADMIN).exists():
        raise AccountError(_("Quản trị cấp huyện bắt buộc dùng mã xác thực."))
    log_action(
        device, "accounts.device.deleted", by=by, data={"user": device.user.username}
    )
    device.delete()
    return device


def _membership_data(membership):
    return {
        "user": membership.user.username,
        "unit": membership.unit.code,
        "role": membership.role,
        "office": membership.office,
    }
