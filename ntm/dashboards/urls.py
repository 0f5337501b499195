from django.urls import path

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.plan_summary, name="plan-summary"),
    path("ke-hoach/", views.plan_progress, name="plan-progress"),
    path("muc-tieu/<str:number>/", views.target_detail, name="target-detail"),
    path("ban-do/", views.plan_map, name="plan-map"),
    path("ban-do.geojson", views.plan_map_geojson, name="plan-map-geojson"),
]
