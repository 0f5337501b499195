"""/api/v1/knowledge: trainings and who took part; the know-how library.

Participants are personal data: like the pages, every operation needs a
staff role (``keeper_paths``), trainings are those organised within the
caller's units or that their own people were invited to, and participants
are only those ``visible_participations`` allows. Writes take a session
(with the CSRF token) or an API key with ``write:knowledge``, and go
through the page form and services. The library's published guides are
public (they name the publishing unit, never a person).
"""

import datetime
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from ntm.accounts.apiauth import api_auth
from ntm.core.apipages import PAGE, SIZE, page_of
from ntm.units.models import Unit

from .forms import GuideFilterForm, TrainingForm, units_of
from .models import Guide, Training
from .permissions import (
    can_create_training,
    can_edit_training,
    can_read_guide,
    can_view_roster,
    can_view_training,
    keeper_paths,
    visible_participations,
)
from .services import KnowledgeError, create_training, update_training

router = Router(tags=["knowledge"], auth=api_auth("knowledge"))


class Message(Schema):
    detail: str


class Invalid(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class UnitRef(Schema):
    code: str
    name: str


class TrainingOut(Schema):
    id: int
    title: str
    topic: str
    level: str
    audience: str
    organiser: UnitRef
    held_on: datetime.date
    place: str
    hours: Decimal | None
    note: str
    invited: int
    unlisted_attendees: int
    present: int


class ParticipantOut(Schema):
    name: str
    role: str
    unit: str
    staff_code: str | None
    attended: bool


class TrainingDetailOut(TrainingOut):
    participants: list[ParticipantOut]


class TrainingPage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[TrainingOut]


class TrainingIn(Schema):
    """Every field optional: POST needs what the form requires, PATCH any."""

    title: str | None = None
    topic: str | None = None
    level: str | None = None
    audience: str | None = None
    organiser: str | None = None
    held_on: datetime.date | None = None
    place: str | None = None
    hours: Decimal | None = None
    unlisted_attendees: int | None = None
    note: str | None = None


def _counted(trainings):
    return trainings.select_related("organiser").with_attendance()


def _out(training):
    return {
        "id": training.pk,
        "title": training.title,
        "topic": training.topic,
        "level": training.level,
        "audience": training.audience,
        "organiser": {"code": training.organiser.code, "name": training.organiser.name},
        "held_on": training.held_on,
        "place": training.place,
        "hours": training.hours,
        "note": training.note,
        "invited": training.invited,
        "unlisted_attendees": training.unlisted_attendees,
        "present": training.present,
    }


def _staff_only(request):
    if not can_view_roster(request.user):
        raise HttpError(403, _("Chỉ cán bộ có vai trò mới xem được lớp tập huấn."))


@router.get(
    "/trainings",
    response={200: TrainingPage, 403: Message},
    summary="Lớp tập huấn trong các đơn vị của người gọi (số người, không tên)",
)
def list_trainings(
    request,
    year: int | None = Query(None, description="Năm tổ chức"),
    topic: str | None = Query(None, description="digital hoặc other"),
    audience: str | None = Query(None, description="officials, residents, businesses"),
    page: int = PAGE,
    page_size: int = SIZE,
):
    _staff_only(request)
    trainings = Training.objects.seen_within(keeper_paths(request.user))
    if year:
        trainings = trainings.of_year(year)
    if topic:
        trainings = trainings.filter(topic=topic)
    if audience:
        trainings = trainings.filter(audience=audience)
    trainings = _counted(trainings).order_by("-held_on", "title", "pk")
    return page_of(trainings, page, page_size, out=_out)


@router.get(
    "/trainings/{int:training_id}",
    response={200: TrainingDetailOut, 403: Message, 404: Message},
    summary="Một lớp tập huấn với những người tham gia mà người gọi được xem",
)
def get_training(request, training_id: int):
    _staff_only(request)
    training = get_object_or_404(_counted(Training.objects), pk=training_id)
    if not can_view_training(request.user, training):
        raise Http404
    participations = visible_participations(request.user, training).select_related(
        "staff__unit"
    )
    return {
        **_out(training),
        "participants": [
            {
                "name": p.display_name,
                "role": p.staff.position if p.staff_id else p.role,
                "unit": p.staff.unit.name if p.staff_id else p.unit_name,
                "staff_code": p.staff.code if p.staff_id else None,
                "attended": p.attended,
            }
            for p in participations
        ],
    }


@router.post(
    "/trainings",
    response={201: TrainingOut, 403: Message, 422: Invalid},
    summary="Ghi một lớp tập huấn",
)
def create(request, payload: TrainingIn):
    if not can_create_training(request.user):
        raise HttpError(403, _("Bạn không có quyền thêm lớp tập huấn."))
    defaults = {"topic": Training.Topic.DIGITAL, "level": Training.Level.DISTRICT}
    form = _bound_form(request, {**defaults, **payload.dict(exclude_unset=True)})
    if not form.is_valid():
        return Status(422, _invalid(form))
    try:
        training = create_training(by=request.user, **form.cleaned_data)
    except KnowledgeError as error:
        return Status(422, {"detail": str(error)})
    return Status(201, _out(_counted(Training.objects).get(pk=training.pk)))


@router.patch(
    "/trainings/{int:training_id}",
    response={200: TrainingOut, 403: Message, 404: Message, 422: Invalid},
    summary="Sửa một lớp tập huấn",
)
def update(request, training_id: int, payload: TrainingIn):
    _staff_only(request)
    training = get_object_or_404(
        Training.objects.select_related("organiser"), pk=training_id
    )
    if not can_view_training(request.user, training):
        raise Http404
    if not can_edit_training(request.user, training):
        raise HttpError(403, _("Bạn không có quyền sửa lớp tập huấn này."))
    current = {name: getattr(training, name) for name in TrainingForm._meta.fields}
    current["organiser"] = training.organiser.code
    data = {**current, **payload.dict(exclude_unset=True)}
    form = _bound_form(request, data, instance=training)
    if not form.is_valid():
        return Status(422, _invalid(form))
    try:
        update_training(training, by=request.user, **form.cleaned_data)
    except KnowledgeError as error:
        return Status(422, {"detail": str(error)})
    return Status(200, _out(_counted(Training.objects).get(pk=training.pk)))


def _bound_form(request, data, instance=None):
    """The page form bound to API input; the organiser is a unit code, read
    on the training's day (codes are reused across reorganisations)."""
    data = {key: "" if value is None else value for key, value in data.items()}
    code = data.get("organiser")
    if code:
        candidates = units_of(request.user, Unit.Level.DISTRICT, Unit.Level.COMMUNE)
        candidates = candidates.filter(code=code).order_by("-valid_from")
        day = data.get("held_on") or None
        if isinstance(day, datetime.date):
            candidates = candidates.valid_on(day) or candidates
        organiser = candidates.first()
        if organiser is None:
            raise HttpError(403, _("Bạn không ghi lớp tập huấn cho đơn vị này."))
        data["organiser"] = organiser.pk
    return TrainingForm(data, user=request.user, instance=instance)


def _invalid(form):
    errors = {
        field: [str(m) for m in messages] for field, messages in form.errors.items()
    }
    return {"detail": _("Dữ liệu chưa hợp lệ."), "errors": errors}


class GuideOut(Schema):
    id: int
    title: str
    kind: str
    field: str
    subject: str
    season: str
    summary: str
    publisher: UnitRef
    published: bool
    created_at: datetime.datetime
    file_url: str | None
    video_url: str
    downloads: int
    is_demo: bool


class GuideDetailOut(GuideOut):
    body: str


class GuidePage(Schema):
    count: int
    page: int
    pages: int
    page_size: int
    results: list[GuideOut]


def _guide_out(guide):
    return {
        "id": guide.pk,
        "title": guide.title,
        "kind": guide.kind,
        "field": guide.field,
        "subject": guide.subject,
        "season": guide.season,
        "summary": guide.summary,
        "publisher": {"code": guide.publisher.code, "name": guide.publisher.name},
        "published": guide.is_published,
        "created_at": guide.created_at,
        "file_url": reverse("library:guide-download", args=[guide.pk])
        if guide.file
        else None,
        "video_url": guide.video_url,
        "downloads": guide.downloads,
        "is_demo": guide.is_demo,
    }


@router.get(
    "/guides",
    response=GuidePage,
    auth=api_auth(optional=True),
    summary="Thư viện kiến thức: tài liệu công khai, tìm không dấu, phù hợp nhất trước",
)
def list_guides(
    request,
    q: str | None = Query(None, description="Từ khóa, có dấu hay không dấu"),
    field: str | None = Query(None, description="Lĩnh vực (crops, livestock…)"),
    kind: str | None = Query(None, description="document, video, image, model"),
    season: str | None = Query(None, description="winter_spring, summer_autumn…"),
    page: int = PAGE,
    page_size: int = SIZE,
):
    form = GuideFilterForm({"q": q, "field": field, "kind": kind, "season": season})
    if not form.is_valid():
        raise HttpError(422, _("Tham số lọc không hợp lệ."))
    guides = form.apply(
        Guide.objects.readable_by(keeper_paths(request.user)).select_related(
            "publisher"
        )
    ).defer("body", "search_body", "publisher__boundary")
    return page_of(guides, page, page_size, out=_guide_out)


@router.get(
    "/guides/{int:guide_id}",
    response={200: GuideDetailOut, 404: Message},
    auth=api_auth(optional=True),
    summary="Một tài liệu của thư viện kiến thức",
)
def get_guide(request, guide_id: int):
    guide = get_object_or_404(Guide.objects.select_related("publisher"), pk=guide_id)
    if not can_read_guide(request.user, guide):
        raise Http404
    return {**_guide_out(guide), "body": guide.body}
