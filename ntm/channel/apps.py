from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelConfig(AppConfig):
    name = "ntm.channel"
    label = "channel"
    verbose_name = "Kênh thông tin của thôn"

    # The Vietnamese name of every action this app's services log (audit).
    action_labels = {
        "channel.settings.changed": _("Chọn cách gửi tin của thôn"),
        "channel.subscriber.added": _("Thêm người nhận tin"),
        "channel.subscriber.imported": _("Nhập người nhận tin từ Excel"),
        "channel.subscriber.unsubscribed": _("Người nhận ngừng nhận tin"),
        "channel.announcement.posted": _("Gửi thông báo của thôn"),
    }

    def ready(self):
        # Joins the indicator engine (SV.CHANNEL).
        from . import indicators  # noqa: F401
