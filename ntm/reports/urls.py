from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.assignment_list, name="assignment-list"),
    path("mo-ky-bao-cao/", views.year_open, name="year-open"),
    path("<int:year>/", views.completeness_detail, name="completeness"),
    path(
        "<int:year>/tinh-hinh-nop.xlsx",
        views.completeness_export,
        name="completeness-export",
    ),
    path(
        "<int:year>/bao-cao-tong-hop.docx",
        views.consolidated_docx_download,
        name="consolidated-docx",
    ),
    path(
        "<int:year>/phu-luc.xlsx",
        views.consolidated_xlsx_download,
        name="consolidated-xlsx",
    ),
    path("giao/<int:pk>/", views.submission_edit, name="submission-edit"),
    path("giao/<int:pk>/tra-lai/", views.submission_return, name="submission-return"),
    path("giao/<int:pk>/tiep-nhan/", views.submission_accept, name="submission-accept"),
]
