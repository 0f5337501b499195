from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TourismConfig(AppConfig):
    name = "ntm.tourism"
    label = "tourism"
    verbose_name = "Du lịch nông thôn"

    # The Vietnamese name of every action this app's services log (audit).
    action_labels = {
        "tourism.site.created": _("Thêm điểm du lịch"),
        "tourism.site.updated": _("Sửa điểm du lịch"),
        "tourism.photo.added": _("Thêm ảnh điểm du lịch"),
        "tourism.route.created": _("Thêm tuyến du lịch"),
        "tourism.assessment.recorded": _("Chấm điểm điểm du lịch"),
    }
