"""The Excel import of the household register: every row is saved, or none.

A register of a whole district is tens of thousands of rows, so the import is
set-based: it reads the workbook once, looks up villages, households, digital
address codes and platforms in a few bulk queries, validates every row in
memory, and writes with bulk statements inside one transaction.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.core import spreadsheets
from ntm.core.audit import log_actions
from ntm.core.spreadsheets import ImportResult, RowError
from ntm.core.text import fold
from ntm.units.models import Unit

from .exports import COLUMNS, SHEET_HOUSEHOLDS
from .models import EcommercePlatform, Household
from .queries import villages_of
from .services import HouseholdError

MAX_ROWS = 100_000
MAX_MEMBERS = 50
MAX_SMARTPHONES = 50
BATCH_SIZE = 1000
# Stays under SQLite's bound-parameter limit for ``__in`` look-ups.
LOOKUP_CHUNK = 900
YES = {"co", "c", "x", "1", "yes", "y", "true"}
NO = {"khong", "k", "0", "no", "n", "false", ""}
# Facts an import sets, in the order the audit trail lists them.
IMPORTED_FIELDS = [
    "village",
    "head_name",
    "members",
    "phone",
    "address",
    "address_code",
    "lat",
    "lon",
    "has_fibre",
    "smartphones",
    "health_app_members",
    "is_business",
    "uses_traceability",
]
THROUGH = Household.ecommerce_platforms.through


class HouseholdImportError(HouseholdError):
    """The file was refused; ``errors`` lists every bad row (nothing was saved)."""

    def __init__(self, message, errors=()):
        super().__init__(message)
        self.errors = list(errors)


def import_households(file, *, by):
    """Create or update households from an Excel register, all rows or none.

    A row whose household code is new creates a household; a known code
    updates it. Every row is checked before anything is written: required
    columns, numbers within range, yes/no columns, the village being a
    current village within the importer's scope, an existing household being
    in scope too and still followed, e-commerce platforms already recorded
    (names separated by ";"), household codes and digital address codes not
    repeated in the file and address codes not held by another household.
    Any bad row raises
    HouseholdImportError naming every bad row, and nothing is saved.
    Writes one audit entry per created or changed household.
    """
    rows = _read_rows(file)
    platforms = {fold(p.name): p for p in EcommercePlatform.objects.all()}
    scope = {village.code: village for village in villages_of(by, editable=True)}
    scope_by_pk = {village.pk: village for village in scope.values()}

    errors = {}
    parsed = []
    for number, raw in rows:
        values, messages = _parse(raw, platforms)
        if messages:
            errors[number] = messages
        parsed.append((number, values))

    existing = _existing_households([v["code"] for _n, v in parsed if v.get("code")])
    owners = _address_owners(
        [v["address_code"] for _n, v in parsed if v.get("address_code")]
    )
    outside = _villages_outside(
        {v["village_code"] for _n, v in parsed if v.get("village_code")} - scope.keys()
    )
    first_code_row, first_address_row = {}, {}
    for number, values in parsed:
        messages = errors.setdefault(number, [])
        code, village_code = values.get("code"), values.get("village_code")
        address_code = values.get("address_code")
        if code:
            if code in first_code_row:
                messages.append(
                    _("Mã hộ %(code)s trùng với dòng %(row)s.")
                    % {"code": code, "row": first_code_row[code]}
                )
            else:
                first_code_row[code] = number
            household = existing.get(code)
            if household is not None and household.village_id not in scope_by_pk:
                messages.append(
                    _("Hộ mã %(code)s thuộc thôn ngoài phạm vi bạn quản lý.")
                    % {"code": code}
                )
            elif household is not None and not household.is_followed:
                messages.append(
                    _(
                        "Hộ mã %(code)s đã ngừng theo dõi từ %(day)s; hãy theo"
                        " dõi lại hộ trên trang của hộ trước khi nhập."
                    )
                    % {"code": code, "day": household.left_on.strftime("%d/%m/%Y")}
                )
        if village_code:
            if village_code in scope:
                values["village"] = scope[village_code]
            elif village_code in outside:
                messages.append(
                    _("Thôn mã %(code)s không thuộc phạm vi bạn quản lý.")
                    % {"code": village_code}
                )
            else:
                messages.append(
                    _("Không có thôn nào mang mã %(code)s.") % {"code": village_code}
                )
        if address_code:
            if address_code in first_address_row:
                messages.append(
                    _("Mã địa chỉ số %(code)s trùng với dòng %(row)s.")
                    % {"code": address_code, "row": first_address_row[address_code]}
                )
            else:
                first_address_row[address_code] = number
            owner = owners.get(address_code)
            if owner is not None and owner != code:
                messages.append(
                    _("Mã địa chỉ số %(code)s đã được gán cho hộ %(owner)s.")
                    % {"code": address_code, "owner": owner}
                )
        if not messages:
            del errors[number]

    if errors:
        bad = [
            RowError(number, messages) for number, messages in sorted(errors.items())
        ]
        raise HouseholdImportError(
            _("Có %(count)s dòng chưa hợp lệ; chưa lưu dòng nào.")
            % {"count": len(bad)},
            bad,
        )
    by_pk = {platform.pk: platform for platform in platforms.values()}
    rows = [values for _n, values in parsed]
    return _save(rows, existing, by_pk, scope_by_pk, by=by)


def _save(rows, existing, platforms, villages, *, by):
    now = timezone.now()
    labels = {
        name: str(Household._meta.get_field(name).verbose_name)
        for name in [*IMPORTED_FIELDS, "ecommerce_platforms"]
    }
    linked = _platform_links([h.pk for h in existing.values()])
    created, new_links, changed, links, relinked = [], [], [], [], []
    changes_of, changed_fields = {}, set()
    for values in rows:
        platform_ids = {p.pk for p in values["platforms"]}
        household = existing.get(values["code"])
        if household is None:
            household = Household(code=values["code"], **_facts(values))
            household.search_text = household.build_search_text()
            created.append(household)
            new_links.append(platform_ids)
            continue
        changes = {}
        for name, new in _facts(values).items():
            # The village by id: reading ``household.village`` would cost a
            # query per row.
            if name == "village":
                old = villages[household.village_id]
            else:
                old = getattr(household, name)
            if old != new:
                changes[name] = _change(labels[name], old, new)
                setattr(household, name, new)
                changed_fields.add(name)
        old_platforms = linked.get(household.pk, set())
        if old_platforms != platform_ids:
            changes["ecommerce_platforms"] = _change(
                labels["ecommerce_platforms"],
                _names(old_platforms, platforms),
                _names(platform_ids, platforms),
            )
            relinked.append(household.pk)
            links += [
                THROUGH(household_id=household.pk, ecommerceplatform_id=pk)
                for pk in platform_ids
            ]
        if changes:
            household.search_text = household.build_search_text()
            household.updated_at = now
            changes_of[household.pk] = changes
            changed.append(household)

    with transaction.atomic():
        Household.objects.bulk_create(created, batch_size=BATCH_SIZE)
        links += [
            THROUGH(household_id=household.pk, ecommerceplatform_id=pk)
            for household, platform_ids in zip(created, new_links, strict=True)
            for pk in platform_ids
        ]
        # One column list for all rows: rewriting an unchanged value is
        # cheaper than one UPDATE per combination of changed fields.
        Household.objects.bulk_update(
            changed,
            [*sorted(changed_fields), "search_text", "updated_at"],
            batch_size=BATCH_SIZE,
        )
        for start in range(0, len(relinked), LOOKUP_CHUNK):
            chunk = relinked[start : start + LOOKUP_CHUNK]
            THROUGH.objects.filter(household_id__in=chunk).delete()
        THROUGH.objects.bulk_create(links, batch_size=BATCH_SIZE * 5)
        note = _("Nhập từ Excel")
        log_actions(
            created,
            "households.household.imported",
            by=by,
            data_for=lambda h: {"note": note},
        )
        log_actions(
            changed,
            "households.household.imported",
            by=by,
            data_for=lambda h: {"note": note, "changes": changes_of[h.pk]},
        )
    return ImportResult(
        created=len(created),
        updated=len(changed),
        unchanged=len(rows) - len(created) - len(changed),
    )


def _facts(values):
    return {name: values[name] for name in IMPORTED_FIELDS}


def _change(label, old, new):
    return {"label": label, "old": _as_text(old), "new": _as_text(new)}


def _as_text(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def _names(ids, platforms):
    return ", ".join(sorted(platforms[pk].name for pk in ids))


def _read_rows(file):
    """(row number, {column key: cell value}) for every non-empty row."""
    columns = [(c.key, c.header, c.required) for c in COLUMNS if not c.informative]
    try:
        workbook = spreadsheets.open_workbook(file)
        try:
            sheet = spreadsheets.sheet_named(workbook, SHEET_HOUSEHOLDS)
            return spreadsheets.data_rows(sheet, columns, max_rows=MAX_ROWS)
        finally:
            workbook.close()
    except spreadsheets.SpreadsheetError as error:
        raise HouseholdImportError(str(error)) from None


HEADERS = {column.key: column.header for column in COLUMNS}


def _parse(raw, platforms):
    """Typed values of one row and the messages for whatever is wrong in it."""
    messages = []
    values = {}
    values["code"] = _text(raw, "code", 20, messages, required=True)
    values["village_code"] = _text(raw, "village_code", 12, messages, required=True)
    values["head_name"] = _text(raw, "head_name", 120, messages, required=True)
    values["phone"] = _text(raw, "phone", 20, messages)
    values["address"] = _text(raw, "address", 255, messages)
    values["address_code"] = _text(raw, "address_code", 32, messages) or None
    values["members"] = _integer(
        raw, "members", 1, MAX_MEMBERS, messages, required=True
    )
    values["smartphones"] = _integer(raw, "smartphones", 0, MAX_SMARTPHONES, messages)
    values["health_app_members"] = _integer(
        raw, "health_app_members", 0, MAX_MEMBERS, messages
    )
    members, health = values["members"], values["health_app_members"]
    if members is not None and health is not None and health > members:
        messages.append(_("Số người dùng ứng dụng y tế lớn hơn số nhân khẩu."))
    values["lat"] = _decimal(raw, "lat", Decimal(8), Decimal(24), messages)
    values["lon"] = _decimal(raw, "lon", Decimal(102), Decimal(110), messages)
    for key in ("has_fibre", "is_business", "uses_traceability"):
        values[key] = _yes_no(raw, key, messages)
    values["platforms"] = _platforms(
        raw.get("ecommerce_platforms"), platforms, messages
    )
    values["village"] = None
    return values, messages


def _text(raw, key, max_length, messages, required=False):
    value = raw.get(key)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "" if value is None else " ".join(str(value).split())
    if required and not text:
        messages.append(_("Thiếu %(column)s.") % {"column": HEADERS[key].lower()})
    elif len(text) > max_length:
        messages.append(
            _("%(column)s dài quá %(max)s ký tự.")
            % {"column": HEADERS[key], "max": max_length}
        )
    return text


def _integer(raw, key, low, high, messages, required=False):
    value = raw.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            messages.append(_("Thiếu %(column)s.") % {"column": HEADERS[key].lower()})
            return None
        return low
    try:
        number = Decimal(str(value).strip())
        valid = number == number.to_integral_value() and low <= number <= high
    except InvalidOperation:
        valid = False
    if not valid or isinstance(value, bool):
        messages.append(
            _("%(column)s phải là số nguyên từ %(low)s đến %(high)s.")
            % {"column": HEADERS[key], "low": low, "high": high}
        )
        return None
    return int(number)


def _decimal(raw, key, low, high, messages):
    value = raw.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ".")).quantize(
            Decimal("0.000001")
        )
        valid = low <= number <= high
    except InvalidOperation:
        valid = False
    if not valid or isinstance(value, bool):
        messages.append(
            _("%(column)s phải là số từ %(low)s đến %(high)s.")
            % {"column": HEADERS[key], "low": low, "high": high}
        )
        return None
    return number


def _yes_no(raw, key, messages):
    value = raw.get(key)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        value = str(int(value)) if float(value).is_integer() else str(value)
    word = fold(value or "")
    if word in YES:
        return True
    if word in NO:
        return False
    messages.append(
        _("%(column)s chỉ nhận có/không (hoặc x, 1, 0).") % {"column": HEADERS[key]}
    )
    return False


def _platforms(value, platforms, messages):
    found = []
    for name in str(value or "").split(";"):
        if not name.strip():
            continue
        platform = platforms.get(fold(name))
        if platform is None:
            messages.append(
                _("Không có sàn thương mại điện tử tên “%(name)s”.")
                % {"name": name.strip()}
            )
        elif platform not in found:
            found.append(platform)
    return found


def _existing_households(codes):
    found = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        chunk = codes[start : start + LOOKUP_CHUNK]
        found.update(
            (household.code, household)
            for household in Household.all_objects.filter(code__in=chunk)
        )
    return found


def _address_owners(address_codes):
    owners = {}
    for start in range(0, len(address_codes), LOOKUP_CHUNK):
        chunk = address_codes[start : start + LOOKUP_CHUNK]
        owners.update(
            Household.all_objects.filter(address_code__in=chunk).values_list(
                "address_code", "code"
            )
        )
    return owners


def _platform_links(household_ids):
    linked = {}
    for start in range(0, len(household_ids), LOOKUP_CHUNK):
        chunk = household_ids[start : start + LOOKUP_CHUNK]
        pairs = THROUGH.objects.filter(household_id__in=chunk).values_list(
            "household_id", "ecommerceplatform_id"
        )
        for household_id, platform_id in pairs:
            linked.setdefault(household_id, set()).add(platform_id)
    return linked


def _villages_outside(codes):
    """Which of ``codes`` are current villages (just not the importer's)."""
    if not codes:
        return set()
    villages = Unit.objects.villages().valid_on().filter(code__in=list(codes))
    return set(villages.values_list("code", flat=True))
