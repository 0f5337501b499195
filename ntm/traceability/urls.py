from django.urls import path

from . import views

app_name = "traceability"
urlpatterns = [
    path("", views.trace_home, name="home"),
    path("vung-trong/khai-bao/", views.area_declare, name="area-declare"),
    path("vung-trong/<int:pk>/", views.area_detail, name="area-detail"),
    path("vung-trong/<int:pk>/sua/", views.area_edit, name="area-edit"),
    path("vung-trong/<int:pk>/buoc/<slug:action>/", views.area_step, name="area-step"),
    path(
        "vung-trong/<int:pk>/chung-nhan/",
        views.certificate_add,
        name="certificate-add",
    ),
    path("vung-trong/<int:pk>/nhat-ky/", views.diary_add, name="diary-add"),
    path("lo-hang/them-moi/", views.lot_create, name="lot-create"),
    path("lo-hang/<int:pk>/", views.lot_detail, name="lot-detail"),
    path("lo-hang/<int:pk>/su-kien/", views.event_add, name="event-add"),
    path(
        "lo-hang/<int:pk>/qr.<str:kind>",
        views.lot_qr,
        name="lot-qr",
    ),
    path("lo-hang/<int:pk>/nhan.<str:kind>", views.lot_labels, name="lot-labels"),
    path("ho-ung-dung/", views.tracing_list, name="tracing-list"),
]

# Mounted at the site's root: the paths GS1 Digital Link readers expect.
scan_patterns = [
    path("01/<str:gtin>/10/<str:lot>", views.scan_page, name="scan-gtin"),
    path("sp/<str:local_id>/10/<str:lot>", views.scan_page, name="scan-local"),
]
