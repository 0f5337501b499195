from django.urls import path

from . import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="unit-list"),
    path("<str:code>/", views.unit_detail, name="unit-detail"),
    path("<str:code>/ranh-gioi.geojson", views.unit_boundary, name="unit-boundary"),
]
