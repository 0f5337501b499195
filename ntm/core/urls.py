from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.export_list, name="export-list"),
    path("<int:pk>/", views.export_detail, name="export-detail"),
    path("<int:pk>/tai-ve/", views.export_download, name="export-download"),
]
