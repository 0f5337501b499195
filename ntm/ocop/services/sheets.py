"""Scoring sheets as versioned files: ``ocop/scoring/*.json``, one per group.

A sheet has parts (A, B, C of QĐ 148/2023) with their totals, and criteria
with their maximum points; every part and criterion says whether its figure
is confirmed. The whole file is checked before anything is written: parts
must add up to 100 and each part's criteria to the part's total. Like the
criteria sets, a file already loaded is left alone; a changed file with the
same version replaces the sheet only when forced and only while no product
has been evaluated on it (scores keep the sheet they were given on: raise
the version instead).
"""

import hashlib
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from ntm.core.audit import log_action

from ..models import ProductGroup, ScoringCriterion, ScoringPart, ScoringSheet

SCORING_DIR = Path(__file__).resolve().parent.parent / "scoring"
TOTAL = Decimal(100)
MAX_FILE_BYTES = 512 * 1024


class ScoringFileError(Exception):
    """A scoring file that cannot be loaded; the message says where and why."""


def scoring_files(directory=SCORING_DIR):
    return sorted(Path(directory).glob("*.json"))


def current_sheet(group):
    """The sheet new evaluations of ``group`` are scored on: its latest version."""
    return (
        ScoringSheet.objects.filter(group=group)
        .order_by("-version", "-created_at", "-pk")
        .first()
    )


@transaction.atomic
def load_scoring_file(source, *, by=None, force=False, name=None):
    """Load one scoring file (a path, or bytes with ``name``).

    Returns (sheet, "created" | "updated" | None). Raises ScoringFileError
    naming the file and the fault; nothing is saved then.
    """
    if isinstance(source, bytes | bytearray):
        raw, where = bytes(source), name or "tệp tải lên"
    else:
        raw, where = Path(source).read_bytes(), Path(source).name
    if len(raw) > MAX_FILE_BYTES:
        raise ScoringFileError(_("%(file)s: tệp quá lớn.") % {"file": where})
    digest = hashlib.sha256(raw).hexdigest()
    data = _parse(raw, where)
    existing = ScoringSheet.objects.filter(
        code=data["code"], version=data["version"]
    ).first()
    if existing and (existing.file_digest == digest or not force):
        return existing, None
    if existing and existing.evaluations.exists():
        raise ScoringFileError(
            _(
                "%(file)s: phiếu %(code)s phiên bản %(version)s đã dùng để chấm "
                "điểm; hãy tăng số phiên bản thay vì nạp đè."
            )
            % {"file": where, "code": data["code"], "version": data["version"]}
        )
    fields = {
        "group": data["group"],
        "name": data["name"],
        "decision": data.get("decision", ""),
        "source": data.get("source", ""),
        "notes": data.get("notes", ""),
        "file_name": where[:120],
        "file_digest": digest,
    }
    if existing:
        existing.parts.all().delete()
        for field, value in fields.items():
            setattr(existing, field, value)
        existing.save()
        sheet, action = existing, "updated"
    else:
        sheet = ScoringSheet.objects.create(
            code=data["code"], version=data["version"], **fields
        )
        action = "created"
    for order, part_data in enumerate(data["parts"], start=1):
        part = ScoringPart.objects.create(
            sheet=sheet,
            code=part_data["code"],
            name=part_data["name"],
            max_points=part_data["max_points"],
            confirmed=part_data["confirmed"],
            order=order,
        )
        ScoringCriterion.objects.bulk_create(
            ScoringCriterion(
                part=part,
                number=item["number"],
                name=item["name"],
                max_points=item["max_points"],
                confirmed=item["confirmed"],
                note=item.get("note", ""),
                order=position,
            )
            for position, item in enumerate(part_data["criteria"], start=1)
        )
    note = {"note": f"{where} ({digest[:12]})"}
    if action == "created":
        log_action(sheet, "ocop.sheet.created", by=by, data=note)
    else:
        log_action(sheet, "ocop.sheet.updated", by=by, data=note)
    return sheet, action


@transaction.atomic
def load_all_scoring_sheets(*, by=None, force=False, directory=SCORING_DIR):
    """Load every shipped scoring file in name order, all or none."""
    return [
        load_scoring_file(path, by=by, force=force) for path in scoring_files(directory)
    ]


def _parse(raw, where):
    """The file's content, checked and with Decimal points; or ScoringFileError."""

    def fail(message, **values):
        raise ScoringFileError(f"{where}: {message % values}")

    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        fail(_("không đọc được JSON (%(error)s)"), error=error)
    if not isinstance(data, dict):
        fail(_("nội dung phải là một đối tượng JSON"))
    for key in ("code", "name", "group", "parts"):
        if not data.get(key):
            fail(_("thiếu “%(key)s”"), key=key)
    if data["group"] not in ProductGroup.values:
        fail(_("nhóm sản phẩm “%(group)s” không có trong QĐ 148"), group=data["group"])
    version = data.get("version", 1)
    if not isinstance(version, int) or version < 1:
        fail(_("phiên bản phải là số nguyên dương"))
    data["version"] = version
    numbers, total = set(), Decimal(0)
    for part in data["parts"]:
        if not isinstance(part, dict) or not part.get("code") or not part.get("name"):
            fail(_("mỗi phần cần “code” và “name”"))
        part["max_points"] = _points(part.get("max_points"), where, part["code"])
        part["confirmed"] = bool(part.get("confirmed", False))
        criteria = part.get("criteria") or []
        if not criteria:
            fail(_("phần %(part)s không có tiêu chí nào"), part=part["code"])
        subtotal = Decimal(0)
        for item in criteria:
            number = str(item.get("number", "")).strip()
            if not number or not item.get("name"):
                fail(_("mỗi tiêu chí của phần %(part)s cần “number” và “name”"),
                     part=part["code"])  # fmt: skip
            if number in numbers:
                fail(_("tiêu chí %(number)s lặp lại"), number=number)
            numbers.add(number)
            item["number"] = number
            item["max_points"] = _points(item.get("max_points"), where, number)
            item["confirmed"] = bool(item.get("confirmed", False))
            subtotal += item["max_points"]
        if subtotal != part["max_points"]:
            fail(
                _("các tiêu chí của phần %(part)s cộng lại %(sum)s điểm, khác %(max)s"),
                part=part["code"],
                sum=subtotal,
                max=part["max_points"],
            )
        total += part["max_points"]
    if total != TOTAL:
        fail(_("các phần cộng lại %(sum)s điểm, không phải 100"), sum=total)
    return data


def _points(value, where, label):
    try:
        points = Decimal(str(value))
    except InvalidOperation:
        points = None
    if points is None or not points.is_finite() or points <= 0 or points > TOTAL:
        raise ScoringFileError(
            _("%(file)s: điểm tối đa của %(label)s không hợp lệ (%(value)s)")
            % {"file": where, "label": label, "value": value}
        )
    return points
