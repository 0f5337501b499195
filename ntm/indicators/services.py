"""Writes of the engine: entered values and their review, criteria sets, snapshots."""

import hashlib
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.core.audit import diff, log_action, log_actions, snapshot
from ntm.core.states import lock
from ntm.units.models import Unit

from . import providers
from .models import (
    ComputedSnapshot,
    CriteriaSet,
    Criterion,
    Evidence,
    Indicator,
    IndicatorValue,
    Requirement,
    UnitClassification,
)

Status = IndicatorValue.Status
CRITERIA_DIR = Path(__file__).parent / "criteria"
LEVELS = {
    "province": Unit.Level.PROVINCE,
    "district": Unit.Level.DISTRICT,
    "commune": Unit.Level.COMMUNE,
    "village": Unit.Level.VILLAGE,
}
EVIDENCE_TYPES = {".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".doc", ".xls"}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


class WorkflowError(Exception):
    """The request is valid input, but the value's current state does not allow it."""


class CriteriaFileError(Exception):
    """A criteria file that cannot be loaded; the message says where and why."""


# -- entered values -----------------------------------------------------------


@transaction.atomic
def save_value(*, indicator, unit, period, value, note="", by):
    """Create or change a draft (or returned) value.

    Submitted and approved values are locked: they change only after being
    returned. The indicator must be entered, not computed, and match the unit's
    level.
    """
    if indicator.source != Indicator.Source.ENTERED:
        raise WorkflowError(_("Chỉ tiêu này được tính từ dữ liệu, không nhập tay."))
    if indicator.level != unit.level:
        raise WorkflowError(_("Chỉ tiêu này không áp dụng cho cấp đơn vị này."))
    if not unit.is_valid_on(period.reference_day) and not unit.is_valid_on(
        period.start
    ):
        raise WorkflowError(_("Đơn vị không tồn tại trong kỳ này."))
    entry = (
        IndicatorValue.objects.select_for_update()
        .filter(indicator=indicator, unit=unit, period=period)
        .first()
    )
    if entry is not None and entry.is_locked:
        raise _locked(entry)
    value = _check_value(indicator, value)
    if entry is None:
        entry = IndicatorValue.objects.create(
            indicator=indicator,
            unit=unit,
            period=period,
            value=value,
            note=note,
            entered_by=by,
        )
        log_action(entry, "indicators.value.created", by=by, data={"value": str(value)})
        return entry
    before = snapshot(entry, ["value", "note"])
    entry.value, entry.note = value, note
    entry.save(update_fields=["value", "note", "updated_at"])
    changes = diff(entry, before, snapshot(entry, ["value", "note"]))
    if changes:
        log_action(entry, "indicators.value.changed", by=by, data={"changes": changes})
    return entry


@transaction.atomic
def submit_value(entry, *, by):
    """Send a draft or returned value for review."""
    lock(entry)
    status = Status.check(entry.status, "submit", WorkflowError, _lock_message(entry))
    if entry.value is None:
        raise WorkflowError(_("Chưa có giá trị để gửi duyệt."))
    entry.status = status
    entry.submitted_by, entry.submitted_at = by, timezone.now()
    entry.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    log_action(entry, "indicators.value.submitted", by=by)
    return entry


@transaction.atomic
def approve_value(entry, *, by):
    """Approve a submitted value; a second person must do it.

    The row is locked and its state read again first: of two approvals at
    once, or an approval racing a return, only the first applies.
    """
    lock(entry)
    status = Status.check(
        entry.status,
        "approve",
        WorkflowError,
        _("Chỉ duyệt được giá trị đang chờ duyệt."),
    )
    if entry.submitted_by_id == by.pk:
        raise WorkflowError(_("Người gửi duyệt không được tự duyệt giá trị của mình."))
    _review(entry, status, by=by, note="")
    log_action(entry, "indicators.value.approved", by=by)
    return entry


@transaction.atomic
def return_value(entry, *, by, reason):
    """Send a submitted or approved value back for correction, saying why."""
    lock(entry)
    status = Status.check(
        entry.status,
        "send_back",
        WorkflowError,
        _("Chỉ trả lại được giá trị đang chờ duyệt hoặc đã duyệt."),
    )
    if not reason or not reason.strip():
        raise WorkflowError(_("Cần ghi lý do trả lại."))
    _review(entry, status, by=by, note=reason.strip())
    log_action(
        entry, "indicators.value.returned", by=by, data={"note": entry.review_note}
    )
    return entry


def _review(entry, status, *, by, note):
    entry.status = status
    entry.reviewed_by, entry.reviewed_at = by, timezone.now()
    entry.review_note = note
    entry.save(
        update_fields=[
            "status",
            "reviewed_by",
            "reviewed_at",
            "review_note",
            "updated_at",
        ]
    )


@transaction.atomic
def add_evidence(entry, *, upload, by):
    """Attach a file (PDF, image, Word, Excel; at most 10 MB) to an unlocked value."""
    lock(entry)
    if entry.is_locked:
        raise _locked(entry)
    suffix = Path(upload.name).suffix.lower()
    if suffix not in EVIDENCE_TYPES:
        raise WorkflowError(_("Chỉ nhận tệp PDF, ảnh, Word hoặc Excel."))
    if upload.size > EVIDENCE_MAX_BYTES:
        raise WorkflowError(_("Tệp quá lớn (tối đa 10 MB)."))
    evidence = Evidence.objects.create(
        value=entry, file=upload, name=Path(upload.name).name[:255], uploaded_by=by
    )
    log_action(
        entry, "indicators.evidence.created", by=by, data={"note": evidence.name}
    )
    return evidence


def lock_reason(entry):
    """Why an entered value cannot be changed now, or "" when it can."""
    if entry.status == Status.APPROVED:
        return _(
            "Đã được %(who)s duyệt ngày %(day)s nên bị khóa; cần người duyệt "
            "trả lại để sửa."
        ) % {"who": entry.reviewed_by, "day": _day(entry.reviewed_at)}
    if entry.status == Status.SUBMITTED:
        return _(
            "%(who)s đã gửi duyệt ngày %(day)s; giá trị bị khóa cho đến khi "
            "được duyệt hoặc trả lại."
        ) % {"who": entry.submitted_by, "day": _day(entry.submitted_at)}
    return ""


def _locked(entry):
    return WorkflowError(_lock_message(entry))


def _lock_message(entry):
    return lock_reason(entry) or _(
        "Giá trị đang ở trạng thái không cho phép thao tác này."
    )


def _day(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y") if moment else "—"


def _check_value(indicator, value):
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation as error:
        raise WorkflowError(_("Giá trị phải là số.")) from error
    if not number.is_finite():
        raise WorkflowError(_("Giá trị phải là số."))
    if indicator.measure == Indicator.Measure.BOOLEAN and number not in (0, 1):
        raise WorkflowError(_("Chỉ tiêu có/không nhận 1 (có) hoặc 0 (không)."))
    if indicator.measure == Indicator.Measure.PERCENT and not 0 <= number <= 100:
        raise WorkflowError(_("Tỷ lệ phải từ 0 đến 100."))
    if number < 0:
        raise WorkflowError(_("Giá trị không được âm."))
    return number


# -- criteria sets ------------------------------------------------------------

REQUIREMENT_FIELDS = ["name", "comparison", "threshold", "confirmed", "source", "note"]


@transaction.atomic
def update_requirement(requirement, *, by, **fields):
    """Change a requirement's threshold, comparison, confirmation or notes."""
    unknown = set(fields) - set(REQUIREMENT_FIELDS)
    if unknown:
        raise WorkflowError(_("Không sửa được: %s") % ", ".join(sorted(unknown)))
    before = snapshot(requirement, REQUIREMENT_FIELDS)
    for name, value in fields.items():
        setattr(requirement, name, value)
    if (
        requirement.comparison != Requirement.Comparison.TRUE
        and requirement.threshold is None
    ):
        raise WorkflowError(_("Phép so sánh này cần có ngưỡng."))
    requirement.save(update_fields=[*fields, "updated_at"])
    changes = diff(requirement, before, snapshot(requirement, REQUIREMENT_FIELDS))
    if changes:
        log_action(
            requirement,
            "indicators.requirement.changed",
            by=by,
            data={"changes": changes},
        )
    return requirement


def criteria_files(directory=CRITERIA_DIR):
    return sorted(Path(directory).glob("*.json"))


def criteria_file_digest(path):
    """The SHA-256 of a criteria file, as stored on the set loaded from it."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@transaction.atomic
def load_criteria_file(path, *, by=None, force=False):
    """Load one versioned criteria file; returns (set, created or updated or None).

    A set already loaded from the same file content is left alone; a changed file
    with the same version replaces the set only with ``force`` (admins may have
    edited thresholds on screen since). The whole file is checked before anything
    is written; a file that cannot be loaded raises CriteriaFileError naming the
    file and saves nothing.
    """
    where = Path(path).name
    raw = Path(path).read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    data = _parse_criteria_file(raw, where)
    version = data.get("version", 1)
    existing = CriteriaSet.objects.filter(code=data["code"], version=version).first()
    if existing and (existing.file_digest == digest or not force):
        return existing, None
    indicators = _load_indicators(data.get("indicators", []), where)
    fields = {
        "name": data["name"],
        "level": _level(data["level"], where),
        "decision": data.get("decision", ""),
        "source": data.get("source", ""),
        "notes": data.get("notes", ""),
        "first_year": data.get("first_year"),
        "last_year": data.get("last_year"),
        "file_digest": digest,
    }
    if existing:
        existing.criteria.all().delete()
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.save()
        criteria_set, action = existing, "updated"
    else:
        criteria_set = CriteriaSet.objects.create(
            code=data["code"], version=version, **fields
        )
        action = "created"
    for order, item in enumerate(data["criteria"], start=1):
        criterion = Criterion.objects.create(
            criteria_set=criteria_set,
            number=str(item["number"]),
            name=item["name"],
            order=order,
        )
        for position, req in enumerate(item.get("requirements", []), start=1):
            code = req["indicator"]
            indicator = (
                indicators.get(code) or Indicator.objects.filter(code=code).first()
            )
            if indicator is None:
                raise CriteriaFileError(f"{where}: chỉ tiêu {code} chưa được khai báo")
            threshold = req.get("threshold")
            Requirement.objects.create(
                criterion=criterion,
                code=str(req["code"]),
                name=req.get("name", indicator.name),
                indicator=indicator,
                comparison=req.get("comparison", Requirement.Comparison.TRUE),
                threshold=None if threshold is None else Decimal(str(threshold)),
                variant=req.get("variant", ""),
                confirmed=req.get("confirmed", False),
                source=req.get("source", ""),
                note=req.get("note", ""),
                order=position,
            )
    log_action(
        criteria_set,
        "indicators.criteriaset.created"
        if action == "created"
        else "indicators.criteriaset.updated",
        by=by,
        data={"note": f"{where} ({digest[:12]})"},
    )
    return criteria_set, action


@transaction.atomic
def load_all_criteria(*, by=None, force=False, directory=CRITERIA_DIR):
    """Load every criteria file in file-name order, all or none.

    A roll-up indicator needs its set loaded first, so files are named to sort
    dependencies first (10_…, 20_…).
    """
    return [
        load_criteria_file(path, by=by, force=force)
        for path in criteria_files(directory)
    ]


SET_KEYS = {"code", "name", "level", "criteria"}
INDICATOR_KEYS = {"code", "name", "measure", "level", "source"}
CRITERION_KEYS = {"number", "name"}
REQUIREMENT_KEYS = {"code", "indicator"}


def _parse_criteria_file(raw, where):
    """The file's data, after checking everything that needs no database."""

    def fail(message):
        raise CriteriaFileError(f"{where}: {message}")

    try:
        data = json.loads(raw)
    except ValueError as error:  # JSONDecodeError, or bytes that are not UTF-8
        raise CriteriaFileError(f"{where}: JSON không hợp lệ ({error})") from error
    if not isinstance(data, dict):
        fail("tệp phải là một đối tượng JSON")
    _require_keys(data, SET_KEYS, "bộ tiêu chí", where)
    version = data.get("version", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        fail(f"phiên bản không hợp lệ: {version!r}")
    _level(data["level"], where)
    first, last = data.get("first_year"), data.get("last_year")
    if first is not None and last is not None and first > last:
        fail(f"năm bắt đầu {first} sau năm kết thúc {last}")
    declared = set()
    for item in data.get("indicators", []):
        _check_indicator(item, where)
        if item["code"] in declared:
            fail(f"chỉ tiêu {item['code']} được khai báo hai lần")
        declared.add(item["code"])
    if not isinstance(data["criteria"], list) or not data["criteria"]:
        fail("bộ tiêu chí không có tiêu chí nào")
    numbers, codes = set(), set()
    for item in data["criteria"]:
        _require_keys(item, CRITERION_KEYS, "tiêu chí", where)
        number = str(item["number"])
        if number in numbers:
            fail(f"tiêu chí số {number} xuất hiện hai lần")
        numbers.add(number)
        for req in item.get("requirements", []):
            _check_requirement(req, where)
            # Results are looked up by code across the whole set (roll-ups,
            # scorecards), so a code may repeat only as another variant.
            key = (str(req["code"]), req.get("variant", ""))
            if key in codes:
                label = " ".join(part for part in key if part)
                fail(f"yêu cầu {label} xuất hiện hai lần")
            codes.add(key)
    return data


def _check_indicator(item, where):
    _require_keys(item, INDICATOR_KEYS, "chỉ tiêu", where)
    code = item["code"]
    if len(code) > Indicator._meta.get_field("code").max_length:
        raise CriteriaFileError(f"{where}: mã chỉ tiêu {code} quá dài")
    _level(item["level"], where)
    for key, choices in (
        ("measure", Indicator.Measure),
        ("source", Indicator.Source),
        ("aggregation", Indicator.Aggregation),
    ):
        if key in item and item[key] not in choices.values:
            raise CriteriaFileError(
                f"{where}: chỉ tiêu {code}: giá trị {key} không hợp lệ: {item[key]}"
            )
    if item["source"] == Indicator.Source.ROLLUP:
        if not item.get("rollup_set") or not item.get("rollup_level"):
            raise CriteriaFileError(
                f"{where}: chỉ tiêu tổng hợp {code} cần rollup_set và rollup_level"
            )
        if item["measure"] not in (Indicator.Measure.COUNT, Indicator.Measure.PERCENT):
            raise CriteriaFileError(
                f"{where}: chỉ tiêu tổng hợp {code} phải đếm (count) hoặc tính "
                f"tỷ lệ (percent)"
            )
        _level(item["rollup_level"], where)
        kinds = item.get("rollup_kinds", [])
        if not isinstance(kinds, list) or set(kinds) - set(Unit.Kind.values):
            raise CriteriaFileError(
                f"{where}: chỉ tiêu tổng hợp {code}: rollup_kinds không hợp lệ: {kinds}"
            )


def _check_requirement(req, where):
    _require_keys(req, REQUIREMENT_KEYS, "yêu cầu", where)
    code = req["code"]
    if len(str(code)) > Requirement._meta.get_field("code").max_length:
        raise CriteriaFileError(f"{where}: mã yêu cầu {code} quá dài")
    comparison = req.get("comparison", Requirement.Comparison.TRUE)
    if comparison not in Requirement.Comparison.values:
        raise CriteriaFileError(
            f"{where}: yêu cầu {code}: phép so sánh không hợp lệ: {comparison}"
        )
    threshold = req.get("threshold")
    if threshold is not None:
        try:
            number = Decimal(str(threshold))
        except InvalidOperation:
            number = None
        if isinstance(threshold, bool) or number is None or not number.is_finite():
            raise CriteriaFileError(
                f"{where}: yêu cầu {code}: ngưỡng không phải là số: {threshold!r}"
            )
    elif comparison != Requirement.Comparison.TRUE:
        raise CriteriaFileError(f"{where}: yêu cầu {code} thiếu ngưỡng")
    if not isinstance(req.get("confirmed", False), bool):
        raise CriteriaFileError(
            f"{where}: yêu cầu {code}: confirmed phải là true hoặc false"
        )
    variant = req.get("variant", "")
    scheme, _sep, value = variant.partition(":")
    if variant and not (scheme and value):
        raise CriteriaFileError(
            f"{where}: yêu cầu {code}: biến thể phải có dạng "
            f"'region:DHNTB' hoặc 'group:2', không phải {variant!r}"
        )


def _require_keys(item, keys, what, where):
    if not isinstance(item, dict):
        raise CriteriaFileError(f"{where}: {what} phải là một đối tượng JSON")
    missing = sorted(keys - set(item))
    if missing:
        label = item.get("code") or item.get("number") or ""
        raise CriteriaFileError(
            f"{where}: {what} {label} thiếu {', '.join(missing)}".replace("  ", " ")
        )


def _load_indicators(items, where):
    loaded = {}
    for item in items:
        rollup_set = None
        if item.get("rollup_set"):
            rollup_set = (
                CriteriaSet.objects.filter(code=item["rollup_set"])
                .order_by("-version")
                .first()
            )
            if rollup_set is None:
                raise CriteriaFileError(
                    f"{where}: bộ tiêu chí {item['rollup_set']} phải được nạp trước"
                )
            _check_rollup_target(item, rollup_set, where)
        defaults = {
            "name": item["name"],
            "description": item.get("description", ""),
            "measure": item["measure"],
            "level": _level(item["level"], where),
            "source": item["source"],
            "aggregation": item.get("aggregation", Indicator.Aggregation.NONE),
            "rollup_set": rollup_set,
            "rollup_criterion": item.get("rollup_criterion", ""),
            "rollup_requirement": item.get("rollup_requirement", ""),
            "rollup_kinds": ",".join(item.get("rollup_kinds", [])),
            "rollup_level": _level(item["rollup_level"], where)
            if item.get("rollup_level")
            else None,
        }
        indicator, _created = Indicator.objects.update_or_create(
            code=item["code"], defaults=defaults
        )
        loaded[indicator.code] = indicator
    return loaded


def _check_rollup_target(item, rollup_set, where):
    """A roll-up naming a criterion or requirement the set lacks would count
    every child unit as 'no data' forever; refuse it at load time."""
    criterion = item.get("rollup_criterion")
    if criterion and not rollup_set.criteria.filter(number=criterion).exists():
        raise CriteriaFileError(
            f"{where}: bộ {rollup_set.code} không có tiêu chí số {criterion}"
        )
    requirement = item.get("rollup_requirement")
    if (
        requirement
        and not Requirement.objects.filter(
            criterion__criteria_set=rollup_set, code=requirement
        ).exists()
    ):
        raise CriteriaFileError(
            f"{where}: bộ {rollup_set.code} không có yêu cầu {requirement}"
        )


def _level(name, where):
    try:
        return LEVELS[name]
    except (KeyError, TypeError) as error:
        raise CriteriaFileError(f"{where}: cấp không hợp lệ: {name}") from error


# -- unit classifications -----------------------------------------------------


@transaction.atomic
def classify_units(scheme, value, units, *, by, replace=False):
    """Put units in class ``value`` of ``scheme``; returns the units changed.

    The class picks threshold variants ("region:DHNTB", "group:2"). A unit
    already classified in the scheme keeps its class unless ``replace`` is
    given, because an admin may have classified it on purpose. Each change is
    logged on the unit.
    """
    limit = UnitClassification._meta.get_field("value").max_length
    for part in (scheme, value):
        if not part or ":" in part or len(part) > limit:
            raise WorkflowError(
                _("Cách phân loại hoặc giá trị không hợp lệ: %s") % part
            )
    units = list(units)
    current = {
        c.unit_id: c
        for c in UnitClassification.objects.filter(
            scheme=scheme, unit__in=[u.pk for u in units]
        )
    }
    created, changed, notes = [], [], {}
    for unit in units:
        existing = current.get(unit.pk)
        if existing is None:
            created.append(UnitClassification(unit=unit, scheme=scheme, value=value))
            notes[unit.pk] = f"{scheme}:{value}"
        elif replace and existing.value != value:
            notes[unit.pk] = f"{scheme}:{value} (trước đây {existing.value})"
            existing.value = value
            changed.append(existing)
    UnitClassification.objects.bulk_create(created)
    UnitClassification.objects.bulk_update(changed, ["value"])
    touched = [u for u in units if u.pk in notes]
    log_actions(
        touched,
        "indicators.classification.set",
        by=by,
        data_for=lambda unit: {"note": notes[unit.pk]},
    )
    return touched


# -- closing a period ---------------------------------------------------------


@transaction.atomic
def freeze_period(period, *, by, is_demo=False):
    """Store the computed values of a period so that they outlive today's records."""
    now = timezone.now()
    rows = []
    indicators = {
        i.code: i for i in Indicator.objects.filter(source=Indicator.Source.COMPUTED)
    }
    done = set()
    for code in indicators:
        provider = providers.provider_for(code)
        # Dated providers read their period's records at any time: no snapshot.
        if provider is None or provider.dated or provider in done:
            continue
        done.add(provider)
        computed = provider.compute()
        for provided_code in provider.codes:
            if provided_code not in indicators:
                continue
            for unit_id, (numerator, denominator) in computed.get(
                provided_code, {}
            ).items():
                rows.append(
                    ComputedSnapshot(
                        indicator=indicators[provided_code],
                        unit_id=unit_id,
                        period=period,
                        numerator=numerator,
                        denominator=denominator,
                        computed_at=now,
                        is_demo=is_demo,
                    )
                )
    ComputedSnapshot.objects.filter(period=period).delete()
    ComputedSnapshot.objects.bulk_create(rows, batch_size=2000)
    log_action(
        period, "indicators.period.frozen", by=by, data={"note": f"{len(rows)} giá trị"}
    )
    return len(rows)
