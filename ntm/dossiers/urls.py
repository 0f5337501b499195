from django.urls import path

from . import views

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_list, name="dossier-list"),
    path("lap-moi/", views.dossier_create, name="dossier-create"),
    path("<int:pk>/", views.dossier_detail, name="dossier-detail"),
    path("<int:pk>/tu-danh-gia/", views.dossier_assess, name="dossier-assess"),
    path("<int:pk>/minh-chung/", views.evidence_add, name="evidence-add"),
    path(
        "minh-chung/<int:pk>/tai-ve/",
        views.evidence_download,
        name="evidence-download",
    ),
    path("<int:pk>/niem-yet/", views.posting_add, name="posting-add"),
    path("<int:pk>/trinh/", views.dossier_submit, name="dossier-submit"),
    path("<int:pk>/tiep-nhan/", views.dossier_receive, name="dossier-receive"),
    path("<int:pk>/tham-dinh/", views.dossier_appraise, name="dossier-appraise"),
    path("<int:pk>/tham-dinh/y-kien/", views.dossier_vote, name="dossier-vote"),
    path(
        "<int:pk>/tham-dinh/ket-luan/",
        views.appraisal_complete,
        name="appraisal-complete",
    ),
    path("<int:pk>/quyet-dinh/", views.dossier_decide, name="dossier-decide"),
    path("<int:pk>/thu-hoi/", views.dossier_revoke, name="dossier-revoke"),
    path(
        "<int:pk>/bao-cao-tu-danh-gia.docx",
        views.report_self_assessment,
        name="report-self-assessment",
    ),
    path(
        "<int:pk>/bao-cao-tham-dinh.docx",
        views.report_appraisal,
        name="report-appraisal",
    ),
]
