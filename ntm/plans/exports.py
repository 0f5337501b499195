"""Excel sheets of the plans app: templates and exports in one layout.

Each sheet is a list of columns; an export written here is accepted back by
``imports`` unchanged (choices are written as their Vietnamese labels, which
the import reads as well as the codes).
"""

from dataclasses import dataclass
from io import BytesIO

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from ntm.accounts.models import Office

from .models import BudgetLine, KeyTask, PilotCommune
from .models.records import PilotField, ServiceField

HEADER_FILL = PatternFill("solid", fgColor="1B6B3A")
HEADER_FONT = Font(bold=True, color="FFFFFF")
DATE_FORMAT = "DD/MM/YYYY"
MONEY_FORMAT = "#,##0"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str = ""
    required: bool = False
    width: int = 16
    # Shown for people (a task's title next to its number); not imported.
    informative: bool = False

    @property
    def title(self):
        return f"{self.header} (*)" if self.required else str(self.header)


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: list

    def header(self, key):
        return next(str(c.header) for c in self.columns if c.key == key)


def _labels(choices):
    return "; ".join(str(label) for _value, label in choices.choices)


UNIT_CODE = Column(
    "unit_code",
    gettext_lazy("Mã đơn vị"),
    gettext_lazy("Mã của Tổng cục Thống kê (huyện 506, xã 205xx)."),
    True,
    12,
)
UNIT_NAME = Column(
    "unit_name",
    gettext_lazy("Tên đơn vị"),
    gettext_lazy(
        "Phân biệt xã cũ và xã mới cùng mã trong năm 2025 (ví dụ Xã Đại Đồng"
        " và Xã Hà Nha cùng mã 20515)."
    ),
    width=22,
)

TALLIES = Sheet(
    gettext_lazy("Hồ sơ công việc"),
    [
        Column("year", gettext_lazy("Năm"), "", True, 8),
        UNIT_CODE,
        UNIT_NAME,
        Column(
            "office",
            gettext_lazy("Phòng"),
            gettext_lazy("Chỉ với số liệu cấp huyện: ") + _labels(Office),
            width=26,
        ),
        Column(
            "total",
            gettext_lazy("Tổng số hồ sơ"),
            gettext_lazy("Không tính hồ sơ mật."),
            True,
            12,
        ),
        Column("online", gettext_lazy("Số hồ sơ xử lý trực tuyến"), "", True, 14),
        Column("secret", gettext_lazy("Số hồ sơ mật"), "", width=12),
        Column("note", gettext_lazy("Ghi chú"), width=30),
    ],
)
SERVICES = Sheet(
    gettext_lazy("Dịch vụ thiết yếu"),
    [
        UNIT_CODE,
        UNIT_NAME,
        Column("field", gettext_lazy("Lĩnh vực"), _labels(ServiceField), True, 20),
        Column("name", gettext_lazy("Tên dịch vụ"), "", True, 32),
        Column("url", gettext_lazy("Địa chỉ / nền tảng"), width=30),
        Column("started_on", gettext_lazy("Bắt đầu"), "dd/mm/yyyy", True, 12),
        Column("ended_on", gettext_lazy("Ngừng"), "dd/mm/yyyy", width=12),
    ],
)
PILOTS = Sheet(
    gettext_lazy("Xã thí điểm"),
    [
        UNIT_CODE,
        UNIT_NAME,
        Column("field", gettext_lazy("Lĩnh vực"), _labels(PilotField), True, 22),
        Column("decision_number", gettext_lazy("Số quyết định"), width=16),
        Column("decision_date", gettext_lazy("Ngày quyết định"), "dd/mm/yyyy"),
        Column("started_on", gettext_lazy("Bắt đầu"), "dd/mm/yyyy", True, 12),
        Column(
            "status",
            gettext_lazy("Tình trạng"),
            _labels(PilotCommune.Status),
            True,
        ),
        Column("note", gettext_lazy("Ghi chú"), width=30),
    ],
)
TASKS = Sheet(
    gettext_lazy("Nhiệm vụ"),
    [
        Column("number", gettext_lazy("Số thứ tự"), "", True, 8),
        Column("title", gettext_lazy("Nhiệm vụ"), "", True, 50),
        Column(
            "lead_office", gettext_lazy("Cơ quan chủ trì"), _labels(Office), True, 26
        ),
        Column(
            "cooperating_offices",
            gettext_lazy("Phòng phối hợp"),
            gettext_lazy("Tên phòng, cách nhau bởi dấu ;"),
            width=30,
        ),
        Column("cooperating_others", gettext_lazy("Đơn vị phối hợp khác"), width=30),
        Column("deadline", gettext_lazy("Thời hạn"), "dd/mm/yyyy", True, 12),
        Column("status", gettext_lazy("Tình trạng"), _labels(KeyTask.Status), True),
        Column(
            "progress", gettext_lazy("Tiến độ"), gettext_lazy("0–100 (%)."), True, 9
        ),
        Column("note", gettext_lazy("Ghi chú"), width=40),
    ],
)
BUDGET = Sheet(
    gettext_lazy("Kinh phí"),
    [
        Column("task_number", gettext_lazy("Số thứ tự nhiệm vụ"), "", True, 10),
        Column(
            "task_title", gettext_lazy("Tên nhiệm vụ"), "", width=40, informative=True
        ),
        Column("year", gettext_lazy("Năm"), "", True, 8),
        Column(
            "source", gettext_lazy("Nguồn vốn"), _labels(BudgetLine.Source), True, 28
        ),
        Column(
            "allocated", gettext_lazy("Kinh phí bố trí"), gettext_lazy("đồng"), True
        ),
        Column("disbursed", gettext_lazy("Đã giải ngân"), gettext_lazy("đồng")),
        Column("note", gettext_lazy("Ghi chú"), width=30),
    ],
)


