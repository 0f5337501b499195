"""Excel workbooks of cooperatives and linkage models: templates and exports.

``COLUMNS`` and ``LINKAGE_COLUMNS`` are the contract between the templates,
the exports and the imports (``imports.py``): an exported file can be edited
and imported back.
"""

from dataclasses import dataclass
from io import BytesIO

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

SHEET_COOPERATIVES = gettext_lazy("Hợp tác xã")
SHEET_LINKAGES = gettext_lazy("Mô hình liên kết")
SHEET_COMMUNES = gettext_lazy("Danh sách xã")
SHEET_HELP = gettext_lazy("Hướng dẫn")
HEADER_FILL = PatternFill("solid", fgColor="1B6B3A")
HEADER_FONT = Font(bold=True, color="FFFFFF")
YES_NO_HELP = gettext_lazy("có / không; để trống là không.")


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str = ""
    required: bool = False
    informative: bool = False
    width: int = 16

    @property
    def title(self):
        return f"{self.header} (*)" if self.required else str(self.header)


COLUMNS = [
    Column(
        "code",
        gettext_lazy("Mã số HTX"),
        gettext_lazy("Mã số hoặc số đăng ký; mã đã có thì dòng cập nhật HTX đó."),
        True,
        width=14,
    ),
    Column("name", gettext_lazy("Tên hợp tác xã"), "", True, width=32),
    Column(
        "commune_code",
        gettext_lazy("Mã xã"),
        gettext_lazy(
            "Mã xã nơi đăng ký; mã dùng lại sau 01/07/2025 được hiểu theo "
            "ngày thành lập (trước đó: xã cũ)."
        ),
        True,
        width=10,
    ),
    Column(
        "commune_name",
        gettext_lazy("Tên xã"),
        gettext_lazy("Chỉ để đọc."),
        informative=True,
        width=20,
    ),
    Column(
        "founded_on",
        gettext_lazy("Ngày thành lập"),
        gettext_lazy("dd/mm/yyyy."),
        width=14,
    ),
    Column(
        "members", gettext_lazy("Số thành viên"), gettext_lazy("Số nguyên."), width=10
    ),
    Column("main_products", gettext_lazy("Sản phẩm, dịch vụ chính"), width=30),
    Column(
        "applies_digital_technology",
        gettext_lazy("Ứng dụng công nghệ số"),
        YES_NO_HELP,
        width=12,
    ),
    Column(
        "technologies",
        gettext_lazy("Công nghệ số áp dụng"),
        gettext_lazy("Tên công nghệ trong trang Hướng dẫn, cách nhau bởi dấu ;"),
        width=30,
    ),
    Column("representative", gettext_lazy("Người đại diện"), width=22),
    Column("phone", gettext_lazy("Số điện thoại"), width=14),
    Column(
        "is_active",
        gettext_lazy("Đang hoạt động"),
        gettext_lazy("có / không; để trống là có."),
        width=12,
    ),
]

LINKAGE_COLUMNS = [
    Column(
        "cooperative_code",
        gettext_lazy("Mã số HTX"),
        gettext_lazy("HTX đã có trong hệ thống."),
        True,
        width=14,
    ),
    Column(
        "name",
        gettext_lazy("Tên mô hình liên kết"),
        gettext_lazy("Cùng HTX và cùng tên thì dòng cập nhật mô hình đó."),
        True,
        width=32,
    ),
    Column("key_product", gettext_lazy("Sản phẩm chủ lực"), width=20),
    Column("partner", gettext_lazy("Doanh nghiệp liên kết"), width=26),
    Column(
        "tied_to_sales",
        gettext_lazy("Gắn với tiêu thụ nông sản chủ lực"),
        YES_NO_HELP,
        width=14,
    ),
    Column(
        "has_raw_material_area",
        gettext_lazy("Gắn với vùng nguyên liệu"),
        YES_NO_HELP,
        width=14,
    ),
    Column("raw_material_area", gettext_lazy("Vùng nguyên liệu"), width=26),
    Column("area_ha", gettext_lazy("Diện tích (ha)"), width=10),
    Column(
        "applies_digital_technology",
        gettext_lazy("Ứng dụng công nghệ số"),
        YES_NO_HELP,
        width=12,
    ),
    Column("started_year", gettext_lazy("Năm bắt đầu"), width=10),
    Column(
        "is_active",
        gettext_lazy("Đang hoạt động"),
        gettext_lazy("có / không; để trống là có."),
        width=12,
    ),
]


