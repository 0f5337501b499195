from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ntm.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

    # The Vietnamese name of every action this app's services log (audit).
    action_labels = {
        "accounts.user.created": _("Tạo tài khoản"),
        "accounts.membership.granted": _("Cấp vai trò"),
        "accounts.membership.revoked": _("Thu hồi vai trò"),
        "accounts.device.created": _("Bật mã xác thực"),
        "accounts.device.deleted": _("Tắt mã xác thực"),
        "accounts.token.created": _("Tạo khóa API"),
        "accounts.token.revoked": _("Thu hồi khóa API"),
        "accounts.token.used": _("Ghi dữ liệu qua khóa API"),
    }

    def ready(self):
        # The staff session's clocks start at sign-in, in the session the
        # sign-in writes anyway (no extra write on the next request).
        from django.contrib.auth.signals import user_logged_in

        from .middleware import start_session_clocks

        user_logged_in.connect(start_session_clocks, dispatch_uid="ntm-session-clocks")
