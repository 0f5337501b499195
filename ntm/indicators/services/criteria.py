"""Criteria sets loaded from the versioned JSON files in ``ntm/indicators/criteria/``:
the whole file is checked before anything is written.
"""

import hashlib
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from ntm.core.audit import log_action
from ntm.units.models import Unit

from ..models import CriteriaSet, Criterion, Indicator, Requirement
from .errors import CriteriaFileError, WorkflowError

CRITERIA_DIR = Path(__file__).parent.parent / "criteria"
LEVELS = {
    "province": Unit.Level.PROVINCE,
    "district": Unit.Level.DISTRICT,
    "commune": Unit.Level.COMMUNE,
    "village": Unit.Level.VILLAGE,
}


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
    _write_criteria(criteria_set, data["criteria"], indicators, where)
    log_action(
        criteria_set,
        "indicators.criteriaset.created"
        if action == "created"
        else "indicators.criteriaset.updated",
        by=by,
        data={"note": f"{where} ({digest[:12]})"},
    )
    return criteria_set, action


def _write_criteria(criteria_set, items, indicators, where):
    for order, item in enumerate(items, start=1):
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


@transaction.atomic
def adopt_criteria_version(base, criteria, *, from_year, by):
    """A new version of ``base``'s set with ``criteria`` (a sheet read by
    ``criteria_sheet.read_criteria_sheet``), in force from ``from_year``.

    ``base`` then ends the year before: the years it covered keep their
    thresholds and figures. Refused when ``from_year`` is not after the
    year ``base`` starts, or when another version already starts then or
    later (it would be overlapped).
    """
    base = CriteriaSet.objects.select_for_update().get(pk=base.pk)
    if base.first_year is not None and from_year <= base.first_year:
        raise WorkflowError(
            _(
                "Phiên bản mới phải áp dụng sau năm %(year)s, năm bắt đầu "
                "của phiên bản đang dùng."
            )
            % {"year": base.first_year}
        )
    if base.last_year is not None and from_year > base.last_year:
        raise WorkflowError(
            _("Phiên bản đang dùng đã hết hiệu lực sau năm %(year)s.")
            % {"year": base.last_year}
        )
    later = CriteriaSet.objects.filter(code=base.code, first_year__gte=from_year)
    if later.exclude(pk=base.pk).exists():
        raise WorkflowError(
            _("Đã có phiên bản khác áp dụng từ năm %(year)s trở đi.")
            % {"year": from_year}
        )
    latest = CriteriaSet.objects.filter(code=base.code).order_by("-version").first()
    adopted = CriteriaSet.objects.create(
        code=base.code,
        version=latest.version + 1,
        name=base.name,
        level=base.level,
        decision=base.decision,
        source=base.source,
        notes=base.notes,
        first_year=from_year,
        last_year=base.last_year,
    )
    _write_criteria(adopted, criteria, {}, base.code)
    base.last_year = from_year - 1
    base.save(update_fields=["last_year", "updated_at"])
    log_action(
        adopted,
        "indicators.criteriaset.created",
        by=by,
        data={
            "note": _("Nhập từ bảng Excel: thay phiên bản %(old)s từ năm %(year)s")
            % {"old": base.version, "year": from_year}
        },
    )
    log_action(
        base,
        "indicators.criteriaset.updated",
        by=by,
        data={
            "note": _("Áp dụng đến năm %(year)s; phiên bản %(new)s thay từ năm sau")
            % {"year": base.last_year, "new": adopted.version}
        },
    )
    return adopted


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
