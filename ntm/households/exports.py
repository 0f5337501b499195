"""Excel workbooks of the register: the import template and list exports.

``HOUSEHOLDS`` is the contract between the template, the export and the
import (``imports.py``): an exported file can be edited and imported back.
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ntm.accounts.permissions import can_export_personal_data
from ntm.core.exports import Exported, ExportError, ExportKind, personal_data
from ntm.core.spreadsheets import Column, Kind, Sheet, build_workbook

from .forms import HouseholdFilterForm
from .models import Household, WaterSource
from .queries import villages_of
from .services import record_register_export
from .validation import COUNTS

EXPORT_CHUNK = 2000
# Coordinates keep Excel's General format: every decimal shows.
COORDINATE = "General"


def _count_help(name):
    low, high = COUNTS[name]
    return format_lazy(
        gettext_lazy("Số nguyên từ {low} đến {high}."), low=low, high=high
    )


VILLAGES = Sheet(
    gettext_lazy("Danh sách thôn"),
    [
        Column("code", gettext_lazy("Mã thôn"), width=12),
        Column("name", gettext_lazy("Tên thôn"), width=24),
        Column("commune", gettext_lazy("Xã"), width=24),
    ],
)
HOUSEHOLDS = Sheet(
    gettext_lazy("Hộ gia đình"),
    [
        Column(
            "code",
            gettext_lazy("Mã hộ"),
            gettext_lazy("Mã duy nhất của hộ; mã đã có thì dòng sẽ cập nhật hộ đó."),
            required=True,
            width=14,
        ),
        Column(
            "village_code",
            gettext_lazy("Mã thôn"),
            gettext_lazy('Mã thôn lấy ở trang "Danh sách thôn".'),
            required=True,
            width=12,
            lookup=VILLAGES.name,
        ),
        Column(
            "village_name",
            gettext_lazy("Tên thôn"),
            gettext_lazy("Chỉ để đọc; hệ thống dùng cột Mã thôn."),
            informative=True,
            width=22,
        ),
        Column(
            "head_name",
            gettext_lazy("Họ tên chủ hộ"),
            gettext_lazy("Viết có dấu."),
            required=True,
            width=24,
        ),
        Column(
            "members",
            gettext_lazy("Số nhân khẩu"),
            _count_help("members"),
            required=True,
            width=10,
            kind=Kind.INTEGER,
        ),
        Column(
            "phone",
            gettext_lazy("Số điện thoại"),
            gettext_lazy("Di động 10 chữ số hoặc cố định 11 chữ số, ví dụ 0905123456."),
            width=14,
        ),
        Column("address", gettext_lazy("Địa chỉ"), width=28),
        Column(
            "address_code",
            gettext_lazy("Mã địa chỉ số"),
            gettext_lazy("Mã trên nền tảng bản đồ số; mỗi hộ một mã."),
            width=16,
        ),
        Column(
            "lat",
            gettext_lazy("Vĩ độ"),
            gettext_lazy("Số thập phân, ví dụ 15,85; điểm phải nằm trong xã của hộ."),
            width=11,
            kind=Kind.DECIMAL,
            number_format=COORDINATE,
        ),
        Column(
            "lon",
            gettext_lazy("Kinh độ"),
            gettext_lazy("Số thập phân, ví dụ 108,05."),
            width=11,
            kind=Kind.DECIMAL,
            number_format=COORDINATE,
        ),
        Column("has_fibre", gettext_lazy("Có cáp quang"), width=10, kind=Kind.YES_NO),
        Column(
            "smartphones",
            gettext_lazy("Số điện thoại thông minh"),
            _count_help("smartphones"),
            width=12,
            kind=Kind.INTEGER,
        ),
        Column(
            "health_app_members",
            gettext_lazy("Số người dùng ứng dụng y tế"),
            gettext_lazy("Không lớn hơn số nhân khẩu."),
            width=12,
            kind=Kind.INTEGER,
        ),
        Column(
            "is_business",
            gettext_lazy("Hộ sản xuất, kinh doanh"),
            width=12,
            kind=Kind.YES_NO,
        ),
        Column(
            "ecommerce_platforms",
            gettext_lazy("Sàn thương mại điện tử"),
            gettext_lazy("Tên sàn đã có trong hệ thống, cách nhau bởi dấu ;"),
            width=24,
        ),
        Column(
            "uses_traceability",
            gettext_lazy("Truy xuất nguồn gốc"),
            width=12,
            kind=Kind.YES_NO,
        ),
        Column(
            "water_source",
            gettext_lazy("Nguồn nước sinh hoạt"),
            width=22,
            kind=Kind.CHOICE,
            choices=WaterSource,
        ),
    ],
)


def build_template(villages, platforms):
    """An empty register sheet, the user's villages with codes, and how-to."""
    return build_workbook(
        (HOUSEHOLDS, []),
        (VILLAGES, [[v.code, v.name, str(v.parent or "")] for v in villages]),
        instructions=_instructions(platforms),
        template=True,
    )


