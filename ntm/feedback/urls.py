from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("", views.report_list, name="report-list"),
    path("ban-do.geojson", views.report_geojson, name="report-geojson"),
    path("gui/", views.report_create, name="report-create"),
    path("gan-day/", views.report_nearby, name="report-nearby"),
    path("xu-ly/", views.inbox, name="inbox"),
    path("xu-ly/<str:code>/", views.report_manage, name="report-manage"),
    path(
        "xu-ly/<str:code>/<slug:action>/",
        views.report_transition,
        name="report-transition",
    ),
    path("<str:code>/", views.report_follow, name="report-follow"),
    path("<str:code>/mo-lai/", views.report_reopen, name="report-reopen"),
    path("<str:code>/toi-cung-gap/", views.report_join, name="report-join"),
]
