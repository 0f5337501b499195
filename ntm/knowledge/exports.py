"""Excel workbooks of the roster: the import template and the list export.

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
from openpyxl.styles import Font, PatternFill

SHEET_STAFF = gettext_lazy("Cán bộ")
SHEET_UNITS = gettext_lazy("Danh sách đơn vị")
SHEET_HELP = gettext_lazy("Hướng dẫn")
HEADER_FILL = PatternFill("solid", fgColor="1B6B3A")
HEADER_FONT = Font(bold=True, color="FFFFFF")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str
    required: bool = False
    informative: bool = False
    width: int = 16

    @property
    def title(self):
        return f"{self.header} (*)" if self.required else str(self.header)


COLUMNS = [
    Column(
        "year", gettext_lazy("Năm"), gettext_lazy("Năm của danh sách."), True, width=8
    ),
    Column(
        "code",
        gettext_lazy("Mã cán bộ"),
        gettext_lazy("Giữ nguyên mã của cán bộ qua các năm."),
        True,
        width=12,
    ),
    Column(
        "full_name",
        gettext_lazy("Họ và tên"),
        gettext_lazy("Viết có dấu."),
        True,
        width=24,
    ),
    Column("position", gettext_lazy("Chức vụ"), "", width=28),
    Column(
        "unit_code",
        gettext_lazy("Mã đơn vị"),
        gettext_lazy('Mã huyện, xã hoặc thôn, lấy ở trang "Danh sách đơn vị".'),
        True,
        width=12,
    ),
    Column(
        "unit_name",
        gettext_lazy("Tên đơn vị"),
        gettext_lazy("Chỉ để đọc; hệ thống dùng cột Mã đơn vị."),
        informative=True,
        width=24,
    ),
    Column(
        "is_active",
        gettext_lazy("Đang đảm nhiệm"),
        gettext_lazy("có / không; để trống là có."),
        width=12,
    ),
]


def build_template(units):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(SHEET_STAFF)
    _header(sheet, [c.title for c in COLUMNS], [c.width for c in COLUMNS])
    unit_sheet = workbook.create_sheet(str(SHEET_UNITS))
    _header(
        unit_sheet,
        [_("Mã đơn vị"), _("Tên đơn vị"), _("Trực thuộc"), _("Hiệu lực")],
        [12, 26, 26, 26],
    )
    for unit in units:
        unit_sheet.append(
            [unit.code, unit.name, str(unit.parent or ""), str(unit.validity_display)]
        )
    help_sheet = workbook.create_sheet(str(SHEET_HELP))
    for line in _instructions():
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110
    return _save(workbook)


def export_staff(entries):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(SHEET_STAFF))
    sheet.append([column.title for column in COLUMNS])
    yes, no = _("có"), _("không")
    for staff in entries.iterator(chunk_size=2000):
        sheet.append(
            [
                staff.year,
                staff.code,
                staff.full_name,
                staff.position,
                staff.unit.code,
                staff.unit.name,
                yes if staff.is_active else no,
            ]
        )
    return _save(workbook)


def export_filename(prefix):
    return f"{prefix}-{date_format(timezone.localdate(), 'Ymd')}.xlsx"


def _instructions():
    lines = [
        _("HƯỚNG DẪN NHẬP DANH SÁCH CÁN BỘ QUẢN LÝ CHƯƠNG TRÌNH NTM"),
        "",
        _('1. Mỗi dòng của trang "Cán bộ" là một cán bộ trong danh sách của một năm.'),
        _("2. Cột có dấu (*) là bắt buộc."),
        _(
            "3. Năm và mã cán bộ đã có: cập nhật dòng đó; chưa có: thêm vào "
            "danh sách năm đó."
        ),
        _(
            "4. Mã đơn vị: mã huyện, xã hoặc thôn nơi cán bộ công tác trong năm "
            '(trang "Danh sách đơn vị"); mã dùng lại sau sắp xếp 2025 được hiểu '
            "theo đơn vị có hiệu lực cuối năm đó."
        ),
        _(
            "5. Nếu có dòng sai, hệ thống không lưu dòng nào và liệt kê các dòng "
            "cần sửa."
        ),
        "",
        _("Các cột:"),
    ]
    lines += [f"• {c.title}: {c.help}".rstrip(": ") for c in COLUMNS]
    return lines


def _header(sheet, titles, widths):
    sheet.append(titles)
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"


def _save(workbook):
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
