from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "ntm.knowledge"
    label = "knowledge"
    verbose_name = "Tri thức và tập huấn"
