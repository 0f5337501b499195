"""The Excel import of the household register: every row is saved, or none.

A register of a whole district is tens of thousands of rows, so the import is
set-based: it reads the workbook once, looks up villages, households, digital
address codes and platforms in a few bulk queries, validates every row in
memory with the form's rules (``validation``), and writes with bulk
statements inside one transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.core.audit import log_actions
from ntm.core.spreadsheets import (
    ImportRefused,
    ImportResult,
    flag_repeats,
    refuse_bad_rows,
)
from ntm.core.text import fold
from ntm.units.models import Unit

from . import validation
from .exports import HOUSEHOLDS
from .history import record_versions
from .models import EcommercePlatform, Household
from .queries import villages_of
from .services import HOUSEHOLD_FIELDS, HouseholdError

BATCH_SIZE = 1000
# Stays under SQLite's bound-parameter limit for ``__in`` look-ups.
LOOKUP_CHUNK = 900
# Facts an import sets, in the order the audit trail lists them (the
# platforms are links, saved apart).
IMPORTED_FIELDS = [
    f for f in HOUSEHOLD_FIELDS if f not in ("ecommerce_platforms", "is_demo")
]
THROUGH = Household.ecommerce_platforms.through
# Lazy: translated only for a message.
LABELS = {key: HOUSEHOLDS.column(key).header for key in ("head_name", "address")}


class HouseholdImportError(ImportRefused, HouseholdError):
    """The file was refused; ``errors`` lists every bad row (nothing was saved)."""


def import_households(file, *, by):
    """Create or update households from an Excel register, all rows or none.

    A row whose household code is new creates a household; a known code
    updates it. Every row is checked before anything is written, with the
    rules of the household form (``validation``): required columns, counts
    within range, a phone number, a name without markup, yes/no columns,
    the map point inside the village's commune, the village being a current
    village within the importer's scope, an existing household being in
    scope too and still followed, e-commerce platforms already recorded
    (names separated by ";"), household codes and digital address codes
    not repeated in the file and address codes not held by another
    household. Any bad row raises
    HouseholdImportError naming every bad row, and nothing is saved.
    Writes one audit entry per created or changed household.
    """
    rows = HouseholdImportError.rows_of(file, HOUSEHOLDS)
    platforms = {fold(p.name): p for p in EcommercePlatform.objects.all()}
    scope = {village.code: village for village in villages_of(by, editable=True)}
    scope_by_pk = {village.pk: village for village in scope.values()}
    area = validation.MapArea()
    area.load(scope.values())

    parsed = [(row, _parse(row, platforms)) for row in rows]
    existing = _existing_households([v["code"] for _r, v in parsed if v["code"]])
    owners = _address_owners(
        [v["address_code"] for _r, v in parsed if v["address_code"]]
    )
    outside = _villages_outside(
        {v["village_code"] for _r, v in parsed if v["village_code"]} - scope.keys()
    )
    values_of = {row.number: values for row, values in parsed}
    flag_repeats(
        rows,
        lambda row: values_of[row.number]["code"] or None,
        _("Mã hộ %(value)s trùng với dòng %(row)s."),
    )
    flag_repeats(
        rows,
        lambda row: values_of[row.number]["address_code"],
        _("Mã địa chỉ số %(value)s trùng với dòng %(row)s."),
    )
    for row, values in parsed:
        code, village_code = values["code"], values["village_code"]
        address_code = values["address_code"]
        household = existing.get(code) if code else None
        if household is not None and household.village_id not in scope_by_pk:
            row.error(
                _("Hộ mã %(code)s thuộc thôn ngoài phạm vi bạn quản lý.")
                % {"code": code}
            )
        elif household is not None and not household.is_followed:
            row.error(
                _(
                    "Hộ mã %(code)s đã ngừng theo dõi từ %(day)s; hãy theo"
                    " dõi lại hộ trên trang của hộ trước khi nhập."
                )
                % {"code": code, "day": household.left_on.strftime("%d/%m/%Y")}
            )
        if village_code in scope:
            values["village"] = village = scope[village_code]
            try:
                area.check(village, values["lat"], values["lon"])
            except ValidationError as error:
                row.error(error.messages[0])
        elif village_code in outside:
            row.error(
                _("Thôn mã %(code)s không thuộc phạm vi bạn quản lý.")
                % {"code": village_code}
            )
        elif village_code:
            row.error(_("Không có thôn nào mang mã %(code)s.") % {"code": village_code})
        owner = owners.get(address_code) if address_code else None
        if owner is not None and owner != code:
            row.error(
                _("Mã địa chỉ số %(code)s đã được gán cho hộ %(owner)s.")
                % {"code": address_code, "owner": owner}
            )
    refuse_bad_rows(rows, HouseholdImportError)
    by_pk = {platform.pk: platform for platform in platforms.values()}
    return _save([values for _r, values in parsed], existing, by_pk, scope_by_pk, by=by)


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
            household.set_province_code()
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
                if name == "village":
                    household.set_province_code()
                    changed_fields.add("province_code")
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
        record_versions(Household, created, by=by, reason=note, update=False)
        record_versions(Household, changed, by=by, reason=note)
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


def _parse(row, platforms):
    """Typed values of one row; its messages say whatever is wrong in it."""
    values = {
        "code": row.code("code", 20, required=True),
        "village_code": row.code("village_code", 12, required=True),
        "head_name": row.text("head_name", 120, required=True),
        "address": row.text("address", 255),
        "address_code": row.code("address_code", 32) or None,
        "lat": row.decimal("lat", -90, 90),
        "lon": row.decimal("lon", -180, 180),
        "platforms": row.names("ecommerce_platforms", platforms),
        "village": None,
    }
    for key in ("head_name", "address"):
        _check(row, validation.check_plain_text, values[key], label=LABELS[key])
    values["phone"] = _check(row, validation.clean_phone, row.text("phone", 40))
    for key, (low, high) in validation.COUNTS.items():
        values[key] = row.integer(key, low, high, required=key == "members", blank=low)
    members, health = values["members"], values["health_app_members"]
    if members is not None and health is not None and health > members:
        row.error(_("Số người dùng ứng dụng y tế lớn hơn số nhân khẩu."))
    for key in ("has_fibre", "is_business", "uses_traceability"):
        values[key] = row.yes_no(key)
    values["water_source"] = row.choice("water_source")
    return values


def _check(row, rule, value, **kwargs):
    """``rule(value)``'s result; its refusal becomes one of the row's messages."""
    try:
        return rule(value, **kwargs)
    except ValidationError as error:
        row.error(error.messages[0])
        return value


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
