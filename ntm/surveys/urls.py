from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="survey-list"),
    path("moi/", views.survey_create, name="survey-create"),
    path("quan-ly/<int:pk>/", views.survey_detail, name="survey-detail"),
    path("quan-ly/<int:pk>/sua/", views.survey_edit, name="survey-edit"),
    path("quan-ly/<int:pk>/mo/", views.survey_open, name="survey-open"),
    path("quan-ly/<int:pk>/dong/", views.survey_close, name="survey-close"),
    path("quan-ly/<int:pk>/nhap-xlsform/", views.survey_import, name="survey-import"),
    path("quan-ly/<int:pk>/ket-qua/", views.survey_results, name="survey-results"),
    path("quan-ly/<int:pk>/y-kien/", views.survey_answers, name="survey-answers"),
    path(
        "quan-ly/<int:pk>/ket-qua.xlsx",
        views.survey_results_export,
        name="survey-results-export",
    ),
    path(
        "quan-ly/<int:pk>/phieu-tra-loi/",
        views.survey_responses_export,
        name="survey-responses-export",
    ),
    path("quan-ly/<int:pk>/phieu-giay/", views.paper_add, name="paper-add"),
    path("quan-ly/<int:pk>/cau-hoi/them/", views.question_add, name="question-add"),
    path("cau-hoi/<int:pk>/sua/", views.question_edit, name="question-edit"),
    path("cau-hoi/<int:pk>/xoa/", views.question_delete, name="question-delete"),
    path("cau-hoi/<int:pk>/di-chuyen/", views.question_move, name="question-move"),
    path("<slug:slug>/", views.public_start, name="public-start"),
    path("<slug:slug>/gui-ma/", views.public_send_code, name="public-send-code"),
    path("<slug:slug>/tra-loi/", views.public_answer, name="public-answer"),
    path("<slug:slug>/cam-on/", views.public_thanks, name="public-thanks"),
    path("<slug:slug>/ket-qua/", views.public_results, name="public-results"),
]
