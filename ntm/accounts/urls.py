from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("bao-mat/", views.two_factor, name="two-factor"),
    path("phan-quyen/", views.membership_list, name="membership-list"),
]
