from django.urls import path

from . import views

app_name = "ocop"
urlpatterns = [
    path("", views.product_list, name="product-list"),
    path("san-pham/<int:pk>/", views.product_detail, name="product-detail"),
    path("san-pham/<int:pk>/sua/", views.product_edit, name="product-edit"),
    path("san-pham/nhap-excel/", views.product_import, name="product-import"),
    path("san-pham/mau-nhap.xlsx", views.product_template, name="product-template"),
    path("san-pham/xuat-excel.xlsx", views.product_export, name="product-export"),
    path("chu-the/", views.entity_list, name="entity-list"),
    path("chu-the/them-moi/", views.entity_create, name="entity-create"),
    path("chu-the/nhap-excel/", views.entity_import, name="entity-import"),
    path("chu-the/mau-nhap.xlsx", views.entity_template, name="entity-template"),
    path("chu-the/xuat-excel/", views.entity_export, name="entity-export"),
    path("chu-the/<int:pk>/", views.entity_detail, name="entity-detail"),
    path("chu-the/<int:pk>/sua/", views.entity_edit, name="entity-edit"),
    path(
        "chu-the/<int:entity_pk>/san-pham/them-moi/",
        views.product_create,
        name="product-create",
    ),
    path(
        "chu-the/<int:entity_pk>/kenh-ban-hang/them-moi/",
        views.channel_create,
        name="channel-create",
    ),
    path("kenh-ban-hang/<int:pk>/sua/", views.channel_edit, name="channel-edit"),
    path(
        "chu-the/<int:entity_pk>/chuoi-xanh/them-moi/",
        views.green_create,
        name="green-create",
    ),
    path("chuoi-xanh/<int:pk>/sua/", views.green_edit, name="green-edit"),
    path(
        "chuoi-xanh/<int:pk>/minh-chung/", views.green_evidence, name="green-evidence"
    ),
    path(
        "ho-thuong-mai-dien-tu/",
        views.household_ecommerce_page,
        name="household-ecommerce",
    ),
    path("danh-gia/", views.round_list, name="round-list"),
    path("danh-gia/mo-dot/", views.round_create, name="round-create"),
    path("danh-gia/dot/<int:pk>/", views.round_detail, name="round-detail"),
    path("danh-gia/dot/<int:pk>/sua/", views.round_edit, name="round-edit"),
    path("danh-gia/<int:pk>/", views.evaluation_detail, name="evaluation-detail"),
    path(
        "danh-gia/<int:pk>/cham-diem/", views.evaluation_score, name="evaluation-score"
    ),
    path(
        "danh-gia/<int:pk>/duyet/", views.evaluation_approve, name="evaluation-approve"
    ),
    path(
        "danh-gia/<int:pk>/tra-lai/",
        views.evaluation_send_back,
        name="evaluation-send-back",
    ),
    path(
        "danh-gia/<int:pk>/cap-chung-nhan/",
        views.evaluation_certify,
        name="evaluation-certify",
    ),
    path("phieu-cham/", views.sheet_list, name="sheet-list"),
    path("phieu-cham/nap/", views.sheet_upload, name="sheet-upload"),
]
