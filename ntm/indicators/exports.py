"""Excel workbooks of the engine: the entry template of a unit's values, and
the tables officials read (a scorecard, a matrix of units by criterion).

Values are written as numbers (a percent as 83.58, with the indicator's
measure in its own column), statuses in the words the pages use.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ntm.core.spreadsheets import Column, Kind, Line, Sheet, build_workbook
from ntm.units.models import Unit

from .evaluation import MET
from .models import ComputedSnapshot, CriteriaSet, Indicator, IndicatorValue, Period
from .templatetags.scorecards import source_text, status_short, status_word

VALUES = Sheet(
    gettext_lazy("Chỉ tiêu"),
    [
        Column("code", gettext_lazy("Mã chỉ tiêu"), required=True, width=18),
        Column("name", gettext_lazy("Tên chỉ tiêu"), width=60, informative=True),
        Column("measure", gettext_lazy("Đơn vị tính"), width=14, informative=True),
        Column(
            "status",
            gettext_lazy("Trạng thái hiện tại"),
            width=18,
            informative=True,
        ),
        Column(
            "value",
            gettext_lazy("Giá trị"),
            gettext_lazy("Tỷ lệ: số phần trăm (85,5); có/không: có hoặc không."),
            required=True,
            width=12,
            kind=Kind.DECIMAL,
        ),
        Column("note", gettext_lazy("Thuyết minh"), width=40),
    ],
    freeze="C2",
)
UNIT_CODE = gettext_lazy("Mã đơn vị")
YEAR = gettext_lazy("Năm")
PERIOD_STATE = gettext_lazy("Tình trạng kỳ")
SCORECARD = Sheet(
    gettext_lazy("Kết quả đánh giá"),
    [
        Column("criterion", gettext_lazy("Tiêu chí"), width=8, kind=Kind.INTEGER),
        Column("criterion_name", gettext_lazy("Tên tiêu chí"), width=30),
        Column("criterion_status", gettext_lazy("Kết quả tiêu chí"), width=16),
        Column("code", gettext_lazy("Mã chỉ tiêu"), width=12),
        Column("name", gettext_lazy("Chỉ tiêu"), width=60),
        Column("value", gettext_lazy("Giá trị"), width=12, kind=Kind.DECIMAL),
        Column("measure", gettext_lazy("Đơn vị tính"), width=14),
        Column("threshold", gettext_lazy("Ngưỡng"), width=16),
        Column("status", gettext_lazy("Kết quả"), width=16),
        Column("source", gettext_lazy("Nguồn số liệu"), width=50),
    ],
    freeze="D2",
)


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
    """A workbook listing the unit's entered indicators and their values.

    Values waiting for review or approved are greyed out (the import refuses
    to change them); yes/no indicators offer có / không.
    """
    rows = []
    for indicator in indicators:
        entry = values.get(indicator.pk)
        boolean = indicator.measure == Indicator.Measure.BOOLEAN
        rows.append(
            Line(
                [
                    indicator.code,
                    indicator.name,
                    indicator.get_measure_display(),
                    entry.get_status_display() if entry else _("Chưa nhập"),
                    value_cell(entry.value, indicator) if entry else None,
                    entry.note if entry else "",
                ],
                muted=entry is not None and entry.is_locked,
                options={"value": [_("có"), _("không")]} if boolean else {},
            )
        )
    return build_workbook(
        (VALUES, rows),
        instructions=[
            _("HƯỚNG DẪN NHẬP SỐ LIỆU CHỈ TIÊU"),
            "",
            _("Chỉ điền cột “Giá trị” và “Thuyết minh”; không sửa cột “Mã chỉ tiêu”."),
            _("Tỷ lệ nhập số phần trăm (ví dụ 85,5); có/không nhập có hoặc không."),
            _(
                "Dòng để trống giá trị được bỏ qua. Dòng tô xám đang chờ duyệt hoặc "
                "đã duyệt nên không sửa được."
            ),
            _("Giá trị được lưu dạng nháp; vào trang nhập số liệu để gửi duyệt."),
            _("Nếu có dòng sai, không dòng nào được lưu."),
        ],
        notes=[
            (UNIT_CODE, unit.code),
            (_("Tên đơn vị"), unit.name),
            (YEAR, int(period.code)),
        ],
    )


def value_cell(value, indicator):
    """A measured value as a cell holds it: a number, or yes/no for booleans."""
    if value is None:
        return None
    if indicator.measure == Indicator.Measure.BOOLEAN:
        return bool(value)
    return Decimal(value)


def scorecard_workbook(evaluation, year):
    """A unit's scorecard: one row per requirement, under its criterion."""
    rows = []
    for criterion in evaluation.criteria:
        for result in criterion.results:
            requirement = result.requirement
            rows.append(
                [
                    criterion.criterion.number,
                    criterion.criterion.name,
                    status_word(criterion.status),
                    requirement.code,
                    requirement.name,
                    value_cell(result.value, requirement.indicator),
                    requirement.indicator.get_measure_display(),
                    requirement.threshold_display,
                    status_word(result.status),
                    source_text(result.measurement),
                ]
            )
    unit, criteria_set = evaluation.unit, evaluation.criteria_set
    counts = evaluation.counts()
    return build_workbook(
        (SCORECARD, rows),
        notes=[
            (_("Bảng"), _("Kết quả đánh giá theo bộ tiêu chí")),
            (_("Bộ tiêu chí"), criteria_set.name),
            (_("Căn cứ"), criteria_set.decision),
            (UNIT_CODE, unit.code),
            (_("Đơn vị"), unit.name),
            (YEAR, year),
            (PERIOD_STATE, Period.note_for(year) or _("Đang mở")),
            (_("Kết quả chung"), status_word(evaluation.status)),
            (_("Số tiêu chí đạt"), counts[MET]),
            (_("Số tiêu chí"), len(evaluation.criteria)),
        ],
        demo=shows_demo_data(unit),
    )


