"""Excel workbooks of the register: the import template and list exports.

``COLUMNS`` is the contract between the template, the export and the import
(``imports.py``): an exported file can be edited and imported back.
"""

from dataclasses import dataclass
from io import BytesIO

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

SHEET_HOUSEHOLDS = gettext_lazy("Hộ gia đình")
SHEET_VILLAGES = gettext_lazy("Danh sách thôn")
SHEET_HELP = gettext_lazy("Hướng dẫn")
EXPORT_CHUNK = 2000


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str
    required: bool = False
    # Shown for people (the village name) and ignored by the import.
    informative: bool = False
    width: int = 16

    @property
    def title(self):
        return f"{self.header} (*)" if self.required else str(self.header)


COLUMNS = [
    Column(
        "code",
        gettext_lazy("Mã hộ"),
        gettext_lazy("Mã duy nhất của hộ; mã đã có thì dòng sẽ cập nhật hộ đó."),
        True,
        width=14,
    ),
    Column(
        "village_code",
        gettext_lazy("Mã thôn"),
        gettext_lazy('Mã thôn lấy ở trang "Danh sách thôn".'),
        True,
        width=12,
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
        True,
        width=24,
    ),
    Column(
        "members",
        gettext_lazy("Số nhân khẩu"),
        gettext_lazy("Số nguyên từ 1 đến 50."),
        True,
        width=10,
    ),
    Column("phone", gettext_lazy("Số điện thoại"), "", width=14),
    Column("address", gettext_lazy("Địa chỉ"), "", width=28),
    Column(
        "address_code",
        gettext_lazy("Mã địa chỉ số"),
        gettext_lazy("Mã trên nền tảng bản đồ số; mỗi hộ một mã."),
        width=16,
    ),
    Column(
        "lat",
        gettext_lazy("Vĩ độ"),
        gettext_lazy("Số thập phân, ví dụ 15,85."),
        width=11,
    ),
    Column(
        "lon",
        gettext_lazy("Kinh độ"),
        gettext_lazy("Số thập phân, ví dụ 108,05."),
        width=11,
    ),
    Column(
        "has_fibre",
        gettext_lazy("Có cáp quang"),
        gettext_lazy("có / không (hoặc x, 1, 0)."),
        width=10,
    ),
    Column(
        "smartphones",
        gettext_lazy("Số điện thoại thông minh"),
        gettext_lazy("Số nguyên từ 0 đến 50."),
        width=12,
    ),
    Column(
        "health_app_members",
        gettext_lazy("Số người dùng ứng dụng y tế"),
        gettext_lazy("Không lớn hơn số nhân khẩu."),
        width=12,
    ),
    Column(
        "is_business",
        gettext_lazy("Hộ sản xuất, kinh doanh"),
        gettext_lazy("có / không (hoặc x, 1, 0)."),
        width=12,
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
        gettext_lazy("có / không (hoặc x, 1, 0)."),
        width=12,
    ),
]
HEADER_FILL = PatternFill("solid", fgColor="1B6B3A")
HEADER_FONT = Font(bold=True, color="FFFFFF")


def build_template(villages, platforms):
    """An empty register sheet, the user's villages with codes, and how-to."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(SHEET_HOUSEHOLDS)
    _write_header(sheet)
    for index, column in enumerate(COLUMNS, start=1):
        if column.help:
            sheet.cell(row=1, column=index).comment = Comment(
                str(column.help), "NTM Số"
            )

    village_sheet = workbook.create_sheet(str(SHEET_VILLAGES))
    village_sheet.append([_("Mã thôn"), _("Tên thôn"), _("Xã")])
    for village in villages:
        village_sheet.append([village.code, village.name, str(village.parent or "")])
    for letter, width in zip("ABC", (12, 24, 24), strict=True):
        village_sheet.column_dimensions[letter].width = width
    village_sheet.sheet_properties.tabColor = "1B6B3A"

    # A drop-down on the village code column, fed by the village sheet.
    code_letter = _letter("village_code")
    last = max(len(villages) + 1, 2)
    choice = DataValidation(
        type="list",
        formula1=f"'{SHEET_VILLAGES}'!$A$2:$A${last}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=str(_("Mã thôn không hợp lệ")),
        error=str(_('Chọn một mã trong trang "Danh sách thôn".')),
    )
    choice.add(f"{code_letter}2:{code_letter}50000")
    sheet.add_data_validation(choice)

    help_sheet = workbook.create_sheet(str(SHEET_HELP))
    for line in _instructions(platforms):
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110
    return _save(workbook)


def export_households(households):
    """The households as a sheet in the template's layout (re-importable)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(SHEET_HOUSEHOLDS))
    for index, column in enumerate(COLUMNS):
        sheet.column_dimensions[_letter(column.key, index)].width = column.width
    sheet.append([column.title for column in COLUMNS])
    for household in households.iterator(chunk_size=EXPORT_CHUNK):
        sheet.append(_row(household))
    return _save(workbook)


def export_filename(prefix):
    stamp = date_format(timezone.localdate(), "Ymd")
    return f"{prefix}-{stamp}.xlsx"


def _row(household):
    yes, no = _("có"), _("không")
    platforms = "; ".join(
        platform.name for platform in household.ecommerce_platforms.all()
    )
    return [
        household.code,
        household.village.code,
        household.village.name,
        household.head_name,
        household.members,
        household.phone,
        household.address,
        household.address_code or "",
        household.lat,
        household.lon,
        yes if household.has_fibre else no,
        household.smartphones,
        household.health_app_members,
        yes if household.is_business else no,
        platforms,
        yes if household.uses_traceability else no,
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
        _("Các cột:"),
    ]
    for column in COLUMNS:
        lines.append(f"• {column.title}: {column.help}".rstrip(": "))
    lines += ["", _("Các sàn thương mại điện tử đã có trong hệ thống:")]
    lines += [f"• {platform.name}" for platform in platforms] or [_("(chưa có)")]
    return lines


def _write_header(sheet):
    sheet.append([column.title for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        sheet.column_dimensions[cell.column_letter].width = column.width
    sheet.freeze_panes = "A2"


def _letter(key, index=None):
    if index is None:
        index = next(i for i, column in enumerate(COLUMNS) if column.key == key)
    return get_column_letter(index + 1)


def _save(workbook):
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
