from django.urls import path

from . import views

app_name = "environment"
urlpatterns = [
    path("", views.point_list, name="point-list"),
    path("diem/<slug:code>/", views.point_detail, name="point-detail"),
    path(
        "diem/<slug:code>/ket-qua-xet-nghiem/",
        views.lab_result,
        name="lab-result",
    ),
    path("diem/<slug:code>/thiet-bi/", views.sensor_issue, name="sensor-issue"),
]
