from django.urls import path

from . import views

app_name = "tourism"
urlpatterns = [
    path("", views.site_map, name="site-map"),
    path("xep-hang/", views.ranking, name="ranking"),
    path("them/", views.site_create, name="site-create"),
    path("nhap/", views.site_import, name="site-import"),
    path("nhap-ban-do/", views.site_layer_import, name="site-layer-import"),
    path("mau-nhap.xlsx", views.site_template, name="site-template"),
    path("xuat.xlsx", views.site_export, name="site-export"),
    path("diem/<slug:code>/", views.site_detail, name="site-detail"),
    path("diem/<slug:code>/sua/", views.site_edit, name="site-edit"),
    path("diem/<slug:code>/anh/", views.photo_add, name="photo-add"),
    path(
        "diem/<slug:code>/cham-diem/",
        views.assessment_create,
        name="assessment-create",
    ),
    path("anh/<int:pk>/", views.photo_file, name="photo-file"),
    path("tuyen/them/", views.route_create, name="route-create"),
    path("tuyen/<slug:code>/", views.route_detail, name="route-detail"),
]
