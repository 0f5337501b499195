from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ntm.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

    def ready(self):
        # The staff session's clocks start at sign-in, in the session the
        # sign-in writes anyway (no extra write on the next request).
        from django.contrib.auth.signals import user_logged_in

        from .middleware import start_session_clocks

        user_logged_in.connect(start_session_clocks, dispatch_uid="ntm-session-clocks")
