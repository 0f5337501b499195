import time
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import urlencode

import django_otp
import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from . import permissions
from .forms import (
    AdminApiTokenForm,
    ApiTokenForm,
    DeviceCodeForm,
    DeviceSetupForm,
    LoginForm,
    MembershipGrantForm,
)
from .models import ApiToken, Membership, User
from .services import (
    AccountError,
    create_account,
    create_api_token,
    create_totp_device,
    delete_totp_device,
    grant_role,
    revoke_api_token,
    revoke_role,
)

# Between the password and the code: who passed the password, and when.
PENDING_LOGIN = "accounts.pending_login"
PENDING_LOGIN_SECONDS = 300
# The secret shown on the set-up page until the first code confirms it.
SETUP_KEY = "accounts.totp_setup_key"


@sensitive_post_parameters()
@never_cache
def login(request):
    next_url = _safe_next(request)
    form = LoginForm(request, data=request.POST or None)
    if form.is_valid():
        user = form.get_user()
        device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
        if device is None:
            auth.login(request, user)
            return redirect(next_url)
        request.session[PENDING_LOGIN] = {
            "user": user.pk,
            "backend": user.backend,
            "next": next_url,
            "at": time.time(),
        }
        return redirect("accounts:login-code")
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


@sensitive_post_parameters()
@never_cache
def login_code(request):
    pending = request.session.get(PENDING_LOGIN)
    if not pending or time.time() - pending["at"] > PENDING_LOGIN_SECONDS:
        request.session.pop(PENDING_LOGIN, None)
        messages.error(request, _("Phiên đăng nhập đã hết hạn, hãy đăng nhập lại."))
        return redirect("accounts:login")
    user = get_object_or_404(auth.get_user_model(), pk=pending["user"], is_active=True)
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        request.session.pop(PENDING_LOGIN, None)
        return get_lockout_response(request, None, credentials)
    device = get_object_or_404(
        TOTPDevice.objects.devices_for_user(user, confirmed=True)
    )
    form = DeviceCodeForm(request.POST or None, device=device)
    if form.is_valid():
        del request.session[PENDING_LOGIN]
        auth.login(request, user, backend=pending["backend"])
        django_otp.login(request, device)
        return redirect(pending["next"])
    if form.is_bound:
        _count_failed_code(request, credentials)
        if request.axes_locked_out:
            # AxesMiddleware turns this response into the lockout page.
            request.session.pop(PENDING_LOGIN, None)
    return render(
        request, "accounts/login_code.html", {"form": form, "pending_user": user}
    )


@login_required
def account_detail(request):
    memberships = request.user.memberships.select_related("unit")
    has_device = TOTPDevice.objects.devices_for_user(request.user, confirmed=True)
    return render(
        request,
        "accounts/account_detail.html",
        {
            "memberships": memberships,
            "has_device": has_device.exists(),
            "can_set_up_two_factor": permissions.can_set_up_two_factor(request.user),
            "can_create_token": permissions.can_create_own_token(request.user),
            "active_tokens": request.user.api_tokens.active().count(),
        },
    )


@login_required
@sensitive_post_parameters()
@never_cache
def two_factor(request):
    user = request.user
    if not permissions.can_set_up_two_factor(user):
        raise PermissionDenied
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    if device is None:
        return _two_factor_setup(request)
    if not user.is_verified():
        return _two_factor_verify(request, device)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "device": device,
            "can_delete": permissions.can_delete_device(user, device),
            "must_use": permissions.must_use_two_factor(user),
        },
    )


@login_required
@require_POST
def device_delete(request):
    device = get_object_or_404(
        TOTPDevice.objects.devices_for_user(request.user, confirmed=True)
    )
    if not permissions.can_delete_device(request.user, device):
        raise PermissionDenied
    try:
        delete_totp_device(device, by=request.user)
    except AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã tắt đăng nhập bằng mã xác thực."))
    return redirect("accounts:two-factor")