def matrix_workbook(page):
    """Units by criterion, as the matrix page shows them (with its filters).

    ``page`` is the matrix page's context: the rows shown, and the totals
    over every unit of the area.
    """
    criteria_set, parent, criteria = (
        page["criteria_set"],
        page["parent"],
        page["criteria"],
    )
    columns = [
        Column("code", UNIT_CODE, width=10),
        Column("unit", gettext_lazy("Đơn vị"), width=26),
        Column("parent", gettext_lazy("Trực thuộc"), width=22),
        *(
            Column(f"tc{c.number}", f"{_('TC')} {c.number}", c.name, width=9)
            for c in criteria
        ),
        Column("met", _("Số tiêu chí đạt"), width=10, kind=Kind.INTEGER),
        Column("status", _("Chung"), width=16),
    ]
    sheet = Sheet(_("Bảng tổng hợp"), columns, freeze="C2")
    rows = [
        [
            evaluation.unit.code,
            evaluation.unit.name,
            evaluation.unit.parent.name if evaluation.unit.parent_id else "",
            *(status_short(c.status) for c in evaluation.criteria),
            sum(1 for c in evaluation.criteria if c.status == MET),
            status_word(evaluation.status),
        ]
        for evaluation in page["rows"]
    ]
    rows.append(["", _("Số đơn vị đạt"), "", *page["totals"], None, page["total_met"]])
    return build_workbook(
        (sheet, rows),
        notes=[
            (_("Bảng"), _("Bảng tổng hợp kết quả theo tiêu chí")),
            (_("Bộ tiêu chí"), criteria_set.name),
            (_("Căn cứ"), criteria_set.decision),
            (_("Địa bàn"), parent.name),
            (YEAR, int(page["year"])),
            (PERIOD_STATE, Period.note_for(page["year"]) or _("Đang mở")),
            (_("Số đơn vị"), page["total_units"]),
            (_("Số đơn vị trong bảng (theo bộ lọc)"), len(page["rows"])),
            *((f"{_('TC')} {c.number}", c.name) for c in criteria),
        ],
        demo=shows_demo_data(parent),
    )


def shows_demo_data(unit):
    """Whether figures for ``unit`` draw on the demo data set: its villages
    and their households, or year-end snapshots, made by ``load_demo``."""
    units = Unit.objects.within(unit)
    return (
        units.filter(is_demo=True).exists()
        or ComputedSnapshot.objects.filter(is_demo=True, unit__in=units).exists()
    )
