"""A criteria set as the official tables lay it out, to Excel and back.

One row per requirement and region: the criterion's number and name, the
requirement's code and content, the indicator it reads, the comparison and
threshold, the region it applies to (blank: everywhere; "region:DHNTB" for
the South Central Coast, as the national tables give one column per region),
the unit of measure, whether the threshold was checked against the decision,
and its source. The export of a set is the template of its next version: a
district admin edits the thresholds, imports the sheet, reads the difference
against the version in force, and saves it as a new version that takes
effect from a year (``adopt_criteria_version``); earlier years keep theirs.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ntm.core.numbers import format_number
from ntm.core.spreadsheets import (
    Column,
    ImportRefused,
    Kind,
    Sheet,
    build_workbook,
    flag_repeats,
    refuse_bad_rows,
)

from .models import Indicator, Requirement

SHEET = Sheet(
    gettext_lazy("Bộ tiêu chí"),
    [
        Column("criterion", gettext_lazy("Tiêu chí số"), required=True, width=9),
        Column("criterion_name", gettext_lazy("Tên tiêu chí"), required=True, width=28),
        Column("code", gettext_lazy("Mã chỉ tiêu"), required=True, width=10),
        Column("name", gettext_lazy("Nội dung chỉ tiêu"), required=True, width=50),
        Column("indicator", gettext_lazy("Mã chỉ số"), required=True, width=18),
        Column(
            "comparison",
            gettext_lazy("So sánh"),
            required=True,
            width=8,
            kind=Kind.CHOICE,
            choices=Requirement.Comparison,
        ),
        Column(
            "threshold",
            gettext_lazy("Ngưỡng"),
            width=10,
            kind=Kind.DECIMAL,
            help=gettext_lazy("Bỏ trống khi so sánh là “Đạt”."),
        ),
        Column(
            "variant",
            gettext_lazy("Áp dụng cho vùng"),
            width=16,
            help=gettext_lazy(
                "Bỏ trống: áp dụng chung; region:DHNTB: vùng Bắc Trung Bộ và "
                "Duyên hải Nam Trung Bộ."
            ),
        ),
        Column("measure", gettext_lazy("Đơn vị tính"), width=12, informative=True),
        Column(
            "confirmed",
            gettext_lazy("Đã xác minh ngưỡng"),
            width=10,
            kind=Kind.YES_NO,
        ),
        Column("source", gettext_lazy("Căn cứ"), width=40),
        Column("note", gettext_lazy("Ghi chú"), width=40),
    ],
    freeze="C2",
)


class CriteriaSheetRefused(ImportRefused):
    pass


def criteria_set_workbook(criteria_set):
    """The set's criteria and requirements, one row per requirement variant."""
    rows = []
    criteria = criteria_set.criteria.prefetch_related("requirements__indicator")
    for criterion in criteria.order_by("order"):
        for req in criterion.requirements.all():
            rows.append(
                [
                    criterion.number,
                    criterion.name,
                    req.code,
                    req.name,
                    req.indicator.code,
                    req.get_comparison_display(),
                    req.threshold,
                    req.variant,
                    req.indicator.get_measure_display(),
                    req.confirmed,
                    req.source,
                    req.note,
                ]
            )
    return build_workbook(
        (SHEET, rows),
        notes=[
            (_("Bộ tiêu chí"), criteria_set.name),
            (_("Mã"), criteria_set.code),
            (_("Phiên bản"), criteria_set.version),
            (_("Căn cứ"), criteria_set.decision),
        ],
    )


def read_criteria_sheet(file):
    """The sheet's criteria, shaped as a criteria file's ``criteria``; every bad
    row named at once (CriteriaSheetRefused), nothing kept."""
    rows = CriteriaSheetRefused.rows_of(file, SHEET)
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(
            code__in=[str(r.cell("indicator") or "") for r in rows]
        )
    }
    names, criteria = {}, {}
    for row in rows:
        number = row.code("criterion", 20, required=True)
        criterion_name = row.text("criterion_name", 300, required=True)
        code = row.code("code", 20, required=True)
        name = row.text("name", 500, required=True)
        indicator_code = row.code("indicator", 60, required=True)
        comparison = row.choice("comparison", required=True)
        threshold = row.decimal(
            "threshold", Decimal("-1e12"), Decimal("1e12"), places=4
        )
        variant = row.code("variant", 40) or ""
        confirmed = row.yes_no("confirmed")
        source = row.text("source", 2000) or ""
        note = row.text("note", 4000) or ""
        indicator = indicators.get(indicator_code)
        if indicator_code and indicator is None:
            row.error(
                _("Chỉ số %(code)s chưa có trong hệ thống.") % {"code": indicator_code}
            )
        if (
            comparison
            and comparison != Requirement.Comparison.TRUE
            and threshold is None
        ):
            row.error(_("Phép so sánh số phải có ngưỡng."))
        if number and criterion_name:
            first = names.setdefault(number, (criterion_name, row.number))
            if first[0] != criterion_name:
                row.error(
                    _("Tiêu chí %(number)s đã mang tên khác ở dòng %(row)s.")
                    % {"number": number, "row": first[1]}
                )
        row.requirement = {
            "code": code,
            "name": name,
            "indicator": indicator_code,
            "comparison": comparison,
            "threshold": None if threshold is None else f"{threshold.normalize():f}",
            "variant": variant,
            "confirmed": bool(confirmed),
            "source": source,
            "note": note,
        }
        row.number_of = number
    flag_repeats(
        rows, _requirement_label, _("Chỉ tiêu %(value)s đã có ở dòng %(row)s.")
    )
    refuse_bad_rows(rows, CriteriaSheetRefused)
    for row in rows:
        criteria.setdefault(
            row.number_of,
            {
                "number": row.number_of,
                "name": names[row.number_of][0],
                "requirements": [],
            },
        )["requirements"].append(row.requirement)
    return list(criteria.values())


