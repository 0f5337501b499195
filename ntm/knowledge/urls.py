from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.training_list, name="training-list"),
    path("lop/them-moi/", views.training_create, name="training-create"),
    path("lop/<int:pk>/", views.training_detail, name="training-detail"),
    path("lop/<int:pk>/sua/", views.training_edit, name="training-edit"),
    path("lop/<int:pk>/xoa/", views.training_delete, name="training-delete"),
    path(
        "lop/<int:pk>/nguoi-tham-gia/them/",
        views.participant_add,
        name="participant-add",
    ),
    path(
        "nguoi-tham-gia/<int:pk>/diem-danh/",
        views.participant_attendance,
        name="participant-attendance",
    ),
    path(
        "nguoi-tham-gia/<int:pk>/xoa/",
        views.participant_remove,
        name="participant-remove",
    ),
    path("can-bo/", views.staff_list, name="staff-list"),
    path("can-bo/them-moi/", views.staff_create, name="staff-create"),
    path("can-bo/nhap-excel/", views.staff_import, name="staff-import"),
    path("can-bo/mau-nhap.xlsx", views.staff_template, name="staff-template"),
    path("can-bo/xuat-excel/", views.staff_export, name="staff-export"),
    path("can-bo/<int:pk>/sua/", views.staff_edit, name="staff-edit"),
    path("can-bo/<int:pk>/xoa/", views.staff_delete, name="staff-delete"),
]
