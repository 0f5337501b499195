from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ntm.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"
