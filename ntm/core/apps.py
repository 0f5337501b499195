from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ntm.core"
    label = "core"
    verbose_name = "Lõi"
    action_labels = {
        "core.export.requested": _("Yêu cầu xuất Excel"),
        "core.export.finished": _("Tạo xong tệp xuất"),
        "core.export.failed": _("Không tạo được tệp xuất"),
        "core.export.downloaded": _("Tải tệp xuất"),
    }

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401  (registers the system checks)
        from .partitions import ensure_partitions_after_migrate

        post_migrate.connect(ensure_partitions_after_migrate, sender=self)
