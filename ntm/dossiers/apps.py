from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "ntm.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ xét công nhận nông thôn mới"

    # The Vietnamese name of every action this app's services log (audit).
    action_labels = {
        "dossiers.dossier.created": _("Lập hồ sơ"),
        "dossiers.dossier.self_assessed": _("Tự đánh giá"),
        "dossiers.evidence.created": _("Thêm minh chứng"),
        "dossiers.posting.created": _("Niêm yết công khai"),
        "dossiers.dossier.submitted": _("Trình hồ sơ"),
        "dossiers.dossier.received": _("Tiếp nhận hồ sơ"),
        "dossiers.criterion.appraised": _("Thẩm định tiêu chí"),
        "dossiers.council.voted": _("Ý kiến thành viên hội đồng"),
        "dossiers.dossier.appraised": _("Kết luận thẩm định"),
        "dossiers.dossier.recognised": _("Quyết định công nhận"),
        "dossiers.dossier.refused": _("Quyết định không công nhận"),
        "dossiers.dossier.revoked": _("Thu hồi công nhận"),
    }

    def ready(self):
        # Joins the indicator engine: registers plan target 11's provider.
        from . import indicators  # noqa: F401
