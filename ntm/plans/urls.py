from django.urls import path

from . import views

app_name = "plans"


def _record_paths(prefix, slug, module_views):
    """The six pages of one record type under ``<plan code>/<prefix>/``."""
    list_view, create, edit, delete, import_view, export = module_views
    base = f"<str:code>/{prefix}/"
    return [
        path(base, list_view, name=f"{slug}-list"),
        path(f"{base}them-moi/", create, name=f"{slug}-create"),
        path(f"{base}<int:pk>/sua/", edit, name=f"{slug}-edit"),
        path(f"{base}<int:pk>/xoa/", delete, name=f"{slug}-delete"),
        path(f"{base}nhap-excel/", import_view, name=f"{slug}-import"),
        path(f"{base}xuat-excel.xlsx", export, name=f"{slug}-export"),
    ]


urlpatterns = [
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task-detail"),
    path("nhiem-vu/<int:pk>/sua/", views.task_edit, name="task-edit"),
    path(
        "nhiem-vu/<int:pk>/cap-nhat/",
        views.taskupdate_create,
        name="taskupdate-create",
    ),
    path(
        "cap-nhat/<int:pk>/minh-chung/",
        views.taskupdate_evidence,
        name="taskupdate-evidence",
    ),
    path("kinh-phi/<int:pk>/sua/", views.budget_edit, name="budget-edit"),
    path("kinh-phi/<int:pk>/xoa/", views.budget_delete, name="budget-delete"),
    path("<str:code>/", views.plan_detail, name="plan-detail"),
    path(
        "<str:code>/muc-tieu/<str:number>/",
        views.target_detail,
        name="target-detail",
    ),
    path("<str:code>/nhiem-vu/", views.task_list, name="task-list"),
    path("<str:code>/nhiem-vu/them-moi/", views.task_create, name="task-create"),
    path("<str:code>/nhiem-vu/nhap-excel/", views.task_import, name="task-import"),
    path("<str:code>/nhiem-vu/xuat-excel.xlsx", views.task_export, name="task-export"),
    path("<str:code>/kinh-phi/", views.budget_list, name="budget-list"),
    path("<str:code>/kinh-phi/them-moi/", views.budget_create, name="budget-create"),
    path("<str:code>/kinh-phi/nhap-excel/", views.budget_import, name="budget-import"),
    path(
        "<str:code>/kinh-phi/xuat-excel.xlsx",
        views.budget_export,
        name="budget-export",
    ),
    *_record_paths(
        "ho-so-cong-viec",
        "tally",
        (
            views.tally_list,
            views.tally_create,
            views.tally_edit,
            views.tally_delete,
            views.tally_import,
            views.tally_export,
        ),
    ),
    *_record_paths(
        "dich-vu-thiet-yeu",
        "service",
        (
            views.service_list,
            views.service_create,
            views.service_edit,
            views.service_delete,
            views.service_import,
            views.service_export,
        ),
    ),
    *_record_paths(
        "xa-thi-diem",
        "pilot",
        (
            views.pilot_list,
            views.pilot_create,
            views.pilot_edit,
            views.pilot_delete,
            views.pilot_import,
            views.pilot_export,
        ),
    ),
]
