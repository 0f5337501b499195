"""/api/v1/households: the register for other systems and scripts.

A session (writes need the CSRF token like the pages do) or an API key with the
``write:households`` scope (ntm.accounts.apiauth). A household outside the
user's villages answers 404 whatever the method, as one that does not exist (a
403 would disclose it); one the user sees but may not change answers 403. Input
goes through the same form and services as the pages.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from ntm.accounts.apiauth import api_auth
from ntm.accounts.permissions import can_edit_households
from ntm.core.apipages import PAGE, SIZE, page_of
from ntm.core.links import public_url
from ntm.units.api import ON, day_of
from ntm.units.models import Unit, today

from .addresses import public_address
from .forms import HOUSEHOLD_FORM_FIELDS, HouseholdForm
from .models import EcommercePlatform, Household
from .queries import villages_of
from .services import (
    HouseholdError,
    create_household,
    delete_household,
    update_household,
)

router = Router(tags=["households"], auth=api_auth("households"))


class HouseholdOut(Schema):
    code: str
    village: str
    village_name: str
    head_name: str
    members: int
    phone: str
    address: str
    address_code: str | None
    lat: Decimal | None
    lon: Decimal | None
    has_fibre: bool
    smartphones: int
    health_app_members: int
    is_business: bool
    # None for a past day (``on``): the register's versions do not keep them.
    ecommerce_platforms: list[str] | None
    uses_traceability: bool
    water_source: str
    is_demo: bool
    updated_at: datetime.datetime

    @staticmethod
    def resolve_village(household):
        return household.village.code

    @staticmethod
    def resolve_village_name(household):
        return household.village.name

    @staticmethod
    def resolve_ecommerce_platforms(household):
        if not hasattr(household, "ecommerce_platforms"):
            return None
        return [platform.name for platform in household.ecommerce_platforms.all()]

    @staticmethod
    def resolve_updated_at(household):
        # A version of a past day: when it was recorded.
        return getattr(household, "history_date", None) or household.updated_at


class HouseholdPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[HouseholdOut]


class HouseholdIn(Schema):
    """Every field optional: POST needs what the form requires, PATCH any."""

    code: str | None = None
    village: str | None = None
    head_name: str | None = None
    members: int | None = None
    phone: str | None = None
    address: str | None = None
    address_code: str | None = None
    lat: Decimal | None = None
    lon: Decimal | None = None
    has_fibre: bool | None = None
    smartphones: int | None = None
    health_app_members: int | None = None
    is_business: bool | None = None
    ecommerce_platforms: list[str] | None = None
    uses_traceability: bool | None = None
    water_source: str | None = None


class Invalid(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class Message(Schema):
    detail: str


@router.get(
    "", response=HouseholdPage, summary="Hộ gia đình trong các thôn của người gọi"
)
def list_households(
    request,
    village: str = "",
    q: str = "",
    on: str | None = ON,
    page: int = PAGE,
    page_size: int = SIZE,
):
    day = day_of(on)
    past = day < today()
    if past:
        # The register as of ``on``: each household's version of that day.
        households = (
            Household.history.followed_on(day)
            .visible_to(request.user)
            .order_by("village__sort_key", "code")
        )
    else:
        households = Household.objects.visible_to(request.user)
    if village:
        unit = Unit.objects.villages().valid_on(day).filter(code=village).first()
        allowed = villages_of(request.user, on=day if past else None)
        if unit is None or not allowed.filter(pk=unit.pk).exists():
            raise HttpError(403, _("Bạn không có quyền xem thôn này."))
        households = households.in_unit(unit)
    if q:
        households = households.matching(q)
    households = households.select_related("village")
    if not past:
        households = households.prefetch_related("ecommerce_platforms")
    return page_of(households, page, page_size)


@router.get("/{code}", response={200: HouseholdOut, 404: Message})
def get_household(request, code: str):
    return _visible(request, code)


@router.post("", response={201: HouseholdOut, 403: Message, 422: Invalid})
def create(request, payload: HouseholdIn):
    # Unset fields take the model's defaults, as a fresh page form shows them.
    defaults = {
        name: Household._meta.get_field(name).get_default()
        for name in ("members", "smartphones", "health_app_members")
    }
    form = _bound_form(request, {**defaults, **payload.dict(exclude_unset=True)})
    if not form.is_valid():
        return Status(422, _invalid(form))
    try:
        household = create_household(
            code=form.cleaned_data["code"], by=request.user, **form.service_fields()
        )
    except HouseholdError as error:
        return Status(422, {"detail": str(error)})
    return Status(201, household)


@router.patch(
    "/{code}", response={200: HouseholdOut, 403: Message, 404: Message, 422: Invalid}
)
def update(request, code: str, payload: HouseholdIn):
    household = _visible(request, code)
    if not can_edit_households(request.user, household.village):
        raise HttpError(403, _("Bạn không có quyền sửa hộ này."))
    data = payload.dict(exclude_unset=True)
    if data.pop("code", household.code) != household.code:
        return Status(422, {"detail": _("Không thể đổi mã hộ."), "errors": {}})
    current = model_to_dict(household, fields=HOUSEHOLD_FORM_FIELDS)
    current["village"] = household.village.code
    current["ecommerce_platforms"] = [p.name for p in current["ecommerce_platforms"]]
    form = _bound_form(request, {**current, **data}, instance=household)
    if not form.is_valid():
        return Status(422, _invalid(form))
    try:
        update_household(household, by=request.user, **form.service_fields())
    except HouseholdError as error:
        return Status(422, {"detail": str(error)})
    return Status(200, household)


@router.delete(
    "/{code}", response={204: None, 403: Message, 404: Message, 409: Message}
)
def delete(request, code: str):
    household = _visible(request, code)
    if not can_edit_households(request.user, household.village):
        raise HttpError(403, _("Bạn không có quyền xóa hộ này."))
    try:
        delete_household(household, by=request.user)
    except HouseholdError as error:
        # Answered a survey: kept, and the message says what to do instead.
        return Status(409, {"detail": str(error)})
    return Status(204, None)


def _visible(request, code):
    return get_object_or_404(
        Household.objects.visible_to(request.user)
        .select_related("village")
        .prefetch_related("ecommerce_platforms"),
        code=code,
    )


def _bound_form(request, data, instance=None):
    """The page form bound to API input: codes and names become choices.

    A village that exists but is not the user's answers 403 rather than a
    validation error, as the pages do.
    """
    # A null clears a field, as an empty input does on the page.
    data = {key: "" if value is None else value for key, value in data.items()}
    village_code = data.get("village")
    if village_code:
        editable = villages_of(request.user, editable=True)
        village = editable.filter(code=village_code).first()
        if village is None:
            if Unit.objects.villages().valid_on().filter(code=village_code).exists():
                raise HttpError(403, _("Bạn không có quyền ghi dữ liệu của thôn này."))
            data["village"] = ""
        else:
            data["village"] = village.pk
    names = data.pop("ecommerce_platforms", None) or []
    platforms = {p.name.casefold(): p.pk for p in EcommercePlatform.objects.all()}
    data["ecommerce_platforms"] = [platforms.get(n.casefold(), n) for n in names]
    return HouseholdForm(data, user=request.user, instance=instance)


def _invalid(form):
    errors = {
        field: [str(m) for m in messages] for field, messages in form.errors.items()
    }
    return {"detail": _("Dữ liệu chưa hợp lệ."), "errors": errors}


# -- /api/v1/addresses: digital addresses, open to all -------------------------

addresses = Router(tags=["addresses"], auth=api_auth("households", optional=True))


class AddressOut(Schema):
    """A digital address as anyone may read it: a household's names no one
    and is placed at its village's centre (``approximate``)."""

    code: str
    kind: str
    name: str
    village: str
    village_code: str
    commune: str
    commune_code: str
    lat: Decimal | None
    lon: Decimal | None
    approximate: bool
    url: str


@addresses.get(
    "/{code}",
    response={200: AddressOut, 404: Message},
    summary="Tra cứu một mã địa chỉ số",
)
def get_address(request, code: str):
    found = public_address(code)
    if found is None:
        raise Http404
    return {
        **found,
        "url": public_url(
            request,
            reverse("addresses:address-page", args=[code]),
            settings.ADDRESS_BASE_URL,
        ),
    }