@login_required
def membership_list(request):
    if not permissions.can_manage_units(request.user):
        raise PermissionDenied
    memberships = Membership.objects.administered_by(request.user).select_related(
        "user", "unit"
    )
    page = Paginator(memberships, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/membership_list.html", {"page": page})


@login_required
@sensitive_post_parameters("password")
def membership_create(request):
    if not permissions.can_manage_units(request.user):
        raise PermissionDenied
    form = MembershipGrantForm(request.POST or None, granter=request.user)
    if form.is_valid():
        data = form.cleaned_data
        if not permissions.can_grant_membership(request.user, data["unit"]):
            raise PermissionDenied
        try:
            membership = _grant(data, by=request.user)
        except AccountError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã cấp quyền: %(m)s.") % {"m": membership})
            return redirect("accounts:membership-list")
    return render(request, "accounts/membership_form.html", {"form": form})


@login_required
@require_POST
def membership_revoke(request, pk):
    membership = get_object_or_404(
        Membership.objects.select_related("user", "unit"), pk=pk
    )
    if not permissions.can_revoke_membership(request.user, membership):
        raise PermissionDenied
    try:
        revoke_role(membership, by=request.user)
    except AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã thu hồi quyền: %(m)s.") % {"m": membership})
    return redirect("accounts:membership-list")


@login_required
@never_cache
def token_list(request):
    """The user's own API keys; a new key is shown once, on this answer."""
    if not permissions.can_create_own_token(request.user):
        raise PermissionDenied
    if _needs_code(request):
        return _to_two_factor(request)
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if form.is_valid():
        try:
            _token, new_key = create_api_token(
                request.user, by=request.user, **form.cleaned_data
            )
        except AccountError as error:
            form.add_error(None, str(error))
        else:
            form = ApiTokenForm()
    tokens = request.user.api_tokens.select_related("revoked_by")
    return render(
        request,
        "accounts/token_list.html",
        {"form": form, "tokens": tokens, "new_key": new_key},
    )


@login_required
@never_cache
def token_admin_list(request):
    """A district admin's view of the keys of the people in their units."""
    if not permissions.can_manage_units(request.user):
        raise PermissionDenied
    if _needs_code(request):
        return _to_two_factor(request)
    owners = User.objects.filter(
        pk__in=Membership.objects.administered_by(request.user).values("user_id")
    )
    form = AdminApiTokenForm(request.POST or None, owners=owners)
    new_key = None
    if form.is_valid():
        data = dict(form.cleaned_data)
        owner = data.pop("user")
        data.pop("username")
        try:
            _token, new_key = create_api_token(owner, by=request.user, **data)
        except AccountError as error:
            form.add_error(None, str(error))
        else:
            form = AdminApiTokenForm(owners=owners)
    tokens = ApiToken.objects.administered_by(request.user).select_related(
        "user", "revoked_by"
    )
    page = Paginator(tokens, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/token_admin_list.html",
        {"form": form, "page": page, "new_key": new_key},
    )


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk)
    if not permissions.can_revoke_token(request.user, token):
        raise PermissionDenied
    if _needs_code(request):
        return _to_two_factor(request)
    try:
        revoke_api_token(token, by=request.user)
    except AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã thu hồi khóa %(token)s.") % {"token": token})
    if token.user_id == request.user.pk:
        return redirect("accounts:token-list")
    return redirect("accounts:token-admin-list")


def _needs_code(request):
    # Account pages are open before the one-time code (to set one up); keys
    # are not: a key outlives the session that made it.
    return permissions.must_use_two_factor(request.user) and not (
        request.user.is_verified()
    )


def _to_two_factor(request):
    query = urlencode({"next": request.get_full_path()})
    return redirect(f"{reverse('accounts:two-factor')}?{query}")


def _two_factor_setup(request):
    key = request.session.setdefault(SETUP_KEY, random_hex(20))
    form = DeviceSetupForm(request.POST or None, key=key)
    if form.is_valid():
        device = create_totp_device(request.user, key=key, by=request.user)
        del request.session[SETUP_KEY]
        django_otp.login(request, device)
        messages.success(request, _("Đã bật đăng nhập bằng mã xác thực."))
        return redirect(_safe_next(request, default="accounts:two-factor"))
    preview = TOTPDevice(user=request.user, key=key)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": segno.make(preview.config_url, error="m").svg_inline(
                scale=5, omitsize=True, title=_("Mã QR cài đặt ứng dụng xác thực")
            ),
            "secret": b32encode(unhexlify(key)).decode(),
            "must_use": permissions.must_use_two_factor(request.user),
            "next": _safe_next(request, default=""),
        },
    )


def _two_factor_verify(request, device):
    credentials = {"username": request.user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        auth.logout(request)
        return get_lockout_response(request, None, credentials)
    form = DeviceCodeForm(request.POST or None, device=device)
    if form.is_valid():
        django_otp.login(request, device)
        return redirect(_safe_next(request, default="accounts:two-factor"))
    if form.is_bound:
        _count_failed_code(request, credentials)
        if request.axes_locked_out:
            auth.logout(request)
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _safe_next(request, default="")},
    )


def _count_failed_code(request, credentials):
    # A wrong code counts like a wrong password, so django-axes locks the
    # username after the same number of failures, whichever step failed.
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)


@transaction.atomic
def _grant(data, *, by):
    user = data["user"] or create_account(
        username=data["username"],
        password=data["password"],
        full_name=data["full_name"],
        by=by,
    )
    return grant_role(
        user,
        unit=data["unit"],
        role=data["role"],
        office=data["office"],
        chairs_council=data["chairs_council"],
        by=by,
    )


def _safe_next(request, default=settings.LOGIN_REDIRECT_URL):
    """The ``next`` parameter when it stays on this site, else ``default``."""
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(default) if default else ""
