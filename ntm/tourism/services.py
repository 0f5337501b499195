"""Writes of rural tourism: sites, photos, routes, assessments.

Every write checks that its map point lies inside the unit's boundary (the
households' rule, ``validation.MapArea``) and is written to the audit log.
Who may write for a unit is the caller's question (``permissions``).
"""

import datetime
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ntm.core.audit import log_action
from ntm.core.changes import refuse_unknown
from ntm.core.uploads import RULES, check_upload
from ntm.households.validation import MapArea, check_plain_text, clean_phone
from ntm.units.models import Unit

from . import scoring
from .models import Assessment, Photo, Route, RouteStop, Site

SITE_FIELDS = [
    "code",
    "kind",
    "name",
    "name_en",
    "description",
    "description_en",
    "unit",
    "lat",
    "lon",
    "address_code",
    "opening_hours",
    "opening_hours_en",
    "price",
    "price_en",
    "business_name",
    "business_phone",
    "business_email",
    "website",
    "ocop_product",
    "is_published",
    "is_demo",
]


class TourismError(Exception):
    """A write refused, with the Vietnamese reason."""


def check_site_point(unit, lat, lon, *, area=None):
    """Raise TourismError unless (lat, lon) lies inside ``unit``'s commune.

    A village's point is checked against its commune (as households are);
    a commune's or the district's against its own boundary.
    """
    if lat is None and lon is None:
        return
    holder = (
        unit if unit.level == Unit.Level.VILLAGE else SimpleNamespace(parent_id=unit.pk)
    )
    try:
        (area or MapArea()).check(holder, lat, lon)
    except ValidationError as error:
        raise TourismError(" ".join(error.messages)) from error


def _check_site(site, *, area=None):
    if not site.name or not site.code or not site.kind:
        raise TourismError(_("Mã, loại và tên điểm du lịch là bắt buộc."))
    for field in ("name", "name_en", "business_name", "opening_hours", "price"):
        try:
            check_plain_text(
                getattr(site, field),
                label=str(Site._meta.get_field(field).verbose_name),
            )
        except ValidationError as error:
            raise TourismError(" ".join(error.messages)) from error
    try:
        site.business_phone = clean_phone(site.business_phone)
    except ValidationError as error:
        raise TourismError(" ".join(error.messages)) from error
    if site.ocop_product_id and site.ocop_product.group != "du_lich":
        raise TourismError(_("Chỉ liên kết được sản phẩm OCOP nhóm dịch vụ du lịch."))
    check_site_point(site.unit, site.lat, site.lon, area=area)
    if Site.objects.exclude(pk=site.pk).filter(code=site.code).exists():
        raise TourismError(_("Mã điểm %(code)s đã được dùng.") % {"code": site.code})


@transaction.atomic
def create_site(*, by, area=None, **fields):
    refuse_unknown(fields, SITE_FIELDS)
    site = Site(**fields)
    _check_site(site, area=area)
    site.save()
    log_action(site, "tourism.site.created", by=by, data={"name": site.name})
    return site


@transaction.atomic
def update_site(site, *, by, area=None, **fields):
    refuse_unknown(fields, SITE_FIELDS)
    changed = {k: v for k, v in fields.items() if getattr(site, k) != v}
    if not changed:
        return site
    for key, value in changed.items():
        setattr(site, key, value)
    _check_site(site, area=area)
    site.save()
    log_action(
        site,
        "tourism.site.updated",
        by=by,
        data={"fields": sorted(changed)},
    )
    return site


@transaction.atomic
def add_photo(site, *, image, by, caption="", caption_en="", is_panorama=False):
    """A photo or a 360° panorama of ``site``, checked as every upload."""
    check_upload(image, RULES["photo"], error=TourismError)
    order = site.photos.count()
    photo = Photo.objects.create(
        site=site,
        image=image,
        caption=caption,
        caption_en=caption_en,
        is_panorama=is_panorama,
        order=order,
    )
    log_action(
        site,
        "tourism.photo.added",
        by=by,
        data={"note": "360°" if is_panorama else caption},
    )
    return photo


@transaction.atomic
def create_route(*, code, name, unit, sites, by, **fields):
    """A route through ``sites`` in the order given (each once)."""
    refuse_unknown(fields, ["name_en", "description", "description_en", "is_demo"])
    if len({s.pk for s in sites}) != len(sites) or len(sites) < 2:
        raise TourismError(_("Một tuyến đi qua ít nhất hai điểm, mỗi điểm một lần."))
    route = Route.objects.create(code=code, name=name, unit=unit, **fields)
    RouteStop.objects.bulk_create(
        RouteStop(route=route, site=site, order=number)
        for number, site in enumerate(sites, start=1)
    )
    log_action(route, "tourism.route.created", by=by, data={"name": name})
    return route


@transaction.atomic
def record_assessment(site, *, scores, by, assessed_on=None, sheet=None):
    """Score ``site`` on ``sheet`` (the current one by default)."""
    sheet = sheet or scoring.current_sheet()
    try:
        total = scoring.total_of(sheet, scores)
    except ValueError as error:
        raise TourismError(str(error)) from error
    assessment = Assessment.objects.create(
        site=site,
        sheet_code=sheet.code,
        sheet_version=sheet.version,
        scores={k: float(v) for k, v in scores.items()},
        total=total,
        assessed_on=assessed_on or datetime.date.today(),
    )
    log_action(
        site,
        "tourism.assessment.recorded",
        by=by,
        data={"note": f"{sheet.code} v{sheet.version}: {total}"},
    )
    return assessment
