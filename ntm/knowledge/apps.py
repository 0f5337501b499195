from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "ntm.knowledge"
    label = "knowledge"
    verbose_name = "Tri thức và tập huấn"

    def ready(self):
        # Joins the indicator engine: registers the target-5 provider.
        from . import indicators  # noqa: F401
