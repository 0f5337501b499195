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
        from . import checks  # noqa: F401  (registers the system checks)
