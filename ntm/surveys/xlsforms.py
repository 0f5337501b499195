"""XLSForm workbooks (the ODK/Kobo standard) read with pyxform into our models.

Supported: select_one, select_multiple, integer, decimal and text questions,
``required``, and the simple skip rule ``${question} = 'choice'``. Groups are
flattened (their questions are kept); metadata fields (start, end, today,
deviceid…) and notes are left out silently. Anything else (repeats, photos,
GPS, external choices, calculations, other conditions) is refused with the
list of offending rows, or, when the official asks, skipped with a report.
"""

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from ntm.core.audit import log_action
from ntm.core.spreadsheets import SpreadsheetError, check_readable

from .models import Choice, Question
from .services import SurveyError

MAX_BYTES = 2 * 1024 * 1024
KINDS = {
    "select one": Question.Kind.SINGLE,
    "select all that apply": Question.Kind.MULTIPLE,
    "text": Question.Kind.TEXT,
    "integer": Question.Kind.TEXT,
    "decimal": Question.Kind.TEXT,
}
METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "imei",
    "phonenumber",
    "simserial",
    "subscriberid",
    "username",
    "email",
    "audit",
    "note",
}
VIETNAMESE = {"vietnamese", "tieng viet", "tiếng việt", "vi", "vietnamese (vi)"}
SIMPLE_CONDITION = re.compile(r"^\s*\$\{(\w[\w.\-]*)\}\s*=\s*'([^']*)'\s*$")


class XlsformError(SurveyError):
    pass


@dataclass
class ImportReport:
    imported: int = 0
    language: str = ""
    skipped: list = field(default_factory=list)  # [(name, type or rule, reason)]
    warnings: list = field(default_factory=list)


def read_xlsform(upload):
    """The pyxform JSON of an uploaded workbook, or XlsformError."""
    from pyxform.xls2json import parse_file_to_json

    if upload.size > MAX_BYTES:
        raise XlsformError(_("Tệp quá lớn (tối đa 2 MB)."))
    # pyxform reads the whole workbook: its sizes and parts are checked
    # first, so that a broken file gets the same answer as on every import.
    try:
        check_readable(upload)
    except SpreadsheetError as error:
        raise XlsformError(str(error)) from None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bieu_mau.xlsx"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            return parse_file_to_json(str(path))
        except Exception as error:  # pyxform raises many kinds on bad sheets
            raise XlsformError(
                _("Không đọc được biểu mẫu XLSForm: %(error)s") % {"error": error}
            ) from error


def _language(form):
    """The label language to use: Vietnamese if present, else the default."""
    languages = []

    def collect(node):
        label = node.get("label")
        if isinstance(label, dict):
            languages.extend(k for k in label if k not in languages)
        for child in node.get("children", []):
            collect(child)

    collect(form)
    for name in languages:
        if name.strip().lower() in VIETNAMESE:
            return name
    default = form.get("default_language")
    if default in languages:
        return default
    return "default" if "default" in languages else (languages[0] if languages else "")


def _label(node, language):
    label = node.get("label", "")
    if isinstance(label, dict):
        label = label.get(language) or next(iter(label.values()), "")
    return " ".join(str(label or node.get("name", "")).split())


def _flatten(node, skipped):
    """Questions in order, groups opened, repeats refused."""
    for child in node.get("children", []):
        kind = child.get("type", "")
        if kind == "group" and child.get("name") == "meta":
            continue  # instanceID and the like, which pyxform adds itself
        if kind == "group":
            yield from _flatten(child, skipped)
        elif kind in METADATA:
            continue
        elif kind in KINDS:
            yield child
        else:
            skipped.append(
                (child.get("name", ""), kind, _("loại câu hỏi không hỗ trợ"))
            )


def plan_import(form):
    """(question rows, report) without touching the database."""
    report = ImportReport(language=_language(form))
    rows, names = [], {}
    for node in _flatten(form, report.skipped):
        kind = KINDS[node["type"]]
        if node.get("choice_filter") or node.get("itemset", "").endswith(".csv"):
            report.skipped.append(
                (node["name"], node["type"], _("lựa chọn lọc theo câu khác"))
            )
            continue
        choices = [
            (str(c.get("name", "")), _label(c, report.language))
            for c in node.get("choices", [])
        ]
        if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and not choices:
            report.skipped.append(
                (node["name"], node["type"], _("không có danh sách lựa chọn"))
            )
            continue
        bind = node.get("bind", {})
        condition = (bind.get("relevant") or "").strip()
        relevant = None
        if condition:
            match = SIMPLE_CONDITION.match(condition)
            parent = names.get(match.group(1)) if match else None
            if parent is None or match.group(2) not in {
                v for v, _l in parent["choices"]
            }:
                report.skipped.append(
                    (node["name"], condition, _("điều kiện hiển thị không hỗ trợ"))
                )
                continue
            relevant = (match.group(1), match.group(2))
        row = {
            "name": node["name"],
            "kind": kind,
            "text": _label(node, report.language)[:500],
            "required": str(bind.get("required", "")).strip().lower()
            in {"yes", "true", "true()"},
            "choices": choices,
            "relevant": relevant,
        }
        names[node["name"]] = row
        rows.append(row)
    return rows, report


@transaction.atomic
def import_xlsform(upload, *, survey, by, skip_unsupported=False):
    """Append the workbook's questions to a draft survey; returns the report.

    Without ``skip_unsupported`` a workbook with anything unsupported is
    refused whole, naming every offending row; with it, the supported
    questions are imported and the rest listed in the report.
    """
    if not survey.is_editable:
        raise XlsformError(_("Chỉ nhập biểu mẫu vào khảo sát còn ở trạng thái nháp."))
    rows, report = plan_import(read_xlsform(upload))
    if report.skipped and not skip_unsupported:
        listed = "; ".join(
            f"{name} ({what}): {why}" for name, what, why in report.skipped
        )
        raise XlsformError(
            _("Biểu mẫu có nội dung chưa hỗ trợ: %(rows)s.") % {"rows": listed}
        )
    if not rows:
        raise XlsformError(_("Biểu mẫu không có câu hỏi nào nhập được."))
    last = survey.questions.order_by("-order").values_list("order", flat=True).first()
    created = {}
    for order, row in enumerate(rows, start=(last or 0) + 1):
        question = Question.objects.create(
            survey=survey,
            order=order,
            kind=row["kind"],
            text=row["text"],
            required=row["required"],
            xlsform_name=row["name"][:100],
        )
        choices = {}
        for position, (value, label) in enumerate(row["choices"], start=1):
            choices[value] = Choice.objects.create(
                question=question, order=position, value=value[:100], label=label[:300]
            )
        if row["relevant"]:
            parent = created[row["relevant"][0]]
            question.relevant_question = parent["question"]
            question.relevant_choice = parent["choices"][row["relevant"][1]]
            question.save(update_fields=["relevant_question", "relevant_choice"])
        created[row["name"]] = {"question": question, "choices": choices}
    report.imported = len(rows)
    log_action(
        survey,
        "surveys.xlsform.imported",
        by=by,
        data={
            "questions": report.imported,
            "skipped": [name for name, _w, _r in report.skipped],
        },
    )
    return report
