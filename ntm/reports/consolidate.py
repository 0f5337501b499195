"""The district's report to the province: one DOCX in the Decree 30 layout
with the engine's figures and each unit's narrative under its heading, and
an XLSX annex holding every table."""

from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.documents.administrative import (
    Heading,
    Paragraph,
    Table,
    build_document,
)
from ntm.indicators.evaluation import Context
from ntm.indicators.models import Period

from .exports import annex_workbook
from .models import SectionSpec, Submission
from .tables import plan_target_table, unit_figure_table

REPORTED = Submission.Status.group("reported")


def reported_assignments(form):
    """Assignments whose report has been sent up, offices first."""
    return list(
        form.assignments.counted()
        .filter(submission__status__in=REPORTED)
        .select_related("unit", "submission")
        .order_by("-office", "unit__path")
    )


def consolidated_docx(form, *, day=None):
    day = day or timezone.localdate()
    context = Context(Period.year(form.year))
    sections = list(form.sections.all())
    assignments = reported_assignments(form)
    header, rows = plan_target_table(form, context=context)
    body = [
        Paragraph(
            _(
                "Thực hiện mục VII.9 Kế hoạch chuyển đổi số trong xây dựng nông "
                "thôn mới, %(unit)s báo cáo kết quả năm %(year)s như sau:"
            )
            % {"unit": form.unit.name, "year": form.year}
        ),
        Heading(_("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")),
        Table(header, rows, widths=[1, 5, 2, 2, 2]),
        Heading(_("II. BÁO CÁO CỦA CÁC PHÒNG, BAN VÀ CÁC XÃ")),
    ]
    for number, assignment in enumerate(assignments, start=1):
        body.append(Heading(f"{number}. {assignment.reporter_name}"))
        narratives = assignment.submission.narratives
        for section in sections:
            if section.kind == SectionSpec.Kind.UNIT_FIGURES and not assignment.office:
                unit_header, unit_rows = unit_figure_table(
                    form, assignment.unit, context=context
                )
                body.append(Paragraph(section.title, italic=True))
                body.append(Table(unit_header, unit_rows, widths=[1, 5, 2, 2, 2]))
            elif section.is_narrative and narratives.get(section.key):
                body.append(Paragraph(section.title, italic=True))
                for line in narratives[section.key].splitlines():
                    if line.strip():
                        body.append(Paragraph(line.strip()))
    return build_document(
        issuer=f"UBND {form.unit.name.upper()}",
        number_symbol="Số:      /BC-UBND",
        place=form.unit.name.replace("Huyện ", ""),
        date=day,
        kind=_("BÁO CÁO"),
        title=form.title,
        body=body,
        recipients=[
            _("UBND tỉnh (b/c)"),
            _("Sở Nông nghiệp và Môi trường"),
            _("Lưu: VT, VHTT"),
        ],
        signer_authority=_("TM. ỦY BAN NHÂN DÂN"),
        signer_position=_("CHỦ TỊCH"),
    )


def consolidated_xlsx(form):
    """The annex: the plan's targets, then one sheet of figures per commune."""
    return annex_workbook(form, reported_assignments(form))
