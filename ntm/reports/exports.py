"""Workbooks of the yearly reports: who has reported (the completeness page)
and the annex of the consolidated report, every table with numbers as
numbers."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ntm.core.spreadsheets import Column, Kind, Sheet, build_workbook
from ntm.indicators.evaluation import Context
from ntm.indicators.models import Period

from .models import SectionSpec
from .tables import plan_target_table, unit_figure_table

SUBMISSIONS = Sheet(
    gettext_lazy("Tình hình nộp"),
    [
        Column("unit", gettext_lazy("Đơn vị"), width=34),
        Column("due_date", gettext_lazy("Hạn nộp"), width=12, kind=Kind.DATE),
        Column("status", gettext_lazy("Trạng thái"), width=18),
        Column("submitted_at", gettext_lazy("Ngày nộp"), width=17, kind=Kind.DATE),
        Column("late", gettext_lazy("Nộp muộn"), width=10, kind=Kind.YES_NO),
    ],
)
FIGURES = [
    Column("target", gettext_lazy("Mục tiêu"), width=9),
    Column("name", gettext_lazy("Nội dung"), width=60),
    Column("requirement", gettext_lazy("Yêu cầu"), width=16),
    Column("value", gettext_lazy("Kết quả"), width=12, kind=Kind.DECIMAL),
    Column("status", gettext_lazy("Đánh giá"), width=16),
]


def submission_rows(assignments):
    """One row per assignment: who, by when, and how it stands."""
    for assignment in assignments:
        submission = assignment.submission
        yield [
            assignment.reporter_name,
            assignment.due_date,
            submission.get_status_display(),
            submission.submitted_at,
            submission.is_late if submission.submitted_at else None,
        ]


def completeness_workbook(form, assignments, summary):
    """The completeness page as a workbook."""
    return build_workbook(
        (SUBMISSIONS, submission_rows(assignments)),
        notes=[
            (_("Bảng"), _("Tình hình nộp báo cáo")),
            (_("Báo cáo"), form.title),
            (_("Năm"), form.year),
            (_("Hạn nộp"), form.due_date),
            (_("Số đơn vị phải nộp"), summary["total"]),
            (_("Đã nộp"), summary["submitted"]),
            (_("Đã tiếp nhận"), summary["accepted"]),
            (_("Nộp muộn"), summary["late"]),
            (_("Chưa nộp"), summary["missing"]),
            (_("Tỷ lệ nộp đúng hạn (%)"), summary["on_time_percent"]),
        ],
        demo=form.is_demo,
    )


def annex_workbook(form, reported):
    """The annex: the plan's targets, one sheet of figures per commune that
    reported, then who has reported."""
    context = Context(Period.year(form.year))
    _header, rows = plan_target_table(form, context=context, typed=True)
    parts = [(Sheet(_("Chỉ tiêu kế hoạch"), FIGURES), rows)]
    if form.sections.filter(kind=SectionSpec.Kind.UNIT_FIGURES).exists():
        for assignment in reported:
            if assignment.office:
                continue
            _header, rows = unit_figure_table(
                form, assignment.unit, context=context, typed=True
            )
            parts.append((Sheet(assignment.unit.name, _unit_columns()), rows))
    assignments = form.assignments.counted().select_related("unit", "submission")
    parts.append((SUBMISSIONS, submission_rows(assignments)))
    return build_workbook(*parts)


def _unit_columns():
    return [FIGURES[0], Column("name", _("Chỉ số"), width=60), *FIGURES[2:]]