def _requirement_label(row):
    """ "8.4" or "8.4 (region:DHNTB)": one requirement of one region."""
    code, variant = row.requirement["code"], row.requirement["variant"]
    if not code:
        return None
    return f"{code} ({variant})" if variant else code


@dataclass(frozen=True)
class Difference:
    """One change from the version in force to the imported sheet."""

    kind: str  # "added", "removed", "changed"
    criterion: str
    code: str  # the requirement's code, "" for a whole criterion
    variant: str
    what: str  # the field changed, in words
    before: str
    after: str


FIELDS = {
    "name": gettext_lazy("Nội dung"),
    "indicator": gettext_lazy("Chỉ số"),
    "comparison": gettext_lazy("So sánh"),
    "threshold": gettext_lazy("Ngưỡng"),
    "confirmed": gettext_lazy("Đã xác minh"),
    "source": gettext_lazy("Căn cứ"),
    "note": gettext_lazy("Ghi chú"),
}


def set_differences(criteria_set, criteria):
    """[Difference] between ``criteria_set`` and the sheet's ``criteria``."""
    before = {}
    names = {}
    for criterion in criteria_set.criteria.prefetch_related("requirements__indicator"):
        names[criterion.number] = criterion.name
        for req in criterion.requirements.all():
            before[(req.code, req.variant)] = (criterion.number, _as_sheet(req))
    after = {}
    for criterion in criteria:
        for req in criterion["requirements"]:
            after[(req["code"], req["variant"])] = (criterion["number"], req)
    found = []
    new_names = {c["number"]: c["name"] for c in criteria}
    for number in sorted(set(names) | set(new_names), key=_natural):
        if number not in new_names:
            found.append(
                Difference("removed", number, "", "", _("Tiêu chí"), names[number], "")
            )
        elif number not in names:
            found.append(
                Difference(
                    "added", number, "", "", _("Tiêu chí"), "", new_names[number]
                )
            )
        elif names[number] != new_names[number]:
            found.append(
                Difference(
                    "changed",
                    number,
                    "",
                    "",
                    _("Tên tiêu chí"),
                    names[number],
                    new_names[number],
                )
            )
    for key in sorted(set(before) | set(after), key=lambda k: (_natural(k[0]), k[1])):
        code, variant = key
        if key not in after:
            number, old = before[key]
            found.append(
                Difference(
                    "removed", number, code, variant, _("Chỉ tiêu"), old["name"], ""
                )
            )
            continue
        if key not in before:
            number, new = after[key]
            found.append(
                Difference(
                    "added", number, code, variant, _("Chỉ tiêu"), "", new["name"]
                )
            )
            continue
        number, old = before[key]
        new = after[key][1]
        for field, label in FIELDS.items():
            if _shown(field, old[field]) != _shown(field, new[field]):
                found.append(
                    Difference(
                        "changed",
                        number,
                        code,
                        variant,
                        str(label),
                        _shown(field, old[field]),
                        _shown(field, new[field]),
                    )
                )
    return found


def _as_sheet(req):
    return {
        "name": req.name,
        "indicator": req.indicator.code,
        "comparison": req.comparison,
        "threshold": None
        if req.threshold is None
        else f"{req.threshold.normalize():f}",
        "confirmed": req.confirmed,
        "source": req.source,
        "note": req.note,
    }


def _shown(field, value):
    if field == "comparison":
        return str(Requirement.Comparison(value).label)
    if field == "threshold":
        return "" if value is None else format_number(Decimal(value))
    if field == "confirmed":
        return _("Có") if value else _("Chưa")
    return value or ""


def _natural(number):
    """ "10" after "9": criterion numbers and codes in reading order."""
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in str(number).split(".")
    ]
