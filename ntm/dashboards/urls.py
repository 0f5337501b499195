from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.plan_summary, name="plan-summary"),
    path("xuat-excel.xlsx", views.plan_summary_export, name="plan-summary-export"),
    path("ke-hoach/", views.plan_progress, name="plan-progress"),
    path(
        "ke-hoach/xuat-excel.xlsx",
        views.plan_progress_export,
        name="plan-progress-export",
    ),
    path("muc-tieu/<str:number>/", views.target_detail, name="target-detail"),
    path("ban-do/", views.plan_map, name="plan-map"),
    path("ban-do.geojson", views.plan_map_geojson, name="plan-map-geojson"),
]
