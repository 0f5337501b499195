from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "ntm.surveys"
    label = "surveys"
    verbose_name = "Khảo sát sự hài lòng"

    def ready(self):
        # Joins the indicator engine: registers the satisfaction providers.
        from . import indicators  # noqa: F401