def build_template(communes, technologies):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(SHEET_COOPERATIVES)
    _header(sheet, COLUMNS)
    commune_sheet = workbook.create_sheet(str(SHEET_COMMUNES))
    commune_sheet.append([_("Mã xã"), _("Tên xã"), _("Hiệu lực")])
    for commune in communes:
        commune_sheet.append(
            [commune.code, commune.name, str(commune.validity_display)]
        )
    _help(workbook, _("HƯỚNG DẪN NHẬP DANH SÁCH HỢP TÁC XÃ"), COLUMNS, technologies)
    return _save(workbook)


def build_linkage_template(technologies):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(SHEET_LINKAGES)
    _header(sheet, LINKAGE_COLUMNS)
    _help(workbook, _("HƯỚNG DẪN NHẬP MÔ HÌNH LIÊN KẾT"), LINKAGE_COLUMNS, ())
    return _save(workbook)


def export_cooperatives(cooperatives):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(SHEET_COOPERATIVES))
    sheet.append([column.title for column in COLUMNS])
    for c in cooperatives.iterator(chunk_size=2000):
        sheet.append(
            [
                c.code,
                c.name,
                c.commune.code,
                c.commune.name,
                c.founded_on.strftime("%d/%m/%Y") if c.founded_on else "",
                c.members,
                c.main_products,
                _yes_no(c.applies_digital_technology),
                "; ".join(t.name for t in c.technologies.all()),
                c.representative,
                c.phone,
                _yes_no(c.is_active),
            ]
        )
    return _save(workbook)


def export_linkage_models(models):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(SHEET_LINKAGES))
    sheet.append([column.title for column in LINKAGE_COLUMNS])
    for m in models.iterator(chunk_size=2000):
        sheet.append(
            [
                m.cooperative.code,
                m.name,
                m.key_product,
                m.partner,
                _yes_no(m.tied_to_sales),
                _yes_no(m.has_raw_material_area),
                m.raw_material_area,
                m.area_ha,
                _yes_no(m.applies_digital_technology),
                m.started_year,
                _yes_no(m.is_active),
            ]
        )
    return _save(workbook)


def export_filename(prefix):
    return f"{prefix}-{date_format(timezone.localdate(), 'Ymd')}.xlsx"


def _yes_no(value):
    return _("có") if value else _("không")


def _help(workbook, title, columns, technologies):
    sheet = workbook.create_sheet(str(SHEET_HELP))
    lines = [
        title,
        "",
        _(
            "1. Mỗi dòng là một bản ghi; không đổi tên các cột. "
            "Cột có dấu (*) là bắt buộc."
        ),
        _("2. Cột có/không nhận: có, không, x, 1, 0."),
        _(
            "3. Nếu có dòng sai, hệ thống không lưu dòng nào và liệt kê các dòng "
            "cần sửa; sửa xong tải lại cùng tệp."
        ),
        "",
        _("Các cột:"),
    ]
    lines += [f"• {c.title}: {c.help}".rstrip(": ") for c in columns]
    if technologies:
        lines += ["", _("Các công nghệ số:")]
        lines += [f"• {t.name}" for t in technologies]
    for line in lines:
        sheet.append([line])
    sheet.column_dimensions["A"].width = 110


def _header(sheet, columns):
    sheet.append([column.title for column in columns])
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        sheet.column_dimensions[cell.column_letter].width = column.width
    sheet.freeze_panes = "A2"


def _save(workbook):
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