def export_households(households, *, progress=None, personal_data=None):
    """The households as a sheet in the template's layout (re-importable)."""
    rows = (_row(h) for h in households.iterator(chunk_size=EXPORT_CHUNK))
    return build_workbook(
        (HOUSEHOLDS, progress.track(rows) if progress else rows),
        notes=[(_("Bảng"), _("Danh sách hộ gia đình"))],
        demo=households.filter(is_demo=True).exists(),
        personal_data=personal_data,
    )


def register_selection(user, params):
    """The filter form bound to ``params`` and the households it selects among
    those ``user`` may see; None for the form when the user may see none."""
    if not villages_of(user).exists():
        return None, Household.all_objects.none()
    form = HouseholdFilterForm(params, user=user)
    return form, form.apply(Household.all_objects.visible_to(user))


def build_register(job, progress):
    """The register export of an export job, with the asker's rights now."""
    user = job.requested_by
    form, households = register_selection(user, job.params)
    if not can_export_personal_data(user) or form is None:
        raise ExportError(_("Bạn không còn quyền xuất sổ hộ gia đình."))
    if form.asks_outside_scope:
        raise ExportError(_("Bộ lọc có xã hoặc thôn ngoài phạm vi của bạn."))
    households = households.select_related("village").prefetch_related(
        "ecommerce_platforms"
    )
    progress.start(households.count())
    content = export_households(
        households, progress=progress, personal_data=personal_data(job)
    )
    return Exported(content, progress.done)


def _record_register_export(job, exported):
    record_register_export(by=job.requested_by, rows=exported.rows, filters=job.params)


REGISTER_EXPORT = ExportKind(
    name="households.register",
    title=gettext_lazy("Sổ hộ gia đình"),
    stem="ho-gia-dinh",
    build=build_register,
    personal=True,
    personal_fields=gettext_lazy(
        "họ tên chủ hộ, số điện thoại, địa chỉ, tọa độ nơi ở của hộ"
    ),
    on_finished=_record_register_export,
)


def _row(household):
    return [
        household.code,
        household.village.code,
        household.village.name,
        household.head_name,
        household.members,
        household.phone,
        household.address,
        household.address_code,
        household.lat,
        household.lon,
        household.has_fibre,
        household.smartphones,
        household.health_app_members,
        household.is_business,
        [platform.name for platform in household.ecommerce_platforms.all()],
        household.uses_traceability,
        household.get_water_source_display() if household.water_source else "",
    ]


def _instructions(platforms):
    lines = [
        _("HƯỚNG DẪN NHẬP DANH SÁCH HỘ GIA ĐÌNH"),
        "",
        _('1. Mỗi dòng của trang "Hộ gia đình" là một hộ; không đổi tên các cột.'),
        _("2. Cột có dấu (*) là bắt buộc."),
        _("3. Mã hộ chưa có trong hệ thống: tạo hộ mới. Mã hộ đã có: cập nhật hộ đó."),
        _(
            '4. Mã thôn: chọn trong trang "Danh sách thôn" '
            "(chỉ gồm các thôn bạn quản lý)."
        ),
        _("5. Cột có/không nhận: có, không, x, 1, 0; để trống là không."),
        _("6. Số người dùng ứng dụng y tế không được lớn hơn số nhân khẩu."),
        _("7. Sàn thương mại điện tử: ghi tên sàn, cách nhau bởi dấu ; (chấm phẩy)."),
        _(
            "8. Nếu có dòng sai, hệ thống không lưu dòng nào và liệt kê "
            "các dòng cần sửa; sửa xong tải lại cùng tệp."
        ),
        "",
        _("Các sàn thương mại điện tử đã có trong hệ thống:"),
    ]
    lines += [f"• {platform.name}" for platform in platforms] or [_("(chưa có)")]
    return lines
