from django.urls import path

from . import views

app_name = "maps"
urlpatterns = [
    path("", views.map_page, name="map"),
    path("don-vi.geojson", views.unit_layer, name="unit-layer"),
    path("ho-gia-dinh.geojson", views.household_layer, name="household-layer"),
    path("nen.geojson", views.base_layer, name="base-layer"),
    path("tim.json", views.search, name="search"),
    path("nhap-ranh-gioi/", views.boundary_import, name="boundary-import"),
    path("lop/<slug:key>.geojson", views.thematic_layer, name="thematic-layer"),
]
