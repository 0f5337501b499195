"""Rural tourism pages: the public map, site, route and ranking pages (in
Vietnamese or English, read on a phone), and the keepers' forms, Excel
template, import and export."""

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ntm.core.publiccache import shared_page
from ntm.core.spreadsheets import ImportRefused, import_page, xlsx_response
from ntm.units.geometry import GeometryError
from ntm.units.models import Unit
from ntm.units.scope import within_paths

from . import exports, queries, scoring
from .forms import (
    AssessmentForm,
    MapFilterForm,
    PhotoForm,
    RouteForm,
    SiteForm,
    SiteLayerForm,
)
from .language import switch_url, visitor_language
from .models import Photo, Route, RouteStop, Site
from .permissions import can_assess_site, can_keep_site, can_keep_unit, keeper_paths
from .services import (
    TourismError,
    add_photo,
    create_route,
    create_site,
    record_assessment,
    update_site,
)


def _public(request, template, context):
    return render(
        request,
        template,
        {
            **context,
            "language": request.LANGUAGE_CODE,
            "switch_url": switch_url(request),
            "tile_url": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


@visitor_language
@shared_page
def site_map(request):
    form = MapFilterForm(request.GET)
    sites = form.apply(Site.objects.all())
    features = queries.site_features(sites)
    return _public(
        request,
        "tourism/site_map.html",
        {
            "features": queries.collection(features),
            "sites": sites.published().select_related("unit"),
            "routes": Route.objects.all(),
            "kinds": Site.Kind.choices,
            "form": form,
            "keeps_any": bool(keeper_paths(request.user)),
        },
    )


# Pannellum reads the panorama into a blob: URL before drawing it.
@csp_update({"img-src": ["blob:"]})
@visitor_language
@shared_page
def site_detail(request, code):
    site = get_object_or_404(
        Site.objects.published().select_related("unit__parent", "ocop_product"),
        code=code,
    )
    photos = list(site.photos.all())
    return _public(
        request,
        "tourism/site_detail.html",
        {
            "site": site,
            "features": queries.collection(
                queries.site_features(Site.objects.filter(pk=site.pk))
            ),
            "photos": [p for p in photos if not p.is_panorama],
            "panoramas": [p for p in photos if p.is_panorama],
            "routes": Route.objects.filter(stops__site=site).distinct(),
            "can_keep": can_keep_site(request.user, site),
            "can_assess": can_assess_site(request.user, site),
            "photo_form": PhotoForm() if can_keep_site(request.user, site) else None,
        },
    )


@visitor_language
@shared_page
def route_detail(request, code):
    route = get_object_or_404(
        Route.objects.prefetch_related(
            Prefetch(
                "stops",
                RouteStop.objects.select_related("site__unit").order_by("order"),
            )
        ),
        code=code,
    )
    stops = [stop for stop in route.stops.all() if stop.site.is_published]
    features = queries.collection(
        [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [s.site.lon, s.site.lat]},
                "properties": {
                    "name": f"{s.order}. {s.site.shown_name}",
                    "url": s.site.get_absolute_url(),
                },
            }
            for s in stops
            if s.site.lat is not None
        ]
    )
    return _public(
        request,
        "tourism/route_detail.html",
        {"route": route, "stops": stops, "features": features},
    )


@visitor_language
@shared_page
def ranking(request):
    sheet = scoring.current_sheet()
    return _public(
        request,
        "tourism/ranking.html",
        {"sites": queries.ranked_sites(), "sheet": sheet},
    )


def _kept_units(user):
    return (
        Unit.objects.valid_on()
        .filter(within_paths(keeper_paths(user)))
        .order_by("path")
    )


