"""Excel sheets of the plans app: templates and exports in one layout.

Each sheet is a list of columns; an export written here is accepted back by
``imports`` unchanged (choices are written as their Vietnamese labels, which
the import reads as well as the codes).
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ntm.accounts.models import Office
from ntm.core.spreadsheets import Column, Kind, Sheet, build_workbook

from .models import BudgetLine, KeyTask, PilotCommune
from .models.records import PilotField, ServiceField

YEAR_FORMAT = "0"
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

YEAR = Column(
    "year",
    gettext_lazy("Năm"),
    required=True,
    width=8,
    kind=Kind.INTEGER,
    number_format=YEAR_FORMAT,
)
STARTED_ON = Column(
    "started_on", gettext_lazy("Bắt đầu"), required=True, width=12, kind=Kind.DATE
)
TALLIES = Sheet(
    gettext_lazy("Hồ sơ công việc"),
    [
        YEAR,
        UNIT_CODE,
        UNIT_NAME,
        Column(
            "office",
            gettext_lazy("Phòng"),
            format_lazy(
                "{} {}",
                gettext_lazy("Chỉ với số liệu cấp huyện:"),
                "; ".join(str(label) for _value, label in Office.choices),
            ),
            width=26,
            kind=Kind.CHOICE,
            choices=Office,
        ),
        Column(
            "total",
            gettext_lazy("Tổng số hồ sơ"),
            gettext_lazy("Không tính hồ sơ mật."),
            required=True,
            width=12,
            kind=Kind.INTEGER,
        ),
        Column(
            "online",
            gettext_lazy("Số hồ sơ xử lý trực tuyến"),
            required=True,
            width=14,
            kind=Kind.INTEGER,
        ),
        Column("secret", gettext_lazy("Số hồ sơ mật"), width=12, kind=Kind.INTEGER),
        Column("note", gettext_lazy("Ghi chú"), width=30),
    ],
)
SERVICES = Sheet(
    gettext_lazy("Dịch vụ thiết yếu"),
    [
        UNIT_CODE,
        UNIT_NAME,
        Column(
            "field",
            gettext_lazy("Lĩnh vực"),
            required=True,
            width=20,
            kind=Kind.CHOICE,
            choices=ServiceField,
        ),
        Column("name", gettext_lazy("Tên dịch vụ"), required=True, width=32),
        Column("url", gettext_lazy("Địa chỉ / nền tảng"), width=30),
        STARTED_ON,
        Column("ended_on", gettext_lazy("Ngừng"), width=12, kind=Kind.DATE),
    ],
)
PILOTS = Sheet(
    gettext_lazy("Xã thí điểm"),
    [
        UNIT_CODE,
        UNIT_NAME,
        Column(
            "field",
            gettext_lazy("Lĩnh vực"),
            required=True,
            width=22,
            kind=Kind.CHOICE,
            choices=PilotField,
        ),
        Column("decision_number", gettext_lazy("Số quyết định"), width=16),
        Column("decision_date", gettext_lazy("Ngày quyết định"), kind=Kind.DATE),
        STARTED_ON,
        Column(
            "status",
            gettext_lazy("Tình trạng"),
            required=True,
            kind=Kind.CHOICE,
            choices=PilotCommune.Status,
        ),
        Column("note", gettext_lazy("Ghi chú"), width=30),
    ],
)
TASKS = Sheet(
    gettext_lazy("Nhiệm vụ"),
    [
        Column("number", gettext_lazy("Số thứ tự"), required=True, width=8),
        Column("title", gettext_lazy("Nhiệm vụ"), required=True, width=50),
        Column(
            "lead_office",
            gettext_lazy("Cơ quan chủ trì"),
            required=True,
            width=26,
            kind=Kind.CHOICE,
            choices=Office,
        ),
        Column(
            "cooperating_offices",
            gettext_lazy("Phòng phối hợp"),
            width=30,
            kind=Kind.CHOICES,
            choices=Office,
        ),
        Column("cooperating_others", gettext_lazy("Đơn vị phối hợp khác"), width=30),
        Column(
            "deadline",
            gettext_lazy("Thời hạn"),
            required=True,
            width=12,
            kind=Kind.DATE,
        ),
        Column(
            "status",
            gettext_lazy("Tình trạng"),
            required=True,
            kind=Kind.CHOICE,
            choices=KeyTask.Status,
        ),
        Column(
            "progress",
            gettext_lazy("Tiến độ"),
            gettext_lazy("0–100 (%)."),
            required=True,
            width=9,
            kind=Kind.INTEGER,
        ),
        Column("note", gettext_lazy("Ghi chú"), width=40),
    ],
)
BUDGET = Sheet(
    gettext_lazy("Kinh phí"),
    [
        Column(
            "task_number", gettext_lazy("Số thứ tự nhiệm vụ"), required=True, width=10
        ),
        Column("task_title", gettext_lazy("Tên nhiệm vụ"), width=40, informative=True),
        YEAR,
        Column(
            "source",
            gettext_lazy("Nguồn vốn"),
            required=True,
            width=28,
            kind=Kind.CHOICE,
            choices=BudgetLine.Source,
        ),
        Column(
            "allocated",
            gettext_lazy("Kinh phí bố trí"),
            gettext_lazy("đồng"),
            required=True,
            kind=Kind.MONEY,
        ),
        Column(
            "disbursed",
            gettext_lazy("Đã giải ngân"),
            gettext_lazy("đồng"),
            kind=Kind.MONEY,
        ),
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


def records_workbook(sheet, rows, *, demo=False):
    """The sheet with ``rows`` (an export), or empty (the import template),
    then a how-to sheet."""
    return build_workbook(
        (sheet, rows),
        instructions=_instructions(sheet),
        template=not rows,
        demo=demo,
    )


def _instructions(sheet):
    return [
        _("HƯỚNG DẪN NHẬP: %(sheet)s") % {"sheet": sheet.name},
        "",
        _("1. Mỗi dòng là một bản ghi; không đổi tên các cột; cột có (*) là bắt buộc."),
        _("2. Ngày ghi theo dạng dd/mm/yyyy; số tiền ghi bằng đồng."),
        _("3. Bản ghi đã có (cùng khóa) sẽ được cập nhật; bản ghi mới được thêm."),
        _(
            "4. Nếu có dòng sai, hệ thống không lưu dòng nào và liệt kê các dòng"
            " cần sửa."
        ),
    ]


def budget_workbook(plan, lines, table):
    """The budget lines (re-importable), then the table by source and year."""
    money = [
        Column(f"{part}{year}", f"{year} {label}", width=16, kind=Kind.MONEY)
        for year in [*table["years"], _("Cộng")]
        for part, label in (("a", _("bố trí")), ("d", _("giải ngân")))
    ]
    summary = Sheet(
        _("Tổng hợp theo nguồn"),
        [Column("source", _("Nguồn vốn"), width=30), *money],
        freeze="B2",
    )

    def amounts(cells, total):
        return [amount for cell in [*cells, total] for amount in cell]

    rows = [[label, *amounts(cells, total)] for label, cells, total in table["rows"]]
    rows.append([_("Tổng cộng"), *amounts(table["totals"], table["total"])])
    return build_workbook(
        (BUDGET, [budget_row(line) for line in lines]),
        (summary, rows),
        instructions=_instructions(BUDGET),
        notes=[
            (_("Bảng"), _("Kinh phí thực hiện kế hoạch")),
            (_("Kế hoạch"), plan.title),
            (_("Giai đoạn"), f"{plan.first_year}–{plan.last_year}"),
            (_("Đơn vị tính"), _("đồng")),
        ],
        demo=any(line.is_demo for line in lines),
    )
