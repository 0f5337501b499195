"""/api/v1/ocop: entities, products, evaluations and sales channels.

Anyone reads entities, products, sales channels and certified results, without
personal data: no representative or phone, and the business contact only when
the entity publishes it. Staff of the entity's units (and the entity's own
accounts) also read representatives and results in progress. Writes take a
session (with the CSRF token like the pages) or an API key with the
``write:ocop`` scope, answer 403 to those without the role on the unit, and go
through the same forms and services as the pages.
"""

import datetime
from decimal import Decimal

from django.db.models import F
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from ntm.accounts.apiauth import api_auth
from ntm.core.publiccache import shared_page
from ntm.households.models import EcommercePlatform
from ntm.units.models import Unit

from .forms import EntityForm, ProducerEntityForm, ProductForm, SalesChannelForm
from .models import Entity, Evaluation, Product, SalesChannel
from .permissions import (
    allowed_actions,
    can_add_product,
    can_create_entity,
    can_edit_channel,
    can_edit_entity,
    can_edit_product,
    can_keep_unit,
    can_manage_entity,
    can_view_private,
    evaluation_reader_paths,
    office_paths,
)
from .services import (
    OcopError,
    approve_evaluation,
    certify_evaluation,
    create_entity,
    create_product,
    create_sales_channel,
    score_evaluation,
    send_back_evaluation,
    update_entity,
    update_product,
    update_sales_channel,
)
from .services.register import ENTITY_UNIT_LEVELS

router = Router(tags=["ocop"], auth=api_auth("ocop", optional=True))
WRITE = api_auth("ocop")
PAGE_SIZE = 100


class UnitRef(Schema):
    code: str
    name: str


class EntityOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    kind_label: str
    unit: UnitRef
    address: str
    contact_phone: str
    contact_email: str
    website: str
    gs1_company_prefix: str
    gln: str
    is_active: bool
    is_demo: bool


class EntityPrivateOut(EntityOut):
    representative: str
    representative_phone: str
    household_code: str | None
    cooperative_code: str | None


class EntityIn(Schema):
    """Every field optional: POST needs what the form requires, PATCH any."""

    code: str | None = None
    name: str | None = None
    kind: str | None = None
    unit: str | None = None
    address: str | None = None
    representative: str | None = None
    representative_phone: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    website: str | None = None
    contact_is_public: bool | None = None
    gs1_company_prefix: str | None = None
    gln: str | None = None
    is_active: bool | None = None


class ProductOut(Schema):
    id: int
    name: str
    group: str
    group_label: str
    description: str
    gtin: str
    entity_id: int
    entity_name: str
    stars: int | None
    certificate_valid_until: datetime.date | None
    is_active: bool
    is_demo: bool


class ProductIn(Schema):
    name: str | None = None
    group: str | None = None
    description: str | None = None
    gtin: str | None = None
    is_active: bool | None = None


class ScoreOut(Schema):
    criterion_id: int
    number: str
    name: str
    max_points: Decimal
    confirmed: bool
    points: Decimal | None


class EvaluationOut(Schema):
    id: int
    product_id: int
    product_name: str
    round: str
    council_level: str
    status: str
    status_label: str
    total: Decimal | None
    stars: int | None
    certificate_number: str
    certificate_date: datetime.date | None
    valid_until: datetime.date | None
    is_expired: bool
    is_demo: bool


class EvaluationDetailOut(EvaluationOut):
    sheet: str
    scores: list[ScoreOut]


class ScoreIn(Schema):
    points: dict[str, Decimal]


class SendBackIn(Schema):
    reason: str


class CertifyIn(Schema):
    number: str
    certificate_date: datetime.date


class ChannelOut(Schema):
    id: int
    entity_id: int
    product_id: int | None
    kind: str
    kind_label: str
    platform: str | None
    name: str
    url: str
    listed_from: datetime.date
    listed_to: datetime.date | None
    is_live: bool
    is_demo: bool


class ChannelIn(Schema):
    kind: str | None = None
    platform: str | None = None
    name: str | None = None
    url: str | None = None
    product_id: int | None = None
    listed_from: datetime.date | None = None
    listed_to: datetime.date | None = None
    note: str | None = None


class Message(Schema):
    detail: str


