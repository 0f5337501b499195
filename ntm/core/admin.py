from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_otp.admin import OTPAdminAuthenticationForm

from .models import ActionLog


class AdminLoginForm(OTPAdminAuthenticationForm):
    """The admin's sign-in with its one-time code, worded in Vietnamese
    (django-otp ships no Vietnamese catalogue)."""

    otp_device = forms.CharField(
        label=_("Thiết bị xác thực"), required=False, widget=forms.Select
    )
    otp_token = forms.CharField(
        label=_("Mã xác thực 6 số"),
        required=False,
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}
        ),
    )
    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "token_required": _("Nhập mã xác thực 6 số từ ứng dụng xác thực."),
        "invalid_token": _("Mã xác thực không đúng hoặc đã hết hạn; thử lại."),
        "n_failed_attempts": ngettext_lazy(
            "Tạm khóa xác thực sau %(failure_count)d lần nhập sai; thử lại sau.",
            "Tạm khóa xác thực sau %(failure_count)d lần nhập sai; thử lại sau.",
            "failure_count",
        ),
        "verification_not_allowed": _("Tạm thời chưa xác thực được mã."),
        "device_required": _("Chọn thiết bị xác thực."),
    }


# The support staff read the admin in Vietnamese, like every other screen.
admin.site.site_header = _("Quản trị NTM Số")
admin.site.site_title = _("Quản trị NTM Số")
admin.site.index_title = _("Dữ liệu của hệ thống")
admin.site.login_form = AdminLoginForm
admin.site.login_template = "core/admin_login.html"


@admin.register(ActionLog)
class ActionLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr", "action"]
    readonly_fields = [f.name for f in ActionLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
