"""/api/v1/cooperatives: the cooperative register.

Cooperatives are organisations: anyone reads names, communes, members,
products and technologies; the representative and phone only staff of the
commune or above (``can_view_private``). Writes take a session (with the
CSRF token) or an API key with ``write:cooperatives``, the keeper's role on
the commune, and the same form and services as the pages.
"""

import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from ntm.accounts.apiauth import api_auth
from ntm.core.apipages import PAGE, SIZE, page_of
from ntm.units.models import Unit
from ntm.units.scope import covers

from .forms import CooperativeForm, communes_kept_by
from .models import Cooperative, DigitalTechnology
from .permissions import can_create_cooperative, can_edit_cooperative, viewer_paths
from .services import CooperativeError, create_cooperative, update_cooperative

router = Router(tags=["cooperatives"], auth=api_auth("cooperatives", optional=True))
WRITE = api_auth("cooperatives")


class Message(Schema):
    detail: str


class Invalid(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class CommuneRef(Schema):
    code: str
    name: str


class CooperativeOut(Schema):
    code: str
    name: str
    commune: CommuneRef
    founded_on: datetime.date | None
    members: int
    main_products: str
    applies_digital_technology: bool
    # The dates targets 6 and 7 count by (the flags say today's state).
    digital_since: datetime.date | None
    digital_until: datetime.date | None
    technologies: list[str]
    is_active: bool
    dissolved_on: datetime.date | None
    # Staff of the commune or above only; null for everyone else.
    representative: str | None
    phone: str | None


class CooperativePage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[CooperativeOut]


class CooperativeIn(Schema):
    """Every field optional: POST needs what the form requires, PATCH any."""

    code: str | None = None
    name: str | None = None
    commune: str | None = None
    founded_on: datetime.date | None = None
    members: int | None = None
    main_products: str | None = None
    applies_digital_technology: bool | None = None
    digital_since: datetime.date | None = None
    digital_until: datetime.date | None = None
    technologies: list[str] | None = None
    representative: str | None = None
    phone: str | None = None
    is_active: bool | None = None
    dissolved_on: datetime.date | None = None


def _rows():
    return Cooperative.objects.select_related("commune").prefetch_related(
        "technologies"
    )


def _out(cooperative, private_paths):
    private = covers(private_paths, cooperative.commune, lineage=True)
    return {
        "code": cooperative.code,
        "name": cooperative.name,
        "commune": {"code": cooperative.commune.code, "name": cooperative.commune.name},
        "founded_on": cooperative.founded_on,
        "members": cooperative.members,
        "main_products": cooperative.main_products,
        "applies_digital_technology": cooperative.applies_digital_technology,
        "digital_since": cooperative.digital_since,
        "digital_until": cooperative.digital_until,
        "technologies": [t.code for t in cooperative.technologies.all()],
        "is_active": cooperative.is_active,
        "dissolved_on": cooperative.dissolved_on,
        "representative": cooperative.representative if private else None,
        "phone": cooperative.phone if private else None,
    }


@router.get(
    "",
    response={200: CooperativePage},
    summary="Hợp tác xã (lọc theo xã, tìm theo tên, mã, sản phẩm)",
)
def list_cooperatives(
    request,
    commune: str | None = Query(None, description="Mã xã (cả các xã cũ đã sáp nhập)"),
    q: str = Query("", description="Tên, mã hoặc sản phẩm, không cần dấu"),
    active: bool | None = Query(None, description="Đang hoạt động"),
    digital: bool | None = Query(None, description="Ứng dụng công nghệ số"),
    page: int = PAGE,
    page_size: int = SIZE,
):
    cooperatives = _rows()
    if commune:
        found = Unit.objects.communes().filter(code=commune).order_by("-valid_from")
        unit = found.first()
        cooperatives = cooperatives.in_commune(unit) if unit else cooperatives.none()
    if q:
        cooperatives = cooperatives.matching(q)
    if active is not None:
        cooperatives = cooperatives.filter(is_active=active)
    if digital is not None:
        cooperatives = cooperatives.filter(applies_digital_technology=digital)
    paths = viewer_paths(request.user)
    return page_of(
        cooperatives.order_by("name", "pk"),
        page,
        page_size,
        out=lambda c: _out(c, paths),
    )


@router.get(
    "/{code}",
    response={200: CooperativeOut, 404: Message},
    summary="Một hợp tác xã",
)
def get_cooperative(request, code: str):
    cooperative = get_object_or_404(_rows(), code=code)
    return _out(cooperative, viewer_paths(request.user))


@router.post(
    "",
    response={201: CooperativeOut, 403: Message, 422: Invalid},
    auth=WRITE,
    summary="Đăng ký một hợp tác xã",
)
def create(request, payload: CooperativeIn):
    if not can_create_cooperative(request.user):
        raise HttpError(403, _("Bạn không có quyền thêm hợp tác xã."))
    defaults = {"members": 0, "is_active": True, "applies_digital_technology": False}
    form = _bound_form(request, {**defaults, **payload.dict(exclude_unset=True)})
    if not form.is_valid():
        return Status(422, _invalid(form))
    try:
        cooperative = create_cooperative(by=request.user, **form.cleaned_data)
    except CooperativeError as error:
        return Status(422, {"detail": str(error)})
    return Status(201, _out(_rows().get(pk=cooperative.pk), viewer_paths(request.user)))


@router.patch(
    "/{code}",
    response={200: CooperativeOut, 403: Message, 404: Message, 422: Invalid},
    auth=WRITE,
    summary="Sửa một hợp tác xã",
)
def update(request, code: str, payload: CooperativeIn):
    cooperative = get_object_or_404(_rows(), code=code)
    if not can_edit_cooperative(request.user, cooperative):
        raise HttpError(403, _("Bạn không có quyền sửa hợp tác xã này."))
    current = {
        name: getattr(cooperative, name)
        for name in CooperativeForm._meta.fields
        if name not in ("commune", "technologies")
    }
    current["commune"] = cooperative.commune.code
    current["technologies"] = [t.code for t in cooperative.technologies.all()]
    form = _bound_form(
        request,
        {**current, **payload.dict(exclude_unset=True)},
        instance=cooperative,
    )
    if not form.is_valid():
        return Status(422, _invalid(form))
    try:
        update_cooperative(cooperative, by=request.user, **form.cleaned_data)
    except CooperativeError as error:
        return Status(422, {"detail": str(error)})
    return Status(200, _out(_rows().get(pk=cooperative.pk), viewer_paths(request.user)))


def _bound_form(request, data, instance=None):
    """The page form bound to API input: codes become choices.

    A commune the caller does not keep answers 403, as on the pages.
    """
    data = {key: "" if value is None else value for key, value in data.items()}
    code = data.get("commune")
    if code:
        kept = communes_kept_by(request.user).filter(code=code).first()
        if kept is None:
            raise HttpError(403, _("Bạn không giữ sổ hợp tác xã của xã này."))
        data["commune"] = kept.pk
    codes = data.pop("technologies", None) or []
    known = dict(DigitalTechnology.objects.values_list("code", "pk"))
    data["technologies"] = [known.get(c, c) for c in codes]
    for flag in ("applies_digital_technology", "is_active"):
        # A form checkbox is absent when false.
        if data.get(flag) in (False, ""):
            data.pop(flag, None)
    return CooperativeForm(data, user=request.user, instance=instance)


def _invalid(form):
    errors = {
        field: [str(m) for m in messages] for field, messages in form.errors.items()
    }
    return {"detail": _("Dữ liệu chưa hợp lệ."), "errors": errors}