class Invalid(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


# -- entities -----------------------------------------------------------------------


@router.get("/entities", response=list[EntityOut], summary="Chủ thể OCOP")
@decorate_view(shared_page)
def entity_list(request, q: str = "", kind: str = "", page: int = 1):
    entities = Entity.objects.select_related("unit").order_by("name", "pk")
    if q:
        entities = entities.matching(q)
    if kind:
        entities = entities.filter(kind=kind)
    start = (max(page, 1) - 1) * PAGE_SIZE
    return [_entity(e) for e in entities[start : start + PAGE_SIZE]]


@router.get(
    "/entities/{int:entity_id}",
    response={200: EntityPrivateOut | EntityOut, 404: Message},
    summary="Một chủ thể (người đại diện chỉ với cán bộ có quyền)",
)
@decorate_view(shared_page)
def entity_detail(request, entity_id: int):
    entity = get_object_or_404(_entities(), pk=entity_id)
    return _entity(entity, private=can_view_private(request.user, entity))


@router.post(
    "/entities",
    auth=WRITE,
    response={201: EntityPrivateOut, 403: Message, 422: Invalid},
    summary="Thêm chủ thể",
)
def entity_create(request, payload: EntityIn):
    if not can_create_entity(request.user):
        raise HttpError(403, _("Bạn không có quyền thêm chủ thể OCOP."))
    form = EntityForm(
        _entity_data(payload.dict(exclude_unset=True), request.user), user=request.user
    )
    if not form.is_valid():
        return Status(422, _invalid(form))
    try:
        entity = create_entity(by=request.user, **form.service_fields())
    except OcopError as error:
        return Status(422, {"detail": str(error)})
    return Status(201, _entity(entity, private=True))


@router.patch(
    "/entities/{int:entity_id}",
    auth=WRITE,
    response={200: EntityPrivateOut, 403: Message, 404: Message, 422: Invalid},
    summary="Sửa chủ thể (tài khoản của chủ thể: hồ sơ công khai)",
)
def entity_update(request, entity_id: int, payload: EntityIn):
    entity = get_object_or_404(_entities(), pk=entity_id)
    if not can_edit_entity(request.user, entity):
        raise HttpError(403, _("Bạn không có quyền sửa chủ thể này."))
    data = payload.dict(exclude_unset=True)
    manage = can_manage_entity(request.user, entity)
    form_class = EntityForm if manage else ProducerEntityForm
    allowed = set(form_class.Meta.fields)
    if manage:
        allowed.discard("household_code")
        allowed |= {"unit"}
    refused = set(data) - allowed
    if refused:
        raise HttpError(403, _("Bạn không được sửa: %s.") % ", ".join(sorted(refused)))
    current = {
        name: getattr(entity, name)
        for name in form_class.Meta.fields
        if name not in ("unit", "cooperative", "household_code", "accounts")
    }
    if manage:
        current |= {
            "unit": entity.unit.code,
            "cooperative": entity.cooperative_id,
            "household_code": entity.household.code if entity.household_id else "",
            "accounts": list(entity.accounts.values_list("pk", flat=True)),
        }
        form = EntityForm(
            _entity_data({**current, **data}, request.user),
            user=request.user,
            instance=entity,
        )
    else:
        form = ProducerEntityForm(_blank_nulls({**current, **data}), instance=entity)
    if not form.is_valid():
        return Status(422, _invalid(form))
    try:
        update_entity(entity, by=request.user, **form.service_fields())
    except OcopError as error:
        return Status(422, {"detail": str(error)})
    return Status(200, _entity(entity, private=True))


# -- products -----------------------------------------------------------------------


@router.get("/products", response=list[ProductOut], summary="Sản phẩm OCOP")
@decorate_view(shared_page)
def product_list(
    request, q: str = "", group: str = "", entity: int | None = None, page: int = 1
):
    products = _products().order_by("name", "pk")
    if q:
        products = products.matching(q)
    if group:
        products = products.filter(group=group)
    if entity:
        products = products.filter(entity_id=entity)
    start = (max(page, 1) - 1) * PAGE_SIZE
    return [_product(p) for p in products[start : start + PAGE_SIZE]]


@router.get(
    "/products/{int:product_id}",
    response={200: ProductOut, 404: Message},
    summary="Một sản phẩm: hạng sao và hiệu lực giấy chứng nhận",
)
@decorate_view(shared_page)
def product_detail(request, product_id: int):
    return _product(get_object_or_404(_products(), pk=product_id))


@router.post(
    "/entities/{int:entity_id}/products",
    auth=WRITE,
    response={201: ProductOut, 403: Message, 404: Message, 422: Invalid},
    summary="Thêm sản phẩm của chủ thể",
)
def product_create(request, entity_id: int, payload: ProductIn):
    entity = get_object_or_404(_entities(), pk=entity_id)
    if not can_add_product(request.user, entity):
        raise HttpError(403, _("Bạn không có quyền thêm sản phẩm cho chủ thể này."))
    form = ProductForm(_blank_nulls(payload.dict(exclude_unset=True)))
    if not form.is_valid():
        return Status(422, _invalid(form))
    try:
        product = create_product(entity=entity, by=request.user, **form.cleaned_data)
    except OcopError as error:
        return Status(422, {"detail": str(error)})
    return Status(201, _product(get_object_or_404(_products(), pk=product.pk)))


@router.patch(
    "/products/{int:product_id}",
    auth=WRITE,
    response={200: ProductOut, 403: Message, 404: Message, 422: Invalid},
    summary="Sửa sản phẩm",
)
def product_update(request, product_id: int, payload: ProductIn):
    product = get_object_or_404(_products(), pk=product_id)
    if not can_edit_product(request.user, product):
        raise HttpError(403, _("Bạn không có quyền sửa sản phẩm này."))
    current = {name: getattr(product, name) for name in ProductForm.Meta.fields}
    form = ProductForm(
        _blank_nulls({**current, **payload.dict(exclude_unset=True)}),
        instance=product,
    )
    if not form.is_valid():
        return Status(422, _invalid(form))
    try:
        update_product(product, by=request.user, **form.cleaned_data)
    except OcopError as error:
        return Status(422, {"detail": str(error)})
    return Status(200, _product(get_object_or_404(_products(), pk=product.pk)))


# -- evaluations --------------------------------------------------------------------


@router.get(
    "/evaluations",
    response=list[EvaluationOut],
    summary="Kết quả đánh giá (công khai: đã cấp giấy chứng nhận)",
)
def evaluation_list(request, product: int | None = None, year: int | None = None):
    evaluations = _readable(request.user)
    if product:
        evaluations = evaluations.filter(product_id=product)
    if year:
        evaluations = evaluations.filter(round__year=year)
    return [_evaluation(e) for e in evaluations[:1000]]


@router.get(
    "/evaluations/{int:evaluation_id}",
    response={200: EvaluationDetailOut, 404: Message},
    summary="Một kết quả đánh giá với điểm từng tiêu chí",
)
def evaluation_detail(request, evaluation_id: int):
    evaluation = get_object_or_404(_readable(request.user), pk=evaluation_id)
    given = {s.criterion_id: s.points for s in evaluation.scores.all()}
    scores = [
        {
            "criterion_id": c.pk,
            "number": c.number,
            "name": c.name,
            "max_points": c.max_points,
            "confirmed": c.confirmed,
            "points": given.get(c.pk),
        }
        for part in evaluation.sheet.parts.prefetch_related("criteria")
        for c in part.criteria.all()
    ]
    return {**_evaluation(evaluation), "sheet": str(evaluation.sheet), "scores": scores}


@router.post(
    "/evaluations/{int:evaluation_id}/score",
    auth=WRITE,
    response={200: EvaluationOut, 403: Message, 404: Message, 422: Invalid},
    summary="Chấm điểm cả phiếu (hội đồng)",
)
def evaluation_score(request, evaluation_id: int, payload: ScoreIn):
    return _transition(
        request,
        evaluation_id,
        "score",
        lambda e: score_evaluation(e, points=payload.points, by=request.user),
    )


@router.post(
    "/evaluations/{int:evaluation_id}/approve",
    auth=WRITE,
    response={200: EvaluationOut, 403: Message, 404: Message, 422: Invalid},
    summary="Duyệt kết quả (Phòng NN-PTNT)",
)
def evaluation_approve(request, evaluation_id: int):
    return _transition(
        request,
        evaluation_id,
        "approve",
        lambda e: approve_evaluation(e, by=request.user),
    )


@router.post(
    "/evaluations/{int:evaluation_id}/send-back",
    auth=WRITE,
    response={200: EvaluationOut, 403: Message, 404: Message, 422: Invalid},
    summary="Trả lại để chấm lại (Phòng NN-PTNT)",
)
def evaluation_send_back(request, evaluation_id: int, payload: SendBackIn):
    return _transition(
        request,
        evaluation_id,
        "send_back",
        lambda e: send_back_evaluation(e, reason=payload.reason, by=request.user),
    )


@router.post(
    "/evaluations/{int:evaluation_id}/certify",
    auth=WRITE,
    response={200: EvaluationOut, 403: Message, 404: Message, 422: Invalid},
    summary="Ghi nhận giấy chứng nhận (Phòng NN-PTNT)",
)
def evaluation_certify(request, evaluation_id: int, payload: CertifyIn):
    return _transition(
        request,
        evaluation_id,
        "certify",
        lambda e: certify_evaluation(
            e,
            number=payload.number,
            certificate_date=payload.certificate_date,
            by=request.user,
        ),
    )


# -- sales channels -----------------------------------------------------------------


@router.get("/sales-channels", response=list[ChannelOut], summary="Kênh bán hàng")
def channel_list(request, entity: int | None = None, live: bool = False):
    channels = SalesChannel.objects.select_related("platform").order_by(
        "entity_id", "-listed_from", "pk"
    )
    if entity:
        channels = channels.filter(entity_id=entity)
    if live:
        channels = channels.live_on(timezone.localdate())
    return [_channel(c) for c in channels[:1000]]


@router.post(
    "/entities/{int:entity_id}/sales-channels",
    auth=WRITE,
    response={201: ChannelOut, 403: Message, 404: Message, 422: Invalid},
    summary="Ghi nhận kênh bán hàng",
)
def channel_create(request, entity_id: int, payload: ChannelIn):
    entity = get_object_or_404(_entities(), pk=entity_id)
    if not can_edit_channel(request.user, entity):
        raise HttpError(403, _("Bạn không có quyền ghi kênh bán hàng của chủ thể này."))
    form = SalesChannelForm(
        _channel_data(payload.dict(exclude_unset=True)), entity=entity
    )
    if not form.is_valid():
        return Status(422, _invalid(form))
    try:
        channel = create_sales_channel(
            entity=entity, by=request.user, **form.cleaned_data
        )
    except OcopError as error:
        return Status(422, {"detail": str(error)})
    return Status(201, _channel(channel))


@router.patch(
    "/sales-channels/{int:channel_id}",
    auth=WRITE,
    response={200: ChannelOut, 403: Message, 404: Message, 422: Invalid},
    summary="Sửa kênh bán hàng (kết thúc: ghi ngày kết thúc)",
)
def channel_update(request, channel_id: int, payload: ChannelIn):
    channel = get_object_or_404(
        SalesChannel.objects.select_related("entity__unit", "platform"), pk=channel_id
    )
    if not can_edit_channel(request.user, channel.entity):
        raise HttpError(403, _("Bạn không có quyền sửa kênh bán hàng này."))
    current = {
        "kind": channel.kind,
        "platform": channel.platform.name if channel.platform_id else None,
        "name": channel.name,
        "url": channel.url,
        "product_id": channel.product_id,
        "listed_from": channel.listed_from,
        "listed_to": channel.listed_to,
        "note": channel.note,
    }
    form = SalesChannelForm(
        _channel_data({**current, **payload.dict(exclude_unset=True)}),
        entity=channel.entity,
        instance=channel,
    )
    if not form.is_valid():
        return Status(422, _invalid(form))
    try:
        update_sales_channel(channel, by=request.user, **form.cleaned_data)
    except OcopError as error:
        return Status(422, {"detail": str(error)})
    return Status(200, _channel(channel))


# -- shapes -------------------------------------------------------------------------


def _entities():
    return Entity.objects.select_related("unit", "household", "cooperative")


def _products():
    return Product.objects.with_certificate(timezone.localdate()).select_related(
        "entity"
    )


def _readable(user):
    paths = [*evaluation_reader_paths(user), *office_paths(user)]
    return (
        Evaluation.objects.readable(paths, user)
        .select_related("product", "round", "sheet")
        .order_by("-round__held_on", "product__name", "pk")
    )


def _entity(entity, *, private=False):
    phone, email, website = entity.public_contact
    shape = {
        "id": entity.pk,
        "code": entity.code,
        "name": entity.name,
        "kind": entity.kind,
        "kind_label": entity.get_kind_display(),
        "unit": {"code": entity.unit.code, "name": entity.unit.name},
        "address": entity.address if private else entity.public_address,
        "contact_phone": entity.contact_phone if private else phone,
        "contact_email": entity.contact_email if private else email,
        "website": website,
        "gs1_company_prefix": entity.gs1_company_prefix,
        "gln": entity.gln,
        "is_active": entity.is_active,
        "is_demo": entity.is_demo,
    }
    if private:
        shape |= {
            "representative": entity.representative,
            "representative_phone": entity.representative_phone,
            "household_code": entity.household.code if entity.household_id else None,
            "cooperative_code": entity.cooperative.code
            if entity.cooperative_id
            else None,
        }
    return shape


def _product(product):
    return {
        "id": product.pk,
        "name": product.name,
        "group": product.group,
        "group_label": product.get_group_display(),
        "description": product.description,
        "gtin": product.gtin,
        "entity_id": product.entity_id,
        "entity_name": product.entity.name,
        "stars": product.current_stars,
        "certificate_valid_until": product.current_valid_until,
        "is_active": product.is_active,
        "is_demo": product.is_demo,
    }


def _evaluation(evaluation):
    return {
        "id": evaluation.pk,
        "product_id": evaluation.product_id,
        "product_name": evaluation.product.name,
        "round": evaluation.round.name,
        "council_level": evaluation.round.council_level,
        "status": evaluation.status,
        "status_label": evaluation.get_status_display(),
        "total": evaluation.total,
        "stars": evaluation.stars,
        "certificate_number": evaluation.certificate_number,
        "certificate_date": evaluation.certificate_date,
        "valid_until": evaluation.valid_until,
        "is_expired": evaluation.is_expired_on(timezone.localdate()),
        "is_demo": evaluation.is_demo,
    }


def _channel(channel):
    return {
        "id": channel.pk,
        "entity_id": channel.entity_id,
        "product_id": channel.product_id,
        "kind": channel.kind,
        "kind_label": channel.get_kind_display(),
        "platform": channel.platform.name if channel.platform_id else None,
        "name": channel.name,
        "url": channel.url,
        "listed_from": channel.listed_from,
        "listed_to": channel.listed_to,
        "is_live": channel.is_live_on(timezone.localdate()),
        "is_demo": channel.is_demo,
    }


def _transition(request, evaluation_id, action, run):
    evaluation = get_object_or_404(
        Evaluation.objects.select_related("product__entity__unit", "round", "sheet"),
        pk=evaluation_id,
    )
    if action not in allowed_actions(request.user, evaluation):
        raise HttpError(403, _("Bạn không có quyền thực hiện thao tác này."))
    try:
        run(evaluation)
    except OcopError as error:
        return Status(422, {"detail": str(error)})
    return Status(200, _evaluation(evaluation))


def _blank_nulls(data):
    # A null clears a field, as an empty input does on the page.
    return {key: "" if value is None else value for key, value in data.items()}


def _entity_data(data, user):
    """API input as the page form takes it: the unit by its code.

    A unit that exists but that the user does not keep answers 403, as the
    pages do, rather than a validation error.
    """
    data = _blank_nulls(data)
    code = data.get("unit")
    if code:
        unit = (
            Unit.objects.filter(code=code, level__in=ENTITY_UNIT_LEVELS)
            .order_by(F("valid_from").desc(nulls_last=True))
            .first()
        )
        if unit is not None and not can_keep_unit(user, unit):
            raise HttpError(403, _("Bạn không có quyền ghi dữ liệu của đơn vị này."))
        data["unit"] = unit.pk if unit else ""
    return data


def _channel_data(data):
    """Platform by name and product by id, as the page form takes them."""
    data = _blank_nulls(data)
    name = data.pop("platform", "")
    if name:
        platform = EcommercePlatform.objects.filter(name__iexact=name).first()
        data["platform"] = platform.pk if platform else name
    data["product"] = data.pop("product_id", "")
    return data


def _invalid(form):
    errors = {
        field: [str(m) for m in messages] for field, messages in form.errors.items()
    }
    return {"detail": _("Dữ liệu chưa hợp lệ."), "errors": errors}