@require_GET
def photo_file(request, pk):
    """A published site's photo or panorama (media is not served otherwise)."""
    photo = get_object_or_404(Photo.objects.filter(site__is_published=True), pk=pk)
    response = FileResponse(photo.image.open("rb"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def site_create(request):
    if not keeper_paths(request.user):
        raise PermissionDenied
    return _site_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def site_edit(request, code):
    site = get_object_or_404(Site, code=code)
    if not can_keep_site(request.user, site):
        raise PermissionDenied
    return _site_form(request, site)


def _site_form(request, site):
    form = SiteForm(
        request.POST or None, instance=site, units=_kept_units(request.user)
    )
    if request.method == "POST" and form.is_valid():
        values = {
            k: form.cleaned_data[k] for k in form.fields if k != "code" or not site
        }
        if not can_keep_unit(request.user, values["unit"]):
            raise PermissionDenied
        try:
            if site is None:
                site = create_site(by=request.user, **values)
            else:
                site = update_site(site, by=request.user, **values)
        except TourismError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu điểm du lịch."))
            return redirect(site)
    return render(
        request,
        "tourism/site_form.html",
        {"form": form, "site": site},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def photo_add(request, code):
    site = get_object_or_404(Site, code=code)
    if not can_keep_site(request.user, site):
        raise PermissionDenied
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            add_photo(site, by=request.user, **form.cleaned_data)
        except TourismError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã thêm ảnh."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(site)


@login_required
@require_http_methods(["GET", "POST"])
def site_import(request):
    if not keeper_paths(request.user):
        raise PermissionDenied
    return import_page(
        request,
        run=lambda file: exports.import_sites(file, by=request.user),
        title=_("Điểm du lịch"),
        template_url=reverse("tourism:site-template"),
        done_url=reverse("tourism:site-map"),
        steps=[_("Mã điểm đã có sẽ được cập nhật; chưa có sẽ được thêm mới.")],
    )


@login_required
def site_template(request):
    if not keeper_paths(request.user):
        raise PermissionDenied
    return xlsx_response(exports.build_template(), "mau-nhap-diem-du-lich")


@login_required
def site_export(request):
    paths = keeper_paths(request.user)
    if not paths:
        raise PermissionDenied
    sites = Site.objects.within_any(paths)
    return xlsx_response(exports.export_sites(sites), "diem-du-lich")


@login_required
@require_http_methods(["GET", "POST"])
def assessment_create(request, code):
    """Score a site on the current sheet; the ranking shows its latest."""
    site = get_object_or_404(Site, code=code)
    if not can_assess_site(request.user, site):
        raise PermissionDenied
    sheet = scoring.current_sheet()
    form = AssessmentForm(request.POST or None, sheet=sheet)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = record_assessment(
                site,
                scores=form.scores(),
                by=request.user,
                assessed_on=form.cleaned_data["assessed_on"],
                sheet=sheet,
            )
        except TourismError as error:
            form.add_error(None, str(error))
        else:
            stars = scoring.stars(assessment.total)
            messages.success(
                request,
                _("Đã chấm %(site)s: %(total)s điểm, %(stars)s sao.")
                % {"site": site.name, "total": assessment.total, "stars": stars},
            )
            return redirect(site)
    return render(
        request,
        "tourism/assessment_form.html",
        {
            "form": form,
            "site": site,
            "sheet": sheet,
            "earlier": site.assessments.all()[:5],
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def route_create(request):
    """A route through sites the user keeps, in the order typed."""
    paths = keeper_paths(request.user)
    if not paths:
        raise PermissionDenied
    form = RouteForm(
        request.POST or None,
        units=_kept_units(request.user),
        sites=Site.objects.filter(within_paths(paths, "unit")),
    )
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        sites = values.pop("site_codes")
        try:
            route = create_route(sites=sites, by=request.user, **values)
        except TourismError as error:
            form.add_error("site_codes", str(error))
        else:
            messages.success(request, _("Đã lưu tuyến du lịch."))
            return redirect(route)
    return render(
        request,
        "tourism/route_form.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def site_layer_import(request):
    """Sites from the points of a GIS layer, every one or none."""
    if not keeper_paths(request.user):
        raise PermissionDenied
    form = SiteLayerForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = exports.import_site_layer(
                upload.read(), upload.name, by=request.user, crs=form.system()
            )
        except GeometryError as error:
            form.add_error("file", str(error))
        except ImportRefused as error:
            report = error
        else:
            messages.success(request, result.message)
            return redirect("tourism:site-map")
    return render(
        request,
        "tourism/site_layer_import.html",
        {"form": form, "report": report},
        status=422 if form.errors or report else 200,
    )
