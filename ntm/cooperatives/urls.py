from django.urls import path

from . import views

app_name = "cooperatives"
urlpatterns = [
    path("", views.cooperative_list, name="cooperative-list"),
    path("them-moi/", views.cooperative_create, name="cooperative-create"),
    path("nhap-excel/", views.cooperative_import, name="cooperative-import"),
    path("mau-nhap.xlsx", views.cooperative_template, name="cooperative-template"),
    path("xuat-excel/", views.cooperative_export, name="cooperative-export"),
    path("lien-ket/nhap-excel/", views.linkage_import, name="linkage-import"),
    path("lien-ket/mau-nhap.xlsx", views.linkage_template, name="linkage-template"),
    path("lien-ket/xuat-excel.xlsx", views.linkage_export, name="linkage-export"),
    path("lien-ket/<int:pk>/sua/", views.linkage_edit, name="linkage-edit"),
    path("lien-ket/<int:pk>/xoa/", views.linkage_delete, name="linkage-delete"),
    path("<int:pk>/", views.cooperative_detail, name="cooperative-detail"),
    path("<int:pk>/sua/", views.cooperative_edit, name="cooperative-edit"),
    path("<int:pk>/xoa/", views.cooperative_delete, name="cooperative-delete"),
    path("<int:pk>/lien-ket/them-moi/", views.linkage_create, name="linkage-create"),
]
