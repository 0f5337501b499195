"""The register: entities, products, sales channels, green / circular chains.

Each service checks the record's own rules (fields through the model's
validators, links that must agree) and logs every changed field; the Excel
import goes through the same services. A channel or a chain that ended is
given an end date rather than deleted, so the years it counted in keep it.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ntm.accounts.models import Role
from ntm.core.audit import diff, log_action, snapshot
from ntm.core.changes import change_fields, refuse_unknown
from ntm.core.uploads import EVIDENCE, check_upload
from ntm.units.models import Unit

from ..gs1 import normalize_gtin
from ..models import Entity, GreenChain, Product, SalesChannel
from .errors import OcopError

ENTITY_FIELDS = [
    "code",
    "name",
    "kind",
    "unit",
    "cooperative",
    "household",
    "accounts",
    "address",
    "representative",
    "representative_phone",
    "contact_phone",
    "contact_email",
    "website",
    "contact_is_public",
    "gs1_company_prefix",
    "gln",
    "is_active",
    "is_demo",
]
PRODUCT_FIELDS = ["name", "group", "description", "gtin", "is_active", "is_demo"]
CHANNEL_FIELDS = [
    "kind",
    "product",
    "platform",
    "name",
    "url",
    "listed_from",
    "listed_to",
    "note",
    "is_demo",
]
GREEN_FIELDS = [
    "kind",
    "description",
    "linkage_model",
    "raw_material_area",
    "area_ha",
    "evidence_url",
    "valid_from",
    "valid_to",
    "is_demo",
]
# A new evidence file shows in the history by its name.
GREEN_LOGGED = [*GREEN_FIELDS, "evidence_name"]
ENTITY_UNIT_LEVELS = (Unit.Level.COMMUNE, Unit.Level.VILLAGE)


# -- entities -------------------------------------------------------------------


@transaction.atomic
def create_entity(*, by, **fields):
    """Register an OCOP entity on a commune or village.

    Refuses another level of unit, a code already registered, a cooperative
    link on an entity that is not a cooperative (and a household link on one
    that is not a household business), accounts without the producer role,
    and fields their validators refuse (GS1 prefix, GLN, e-mail, links).
    """
    refuse_unknown(fields, ENTITY_FIELDS)
    accounts = list(fields.pop("accounts", None) or [])
    entity = Entity(**fields)
    _check_entity(entity, accounts)
    entity.search_text = entity.build_search_text()
    _save(entity, _("Mã số chủ thể %(code)s đã có.") % {"code": entity.code})
    entity.accounts.set(accounts)
    return log_created(entity, ENTITY_FIELDS, "ocop.entity.created", by=by)


@transaction.atomic
def update_entity(entity, *, by, **fields):
    """Change an entity (same rules) and record every changed field.

    Accounts are replaced by the given list when one is given; nothing is
    saved or logged when nothing changes.
    """
    refuse_unknown(fields, ENTITY_FIELDS)
    given = fields.pop("accounts", None)
    accounts = list(entity.accounts.all() if given is None else given)

    def check(entity):
        _check_entity(entity, accounts)
        entity.accounts.set(accounts)

    return apply_changes(
        entity, fields, ENTITY_FIELDS, "ocop.entity.changed", by=by, check=check
    )


def _check_entity(entity, accounts):
    if Entity.objects.filter(code=entity.code).exclude(pk=entity.pk).exists():
        raise OcopError(_("Mã số chủ thể %(code)s đã có.") % {"code": entity.code})
    if entity.unit_id and entity.unit.level not in ENTITY_UNIT_LEVELS:
        raise OcopError(_("Chủ thể đăng ký tại một xã hoặc một thôn."))
    if entity.cooperative_id and entity.kind != Entity.Kind.COOPERATIVE:
        raise OcopError(_("Chỉ chủ thể là hợp tác xã mới gắn với sổ hợp tác xã."))
    if entity.household_id and entity.kind != Entity.Kind.HOUSEHOLD_BUSINESS:
        raise OcopError(_("Chỉ hộ sản xuất, kinh doanh mới gắn với sổ hộ gia đình."))
    producers = {
        user.pk
        for user in accounts
        if user.memberships.filter(role=Role.PRODUCER).exists()
    }
    others = [str(user) for user in accounts if user.pk not in producers]
    if others:
        raise OcopError(
            _("Tài khoản %(names)s chưa có vai trò Chủ thể sản xuất.")
            % {"names": ", ".join(others)}
        )
    if (
        entity.cooperative_id
        and Entity.objects.filter(cooperative_id=entity.cooperative_id)
        .exclude(pk=entity.pk)
        .exists()
    ):
        raise OcopError(_("Hợp tác xã này đã là một chủ thể OCOP khác."))
    if (
        entity.household_id
        and Entity.objects.filter(household_id=entity.household_id)
        .exclude(pk=entity.pk)
        .exists()
    ):
        raise OcopError(_("Hộ này đã là một chủ thể OCOP khác."))
    _validate(entity, exclude=["unit", "cooperative", "household", "search_text"])


# -- products -------------------------------------------------------------------


@transaction.atomic
def create_product(*, entity, by, **fields):
    """Add a product to an entity.

    Refuses a name the entity already uses, a GTIN with a wrong length or
    check digit, and a GTIN another product carries. A GTIN-8/12/13 is
    stored as 14 digits.
    """
    refuse_unknown(fields, PRODUCT_FIELDS)
    product = Product(entity=entity, **fields)
    _check_product(product)
    product.search_text = product.build_search_text()
    _save(product, _duplicate_product(product))
    return log_created(
        product, PRODUCT_FIELDS, "ocop.product.created", by=by, note=str(entity)
    )


@transaction.atomic
def update_product(product, *, by, **fields):
    """Change a product (same rules) and record every changed field."""
    refuse_unknown(fields, PRODUCT_FIELDS)
    return apply_changes(
        product,
        fields,
        PRODUCT_FIELDS,
        "ocop.product.changed",
        by=by,
        check=_check_product,
    )


def _check_product(product):
    if product.gtin:
        try:
            product.gtin = normalize_gtin(product.gtin)
        except ValidationError as error:
            raise OcopError(" ".join(error.messages)) from None
        if Product.objects.filter(gtin=product.gtin).exclude(pk=product.pk).exists():
            raise OcopError(
                _("GTIN %(gtin)s đã gắn với một sản phẩm khác.")
                % {"gtin": product.gtin}
            )
    if (
        Product.objects.filter(entity_id=product.entity_id, name=product.name)
        .exclude(pk=product.pk)
        .exists()
    ):
        raise OcopError(_duplicate_product(product))
    _validate(product, exclude=["entity", "search_text"])


def _duplicate_product(product):
    return _("Chủ thể đã có sản phẩm “%(name)s”.") % {"name": product.name}


# -- sales channels -------------------------------------------------------------


@transaction.atomic
def create_sales_channel(*, entity, by, **fields):
    """Record a modern channel an entity sells through, from a date.

    An e-commerce listing needs its link and its platform (or a name); a
    supermarket or convenience store needs its name. The end date, when
    given, is not before the start; the product, when named, is the
    entity's.
    """
    refuse_unknown(fields, CHANNEL_FIELDS)
    channel = SalesChannel(entity=entity, **fields)
    _check_channel(channel)
    channel.save()
    return log_created(
        channel, CHANNEL_FIELDS, "ocop.channel.created", by=by, note=str(entity)
    )


@transaction.atomic
def update_sales_channel(channel, *, by, **fields):
    """Change a channel (same rules); ending it is setting its end date."""
    refuse_unknown(fields, CHANNEL_FIELDS)
    return apply_changes(
        channel,
        fields,
        CHANNEL_FIELDS,
        "ocop.channel.changed",
        by=by,
        check=_check_channel,
    )


def _check_channel(channel):
    if channel.kind == SalesChannel.Kind.ECOMMERCE:
        if not channel.url:
            raise OcopError(_("Gian hàng trên sàn thương mại điện tử cần đường dẫn."))
        if not channel.platform_id and not channel.name:
            raise OcopError(_("Hãy chọn sàn hoặc ghi tên gian hàng."))
    else:
        channel.platform = None
        if not channel.name:
            raise OcopError(_("Hãy ghi tên siêu thị hoặc cửa hàng."))
    _check_dates(channel.listed_from, channel.listed_to)
    if channel.product_id and channel.product.entity_id != channel.entity_id:
        raise OcopError(_("Sản phẩm không thuộc chủ thể này."))
    _validate(channel, exclude=["entity", "product", "platform"])


# -- green / circular value chains ----------------------------------------------


@transaction.atomic
def create_green_chain(*, entity, by, evidence_file=None, **fields):
    """Record an entity's circular-economy or green-OCOP value chain.

    It needs evidence (a file of an accepted type and size, or a link) and
    the raw-material area it relies on: a linkage model that has one, or an
    area named here. Dates as for channels.
    """
    refuse_unknown(fields, GREEN_FIELDS)
    chain = GreenChain(entity=entity, **fields)
    if evidence_file is not None:
        _attach(chain, evidence_file)
    _check_green_chain(chain)
    chain.save()
    return log_created(chain, GREEN_LOGGED, "ocop.greenchain.created", by=by)


@transaction.atomic
def update_green_chain(chain, *, by, evidence_file=None, **fields):
    """Change a chain (same rules); a new file replaces the evidence file."""
    refuse_unknown(fields, GREEN_FIELDS)

    def check(chain):
        if evidence_file is not None:
            _attach(chain, evidence_file)
        _check_green_chain(chain)

    return apply_changes(
        chain, fields, GREEN_LOGGED, "ocop.greenchain.changed", by=by, check=check
    )


def _attach(chain, upload):
    check_upload(upload, EVIDENCE, OcopError)
    chain.evidence_file = upload
    chain.evidence_name = Path(upload.name).name[:255]


def _check_green_chain(chain):
    if not chain.has_evidence:
        raise OcopError(_("Cần tệp minh chứng hoặc liên kết minh chứng."))
    if chain.linkage_model_id and not chain.linkage_model.has_raw_material_area:
        raise OcopError(_("Mô hình liên kết này chưa gắn với vùng nguyên liệu."))
    if not chain.area_text:
        raise OcopError(
            _(
                "Hãy chọn mô hình liên kết có vùng nguyên liệu hoặc ghi tên "
                "vùng nguyên liệu."
            )
        )
    _check_dates(chain.valid_from, chain.valid_to)
    _validate(chain, exclude=["entity", "linkage_model", "evidence_file"])


# -- shared ---------------------------------------------------------------------


def log_created(record, names, action, *, by, note=""):
    """Log a record just saved, with the value of each of its ``names``."""
    data = {"changes": diff(record, {}, snapshot(record, names))}
    if note:
        data["note"] = note
    log_action(record, action, by=by, data=data)
    return record


def apply_changes(record, fields, names, action, *, by, check):
    """Set ``fields``, let ``check`` refuse, then save and log what changed.

    Nothing is saved or logged when no field of ``names`` changes. A record
    with a folded search text gets it rebuilt, and a unique constraint met
    at save time is refused like the checks.
    """
    changes = change_fields(record, fields, names, check=check)
    if changes:
        if hasattr(record, "build_search_text"):
            record.search_text = record.build_search_text()
        _save(record, _("Bản ghi trùng với một bản ghi đã có."))
        log_action(record, action, by=by, data={"changes": changes})
    return record


def _check_dates(first, last):
    if last is not None and first is not None and last < first:
        raise OcopError(_("Ngày kết thúc không được trước ngày bắt đầu."))


def _validate(record, *, exclude):
    """The model fields' own validators, as one domain error."""
    try:
        record.clean_fields(exclude=exclude)
    except ValidationError as error:
        messages = [
            f"{record._meta.get_field(name).verbose_name}: {' '.join(texts)}"
            for name, texts in error.message_dict.items()
        ]
        raise OcopError(" ".join(messages)) from None


def _save(record, duplicate):
    # The checks above read before writing; a concurrent twin still meets
    # the unique constraint, which is reported the same way.
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise OcopError(duplicate) from None