def tally_row(tally):
    return [
        tally.year,
        tally.unit.code,
        tally.unit.name,
        tally.get_office_display() if tally.office else "",
        tally.total,
        tally.online,
        tally.secret,
        tally.note,
    ]


def service_row(service):
    return [
        service.unit.code,
        service.unit.name,
        service.get_field_display(),
        service.name,
        service.url,
        service.started_on,
        service.ended_on,
    ]


def pilot_row(pilot):
    return [
        pilot.unit.code,
        pilot.unit.name,
        pilot.get_field_display(),
        pilot.decision_number,
        pilot.decision_date,
        pilot.started_on,
        pilot.get_status_display(),
        pilot.note,
    ]


def task_row(task):
    return [
        task.number,
        task.title,
        task.get_lead_office_display(),
        "; ".join(str(label) for label in task.cooperating_office_labels),
        task.cooperating_others,
        task.deadline,
        task.get_status_display(),
        task.progress,
        task.note,
    ]


def budget_row(line):
    return [
        line.task.number,
        line.task.title,
        line.year,
        line.get_source_display(),
        line.allocated,
        line.disbursed,
        line.note,
    ]


def build_workbook(sheet, rows):
    """The sheet with its header and ``rows`` (lists), then a how-to sheet."""
    workbook = Workbook()
    data = workbook.active
    data.title = str(sheet.name)
    data.append([column.title for column in sheet.columns])
    for index, column in enumerate(sheet.columns, start=1):
        cell = data.cell(row=1, column=index)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        data.column_dimensions[cell.column_letter].width = column.width
    data.freeze_panes = "A2"
    for row in rows:
        data.append(row)
        for cell in data[data.max_row]:
            if hasattr(cell.value, "year") and not isinstance(cell.value, int):
                cell.number_format = DATE_FORMAT
            elif cell.column_letter and _is_money(sheet, cell.column):
                cell.number_format = MONEY_FORMAT
    help_sheet = workbook.create_sheet(_("Hướng dẫn"))
    for line in _instructions(sheet):
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 110
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(prefix):
    stamp = date_format(timezone.localdate(), "Ymd")
    return f"{prefix}-{stamp}.xlsx"


def _is_money(sheet, column_number):
    return sheet.columns[column_number - 1].key in ("allocated", "disbursed")


def _instructions(sheet):
    lines = [
        _("HƯỚNG DẪN NHẬP: %(sheet)s") % {"sheet": sheet.name},
        "",
        _("1. Mỗi dòng là một bản ghi; không đổi tên các cột; cột có (*) là bắt buộc."),
        _("2. Ngày ghi theo dạng dd/mm/yyyy; số tiền ghi bằng đồng."),
        _("3. Bản ghi đã có (cùng khóa) sẽ được cập nhật; bản ghi mới được thêm."),
        _(
            "4. Nếu có dòng sai, hệ thống không lưu dòng nào và liệt kê các dòng"
            " cần sửa."
        ),
        "",
        _("Các cột:"),
    ]
    for column in sheet.columns:
        lines.append(f"• {column.title}: {column.help}".rstrip(": "))
    return lines
