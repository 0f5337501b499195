from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_detail, name="account-detail"),
    path("dang-nhap/", views.login, name="login"),
    path("dang-nhap/ma-xac-thuc/", views.login_code, name="login-code"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("bao-mat/", views.two_factor, name="two-factor"),
    path("bao-mat/tat/", views.device_delete, name="device-delete"),
    path("khoa-api/", views.token_list, name="token-list"),
    path("khoa-api/<int:pk>/thu-hoi/", views.token_revoke, name="token-revoke"),
    path("phan-quyen/khoa-api/", views.token_admin_list, name="token-admin-list"),
    path("phan-quyen/", views.membership_list, name="membership-list"),
    path("phan-quyen/them/", views.membership_create, name="membership-create"),
    path(
        "phan-quyen/<int:pk>/thu-hoi/",
        views.membership_revoke,
        name="membership-revoke",
    ),
]
