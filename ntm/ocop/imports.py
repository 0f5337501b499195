"""Excel imports of OCOP entities and products: every row, or none.

A district has tens of entities and products, so each row goes through the
same service as the form (one rule book) inside one transaction; every bad
row is reported and nothing is saved when any row fails.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.cooperatives.models import Cooperative
from ntm.core.spreadsheets import (
    ImportRefused,
    ImportResult,
    SpreadsheetError,
    flag_repeats,
    read_rows,
    refuse_bad_rows,
)
from ntm.core.text import fold
from ntm.households.models import Household
from ntm.units.models import Unit

from .exports import ENTITIES, PRODUCTS
from .gs1 import normalize_gtin, validate_company_prefix, validate_gln
from .models import Entity, Product
from .permissions import can_edit_entity, can_keep_unit, can_manage_entity
from .services import (
    OcopError,
    create_entity,
    create_product,
    update_entity,
    update_product,
)
from .services.register import ENTITY_UNIT_LEVELS


class OcopImportError(ImportRefused, OcopError):
    """The file was refused; ``errors`` lists every bad row (nothing was saved)."""


def import_entities(file, *, by):
    """Create or update entities from Excel, all rows or none.

    A known code updates that entity (when the importer keeps it); a new one
    registers it. A unit code is read as the unit carrying it today, except
    that an entity's own (older) unit with that code stays. Rows are refused
    for missing or malformed cells (GLN, GS1 prefix), an unknown unit,
    cooperative or household code, a unit the importer does not keep, a code
    repeated in the file, and any rule of the services.
    """
    rows = _rows(file, ENTITIES)
    values = {}
    for row in rows:
        values[row.number] = {
            "code": row.code("code", 30, required=True),
            "name": row.text("name", 200, required=True),
            "kind": row.choice("kind", required=True),
            "unit_code": row.code("unit_code", 12, required=True),
            "address": row.text("address", 255, required=True),
            "cooperative_code": row.code("cooperative_code", 30),
            "household_code": row.code("household_code", 20),
            "representative": row.text("representative", 120),
            "representative_phone": row.text("representative_phone", 20),
            "contact_phone": row.text("contact_phone", 20),
            "contact_email": row.text("contact_email", 254),
            "website": row.text("website", 200),
            "contact_is_public": row.yes_no("contact_is_public"),
            "gs1_company_prefix": row.code("gs1_company_prefix", 12),
            "gln": row.code("gln", 13),
            "is_active": not row.yes_no("inactive"),
        }
    for row in rows:
        fields = values[row.number]
        _check(row, fields, "gln", validate_gln)
        _check(row, fields, "gs1_company_prefix", validate_company_prefix)
    flag_repeats(rows, lambda row: values[row.number]["code"] or None)
    existing = Entity.objects.select_related("unit").in_bulk(
        [v["code"] for v in values.values() if v["code"]], field_name="code"
    )
    units = _units({v["unit_code"] for v in values.values() if v["unit_code"]})
    cooperatives = Cooperative.objects.in_bulk(
        [v["cooperative_code"] for v in values.values() if v["cooperative_code"]],
        field_name="code",
    )
    # By code: unique across the country through the services, per province
    # in the database (the households are partitioned), so no in_bulk().
    households = {
        household.code: household
        for household in Household.objects.filter(
            code__in=[
                v["household_code"] for v in values.values() if v["household_code"]
            ]
        )
    }
    plans = []
    for row in rows:
        fields = values[row.number]
        entity = existing.get(fields["code"])
        unit_code = fields.pop("unit_code")
        unit = units.get(unit_code)
        if entity is not None and entity.unit.code == unit_code:
            # Codes are reused across 2025: an entity kept under its old
            # commune stays there when its row names that code.
            unit = entity.unit
        if unit is None and row.cell("unit_code") is not None:
            row.error(
                _("Không có xã hoặc thôn mang mã %(code)s.")
                % {"code": row.cell("unit_code")}
            )
        elif unit is not None and not can_keep_unit(by, unit):
            row.error(_("%(unit)s không thuộc phạm vi bạn quản lý.") % {"unit": unit})
        if entity is not None and not can_manage_entity(by, entity):
            row.error(
                _("Chủ thể mã %(code)s thuộc đơn vị ngoài phạm vi bạn quản lý.")
                % {"code": fields["code"]}
            )
        fields["unit"] = unit
        fields["cooperative"] = _linked(
            row, cooperatives, fields.pop("cooperative_code"), _("hợp tác xã")
        )
        fields["household"] = _linked(
            row, households, fields.pop("household_code"), _("hộ")
        )
        plans.append((row, entity, fields))
    refuse_bad_rows(rows, OcopImportError)

    def save(entity, fields):
        if entity is None:
            return create_entity(by=by, **fields)
        return update_entity(entity, by=by, **fields)

    return _save_all(plans, save)


def import_products(file, *, by):
    """Create or update products from Excel, all rows or none.

    A row names its entity by code; the same entity and product name updates
    that product. Refused like the entity import, plus an unknown entity, an
    entity the importer may not edit, and a bad GTIN.
    """
    rows = _rows(file, PRODUCTS)
    values = {}
    for row in rows:
        values[row.number] = {
            "entity_code": row.code("entity_code", 30, required=True),
            "name": row.text("name", 200, required=True),
            "group": row.choice("group", required=True),
            "gtin": row.code("gtin", 14),
            "description": row.text("description", 2000),
            "is_active": not row.yes_no("inactive"),
        }
    for row in rows:
        _check(row, values[row.number], "gtin", normalize_gtin)
    flag_repeats(
        rows,
        lambda row: (
            (values[row.number]["entity_code"], fold(values[row.number]["name"]))
            if values[row.number]["entity_code"] and values[row.number]["name"]
            else None
        ),
    )
    entities = Entity.objects.select_related("unit").in_bulk(
        [v["entity_code"] for v in values.values() if v["entity_code"]],
        field_name="code",
    )
    existing = {
        (p.entity_id, p.name): p
        for p in Product.objects.filter(entity__in=list(entities.values()))
    }
    plans = []
    for row in rows:
        fields = values[row.number]
        code = fields.pop("entity_code")
        entity = entities.get(code)
        if code and entity is None:
            row.error(_("Không có chủ thể mã %(code)s.") % {"code": code})
        elif entity is not None and not can_edit_entity(by, entity):
            row.error(
                _("Chủ thể mã %(code)s thuộc đơn vị ngoài phạm vi bạn quản lý.")
                % {"code": code}
            )
        product = existing.get((entity.pk, fields["name"])) if entity else None
        plans.append((row, product, {"entity": entity, **fields}))
    refuse_bad_rows(rows, OcopImportError)

    def save(product, fields):
        entity = fields.pop("entity")
        if product is None:
            return create_product(entity=entity, by=by, **fields)
        return update_product(product, by=by, **fields)

    return _save_all(plans, save)


def _rows(file, sheet):
    try:
        return read_rows(file, sheet)
    except SpreadsheetError as error:
        raise OcopImportError.from_file(error) from None


def _save_all(plans, save):
    """Save every row in one transaction; a service refusal rolls back all."""
    result = ImportResult()
    with transaction.atomic():
        for row, record, fields in plans:
            before = record.updated_at if record is not None else None
            try:
                saved = save(record, fields)
            except OcopError as error:
                row.error(str(error))
                continue
            if record is None:
                result.created += 1
            elif saved.updated_at != before:
                result.updated += 1
            else:
                result.unchanged += 1
        if any(row.messages for row, _record, _fields in plans):
            transaction.set_rollback(True)
    refuse_bad_rows([row for row, _record, _fields in plans], OcopImportError)
    return result


def _units(codes):
    """{code: the commune or village carrying it today, else its last version}."""
    today = timezone.localdate()
    found = {}
    versions = (
        Unit.objects.filter(code__in=list(codes), level__in=ENTITY_UNIT_LEVELS)
        .defer("boundary")
        .select_related("parent")
    )
    for unit in versions:
        best = found.get(unit.code)
        if best is None or _rank(unit, today) > _rank(best, today):
            found[unit.code] = unit
    return found


def _rank(unit, day):
    return (unit.is_valid_on(day), unit.valid_from or datetime.date.min)


def _check(row, fields, key, validate):
    """A GS1 number's own rule, reported on the row with every other fault."""
    if not fields[key]:
        return
    try:
        normalized = validate(fields[key])
    except ValidationError as error:
        row.error(f"{row.sheet.header(key)}: {' '.join(error.messages)}")
    else:
        fields[key] = normalized or fields[key]


def _linked(row, known, code, what):
    if not code:
        return None
    record = known.get(code)
    if record is None:
        row.error(_("Không có %(what)s mã %(code)s.") % {"what": what, "code": code})
    return record
