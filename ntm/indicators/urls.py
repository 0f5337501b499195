from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("bo-tieu-chi/", views.criteriaset_list, name="criteriaset-list"),
    path(
        "bo-tieu-chi/<str:set_code>/",
        views.criteriaset_detail,
        name="criteriaset-detail",
    ),
    path(
        "bo-tieu-chi/<str:set_code>/xuat-excel.xlsx",
        views.criteriaset_export,
        name="criteriaset-export",
    ),
    path(
        "bo-tieu-chi/<str:set_code>/nhap-excel/",
        views.criteriaset_import,
        name="criteriaset-import",
    ),
    path("yeu-cau/<int:pk>/sua/", views.requirement_edit, name="requirement-edit"),
    path(
        "danh-gia/<str:set_code>/<str:unit_code>/",
        views.evaluation_detail,
        name="evaluation-detail",
    ),
    path(
        "danh-gia/<str:set_code>/<str:unit_code>/xuat-excel.xlsx",
        views.evaluation_export,
        name="evaluation-export",
    ),
    path(
        "gia-tri/<str:set_code>/<str:unit_code>/<str:code>/",
        views.requirement_detail,
        name="requirement-detail",
    ),
    path(
        "ma-tran/<str:set_code>/<str:parent_code>/",
        views.evaluation_matrix,
        name="evaluation-matrix",
    ),
    path(
        "ma-tran/<str:set_code>/<str:parent_code>/xuat-excel.xlsx",
        views.evaluation_matrix_export,
        name="evaluation-matrix-export",
    ),
    path("nhap/", views.entry_start, name="entry-start"),
    path("nhap/<str:unit_code>/", views.value_entry, name="value-entry"),
    path("nhap/<str:unit_code>/mau.xlsx", views.value_template, name="value-template"),
    path("nhap/<str:unit_code>/nhap-excel/", views.value_import, name="value-import"),
    path(
        "nhap/<str:unit_code>/<str:indicator_code>/luu/",
        views.value_save,
        name="value-save",
    ),
    path(
        "nhap/<str:unit_code>/<str:indicator_code>/minh-chung/",
        views.evidence_add,
        name="evidence-add",
    ),
    path(
        "nhap/<str:unit_code>/<str:indicator_code>/gui-duyet/",
        views.value_submit,
        name="value-submit",
    ),
    path("minh-chung/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("duyet/", views.review_queue, name="review-queue"),
    path("ky-bao-cao/", views.period_list, name="period-list"),
    path("ky-bao-cao/<str:code>/khoa-so/", views.period_close, name="period-close"),
    path("ky-bao-cao/<str:code>/mo-lai/", views.period_reopen, name="period-reopen"),
    path("duyet/<int:pk>/duyet/", views.value_approve, name="value-approve"),
    path("duyet/<int:pk>/tra-lai/", views.value_return, name="value-return"),
]
