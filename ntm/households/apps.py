from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "ntm.households"
    label = "households"
    verbose_name = "Hộ gia đình"
    # Exports run as jobs (ntm/core/exports.py).
    export_kinds = ["ntm.households.exports.REGISTER_EXPORT"]
    # The Vietnamese name of every action this app's services log (audit).
    action_labels = {
        "households.household.created": _("Thêm hộ"),
        "households.household.changed": _("Sửa thông tin hộ"),
        "households.household.deleted": _("Xóa hộ"),
        "households.household.imported": _("Nhập từ Excel"),
        "households.household.archived": _("Ngừng theo dõi hộ"),
        "households.household.restored": _("Theo dõi lại hộ"),
        "households.facility.created": _("Thêm công trình công cộng"),
        "households.facility.changed": _("Sửa công trình công cộng"),
        "households.facility.deleted": _("Xóa công trình công cộng"),
        "households.household.address_assigned": _("Gán mã địa chỉ số cho hộ"),
        "households.facility.address_assigned": _("Gán mã địa chỉ số cho công trình"),
        "households.place.address_assigned": _("Gán mã địa chỉ số"),
        "households.household.point_set": _("Đặt vị trí hộ trên bản đồ"),
        "households.facility.point_set": _("Đặt vị trí công trình trên bản đồ"),
        "households.place.point_set": _("Đặt vị trí trên bản đồ"),
        "households.place.created": _("Thêm cơ quan, tổ chức, di tích"),
        "households.channel.created": _("Thêm kênh giao tiếp của thôn"),
        "households.channel.changed": _("Sửa kênh giao tiếp của thôn"),
        "households.channel.deleted": _("Xóa kênh giao tiếp của thôn"),
        "households.register.exported": _("Xuất danh sách hộ (dữ liệu cá nhân)"),
        "households.register.downloaded": _(
            "Tải sổ hộ về điện thoại để làm việc ngoại tuyến (dữ liệu cá nhân)"
        ),
    }

    def ready(self):
        # Joins the indicator engine: registers the smart-village providers;
        # and the offline register's kinds of change (households' own).
        from ntm.units.panels import register_panel

        from . import indicators, sync  # noqa: F401
        from .panels import household_count

        register_panel(household_count)
