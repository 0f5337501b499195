from django.urls import path

from . import library

app_name = "library"
urlpatterns = [
    path("", library.guide_list, name="guide-list"),
    path("dang-moi/", library.guide_create, name="guide-create"),
    path("<int:pk>/", library.guide_detail, name="guide-detail"),
    path("<int:pk>/tai-ve/", library.guide_download, name="guide-download"),
    path("<int:pk>/sua/", library.guide_edit, name="guide-edit"),
    path("<int:pk>/xoa/", library.guide_delete, name="guide-delete"),
]
