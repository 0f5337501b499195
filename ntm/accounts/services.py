"""Writes to accounts: users, roles on units, one-time-code devices, API keys."""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from ntm.core.audit import log_action
from ntm.core.deletion import delete_or_refuse

from .models import ApiToken, Membership, Role, User


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
def grant_role(user, *, unit, role, office="", chairs_council=False, by):
    """Give ``user`` ``role`` on ``unit`` (and so on everything below it).

    Office staff belong to exactly one office; other roles have none. The
    unit must exist today, and the same role cannot be granted twice. Only a
    council member may chair the appraisal council.
    """
    role = Role(role)
    if chairs_council and role != Role.COUNCIL_MEMBER:
        raise AccountError(
            _("Chỉ thành viên hội đồng thẩm định mới làm chủ tịch hội đồng.")
        )
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
        user=user, unit=unit, role=role, office=office, chairs_council=chairs_council
    )
    user.forget_roles()
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
    membership.user.forget_roles()
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


TOKEN_MAX_DAYS = 366
# last_used_at is written at most this often: a busy client would otherwise
# write the row on every request.
TOKEN_USE_PRECISION = datetime.timedelta(minutes=1)


@transaction.atomic
def create_api_token(user, *, name, scopes, days, by):
    """Make an API key for ``user``; return the token row and the key.

    The key is returned once and never stored (only its SHA-256). Scopes
    must be known ones and at least one; a key lasts 1 to TOKEN_MAX_DAYS
    days. ``by`` is the owner or a district admin over them.
    """
    name = name.strip()
    if not name:
        raise AccountError(_("Cần đặt tên cho khóa (ví dụ: Hệ thống báo cáo tỉnh)."))
    scopes = sorted(set(scopes))
    unknown = set(scopes) - set(ApiToken.Scope.values)
    if not scopes or unknown:
        raise AccountError(_("Chọn ít nhất một phạm vi hợp lệ cho khóa."))
    if not 1 <= days <= TOKEN_MAX_DAYS:
        raise AccountError(
            _("Thời hạn của khóa từ 1 đến %(max)d ngày.") % {"max": TOKEN_MAX_DAYS}
        )
    key = ApiToken.PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        hint=key[:10],
        digest=ApiToken.digest_of(key),
        scopes=scopes,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    log_action(token, "accounts.token.created", by=by, data=_token_data(token))
    return token, key


@transaction.atomic
def revoke_api_token(token, *, by):
    """Stop ``token`` from opening the API, from now on; kept for the record."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise AccountError(_("Khóa này đã bị thu hồi."))
    token.revoked_at = timezone.now()
    token.revoked_by = by
    token.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    log_action(token, "accounts.token.revoked", by=by, data=_token_data(token))
    return token


def record_token_use(token):
    """Note when ``token`` was last used (at most once a minute; no audit
    entry: reads are not logged, writes are by ``log_token_write``)."""
    now = timezone.now()
    if token.last_used_at and now - token.last_used_at < TOKEN_USE_PRECISION:
        return token
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    return token


def log_token_write(token, *, method, path, status):
    """Record that ``token`` was used to change data (or to try to)."""
    return log_action(
        token,
        "accounts.token.used",
        by=token.user,
        data={**_token_data(token), "method": method, "path": path, "status": status},
    )


def _token_data(token):
    return {"user": token.user.username, "name": token.name, "hint": token.hint}


def _membership_data(membership):
    return {
        "user": membership.user.username,
        "unit": membership.unit.code,
        "role": membership.role,
        "office": membership.office,
        "chairs_council": membership.chairs_council,
    }
