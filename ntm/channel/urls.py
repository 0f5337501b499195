from django.urls import path

from . import views

app_name = "channel"
urlpatterns = [
    path("thon/<slug:village_code>/", views.village, name="village"),
    path("thon/<slug:village_code>/cai-dat/", views.settings_edit, name="settings"),
    path(
        "thon/<slug:village_code>/nguoi-nhan/",
        views.subscriber_list,
        name="subscriber-list",
    ),
    path(
        "thon/<slug:village_code>/nguoi-nhan/nhap/",
        views.subscriber_import,
        name="subscriber-import",
    ),
    path(
        "thon/<slug:village_code>/nguoi-nhan/mau/",
        views.subscriber_template,
        name="subscriber-template",
    ),
    path(
        "thon/<slug:village_code>/thong-bao/moi/",
        views.announcement_create,
        name="announcement-create",
    ),
    path(
        "thon/<slug:village_code>/thong-bao/<int:pk>/",
        views.announcement_detail,
        name="announcement-detail",
    ),
    # Opened by residents from a message: no account, no personal data shown.
    path("tep/<str:code>/", views.attachment, name="attachment"),
    path("ngung-nhan/<str:token>/", views.opt_out_page, name="opt-out"),
    # Residents' texts ("HUY <token>"), posted by the SMS gateway.
    path("tin-nhan-den/", views.sms_receive, name="sms-receive"),
]
