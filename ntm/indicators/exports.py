"""The Excel template of the values a unit enters, and what it lists."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from .models import CriteriaSet, Indicator, IndicatorValue

SHEET_VALUES = gettext_lazy("Chỉ tiêu")
SHEET_INFO = gettext_lazy("Thông tin")
# (key, title, width); the import finds columns by their titles.
COLUMNS = [
    ("code", gettext_lazy("Mã chỉ tiêu"), 18),
    ("name", gettext_lazy("Tên chỉ tiêu"), 60),
    ("measure", gettext_lazy("Đơn vị tính"), 14),
    ("status", gettext_lazy("Trạng thái hiện tại"), 18),
    ("value", gettext_lazy("Giá trị"), 12),
    ("note", gettext_lazy("Thuyết minh"), 40),
]
HEADER_FILL = PatternFill("solid", fgColor="1B6B3A")
LOCKED_FILL = PatternFill("solid", fgColor="EEEEEE")


def entered_indicators(unit, year):
    """Entered indicators of the unit's level used by the sets active in ``year``."""
    sets = CriteriaSet.objects.active().for_year(year)
    return (
        Indicator.objects.filter(
            source=Indicator.Source.ENTERED,
            level=unit.level,
            requirements__criterion__criteria_set__in=sets,
        )
        .distinct()
        .order_by("code")
    )


def current_values(unit, period, indicators):
    """{indicator id: IndicatorValue} of the unit in the period."""
    return {
        value.indicator_id: value
        for value in IndicatorValue.objects.filter(
            unit=unit, period=period, indicator__in=list(indicators)
        )
        .select_related("submitted_by", "reviewed_by")
        .prefetch_related("evidence")
    }


def build_entry_template(unit, period, indicators, values):
    """A workbook listing the unit's entered indicators and their values."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(SHEET_VALUES)
    sheet.append([str(title) for _key, title, _width in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, (_key, _title, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = width
    yes_no = DataValidation(type="list", formula1='"0,1"', allow_blank=True)
    sheet.add_data_validation(yes_no)
    for row, indicator in enumerate(indicators, start=2):
        entry = values.get(indicator.pk)
        sheet.append(
            [
                indicator.code,
                indicator.name,
                str(indicator.get_measure_display()),
                str(entry.get_status_display()) if entry else _("Chưa nhập"),
                entry.value if entry else None,
                entry.note if entry else "",
            ]
        )
        if entry is not None and entry.is_locked:
            for cell in sheet[row]:
                cell.fill = LOCKED_FILL
        if indicator.measure == Indicator.Measure.BOOLEAN:
            yes_no.add(f"E{row}")
    sheet.freeze_panes = "C2"

    info = workbook.create_sheet(str(SHEET_INFO))
    info.append([_("Mã đơn vị"), unit.code])
    info.append([_("Tên đơn vị"), unit.name])
    info.append([_("Năm"), int(period.code)])
    info.append([])
    for line in (
        _("Chỉ điền cột “Giá trị” và “Thuyết minh”; không sửa cột “Mã chỉ tiêu”."),
        _("Tỷ lệ nhập số phần trăm (ví dụ 85,5); có/không nhập 1 hoặc 0."),
        _(
            "Dòng để trống giá trị được bỏ qua. Dòng tô xám đang chờ duyệt hoặc "
            "đã duyệt nên không sửa được."
        ),
        _("Giá trị được lưu dạng nháp; vào trang nhập số liệu để gửi duyệt."),
        _("Nếu có dòng sai, không dòng nào được lưu."),
    ):
        info.append([line])
    info.column_dimensions["A"].width = 20
    info.column_dimensions["B"].width = 40
    return workbook
