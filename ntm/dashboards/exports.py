"""The plan dashboard as a workbook: the same figures as the page.

One row per target with the chosen year's value (a number, its measure in
its own column), the requirement, the verdict and the value of every plan
year; the staff version adds the lagging units and why.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ntm.core.spreadsheets import Column, Kind, Sheet, build_workbook
from ntm.indicators.exports import shows_demo_data, value_cell
from ntm.indicators.models import Period
from ntm.indicators.templatetags.scorecards import measure_value, status_word
from ntm.plans.projection import METHOD as PROJECTION_METHOD

LAGGARDS = Sheet(
    gettext_lazy("Đơn vị chậm tiến độ"),
    [
        Column("target", gettext_lazy("Mục tiêu"), width=9),
        Column("code", gettext_lazy("Mã đơn vị"), width=10),
        Column("unit", gettext_lazy("Đơn vị"), width=24),
        Column("status", gettext_lazy("Đánh giá"), width=16),
        Column("value", gettext_lazy("Giá trị"), width=12, kind=Kind.DECIMAL),
        Column("measure", gettext_lazy("Đơn vị tính"), width=14),
        Column("reasons", gettext_lazy("Lý do"), width=80),
    ],
    freeze="D2",
)


def dashboard_workbook(context):
    """The dashboard's ``context`` (``views._dashboard``) as a workbook."""
    plan, year, rows = context["plan"], context["year"], context["rows"]
    sheet = Sheet(
        _("Mục tiêu năm %(year)s") % {"year": year},
        [
            Column("number", _("Mục tiêu"), width=9),
            Column("title", _("Nội dung"), width=50),
            Column("indicator", _("Chỉ số"), width=40),
            Column("measure", _("Đơn vị tính"), width=14),
            Column("value", _("Giá trị năm %(year)s") % {"year": year}, width=12,
                   kind=Kind.DECIMAL),
            Column("numerator", _("Tử số"), width=10, kind=Kind.DECIMAL),
            Column("denominator", _("Mẫu số"), width=10, kind=Kind.DECIMAL),
            Column("requirement", _("Mục tiêu đề ra"), width=16),
            Column("status", _("Đánh giá"), width=16),
            Column("unconfirmed", _("Dựa trên ngưỡng chưa xác minh"), width=30),
            *(
                Column(f"y{y}", _("Năm %(year)s") % {"year": y}, width=11,
                       kind=Kind.DECIMAL)
                for y in plan.years
            ),
            Column("projection", _("Dự báo đến hạn"), width=24),
            Column("projected", _("Giá trị dự báo năm hạn"), width=12,
                   kind=Kind.DECIMAL),
        ],
        freeze="C2",
    )  # fmt: skip
    parts = [(sheet, [_target_row(row, plan.years) for row in rows])]
    if context["laggards_visible"]:
        parts.append((LAGGARDS, [lag for row in rows for lag in _laggard_rows(row)]))
    counts = context["counts"]
    return build_workbook(
        *parts,
        notes=[
            (_("Bảng"), _("Theo dõi thực hiện kế hoạch")),
            (_("Kế hoạch"), plan.title),
            (_("Địa bàn"), plan.unit.name),
            (_("Năm"), year),
            (_("Tình trạng kỳ"), Period.note_for(year) or _("Đang mở")),
            (_("Số mục tiêu của kế hoạch"), counts["targets"]),
            (_("Số chỉ tiêu đo được (dòng của bảng)"), counts["parts"]),
            (_("Số mục tiêu đạt"), counts["met"]),
            (_("Số mục tiêu chưa đạt"), counts["not_met"]),
            (_("Số mục tiêu chưa có số liệu"), counts["no_data"]),
            (_("Cách dự báo đến hạn"), str(PROJECTION_METHOD)),
        ],
        demo=shows_demo_data(plan.unit),
    )


def _target_row(row, years):
    target, result, indicator = row.target, row.result, row.target.indicator
    trend = {r.year: r for r in row.trend}
    return [
        target.number,
        target.title,
        indicator.name,
        indicator.get_measure_display(),
        value_cell(result.value, indicator),
        result.measurement.numerator,
        result.measurement.denominator,
        target.requirement.threshold_display,
        status_word(result.status),
        ", ".join(str(item) for item in result.unconfirmed),
        *(value_cell(trend[y].value, indicator) if y in trend else None for y in years),
        str(row.projection.word),
        value_cell(row.projection.shown, indicator),
    ]


def _laggard_rows(row):
    for lag in row.laggards:
        reasons = "; ".join(
            f"{reason.requirement.code}:"
            f" {measure_value(reason.value, reason.requirement.indicator)}"
            f" ({_('yêu cầu')} {reason.requirement.threshold_display})"
            for reason in lag.reasons
        )
        yield [
            row.target.number,
            lag.unit.code,
            lag.unit.name,
            status_word(lag.status),
            value_cell(lag.value, row.target.indicator),
            row.target.indicator.get_measure_display(),
            reasons,
        ]
