from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ntm.accounts.permissions import can_manage_units
from ntm.core.publiccache import shared_page
from ntm.indicators.models import CriteriaSet, Indicator
from ntm.units.forms import DayForm
from ntm.units.models import Unit

from . import queries
from .forms import BoundaryImportForm, HouseholdLayerForm, MapSearchForm, UnitLayerForm

# The map is public. Households reach it as counts per village; register
# keepers signed in see their own households' points (queries.household_layer).

GEOJSON = "application/geo+json"


@shared_page
def map_page(request):
    year = timezone.localdate().year
    # ``?ngay=``: the map opens on that day's year (its units, its figures).
    asked = DayForm(request.GET).asked_day()
    chosen = asked.year if asked and year - 3 <= asked.year <= year else year
    commune_sets, commune_indicators = queries.colouring_choices(
        Unit.Level.COMMUNE, year
    )
    village_sets, village_indicators = queries.colouring_choices(
        Unit.Level.VILLAGE, year
    )
    return render(
        request,
        "maps/map.html",
        {
            "years": list(range(year, year - 4, -1)),
            "chosen_year": chosen,
            "colourings": {
                "xa": (commune_sets, commune_indicators),
                "thon": (village_sets, village_indicators),
            },
            "layers": queries.available_layers(),
            "register": bool(queries.register_paths(request.user)),
            "can_import_boundaries": can_manage_units(request.user),
            "map_tile_url": settings.MAP_TILE_URL,
            "map_attribution": settings.MAP_TILE_ATTRIBUTION,
            "approximate": Unit.objects.valid_on()
            .communes()
            .filter(boundary_is_approximate=True)
            .exists(),
        },
    )


@shared_page
def unit_layer(request):
    form = UnitLayerForm(request.GET)
    if not form.is_valid():
        return _invalid(form)
    level, year = form.level(), form.year()
    criteria_set = indicator = None
    if form.cleaned_data["chi_tieu"]:
        indicator = Indicator.objects.filter(
            code=form.cleaned_data["chi_tieu"], level=level
        ).first()
        if indicator is None:
            raise Http404(_("Không có chỉ tiêu này ở cấp đã chọn."))
    else:
        sets = CriteriaSet.objects.active().for_year(year).filter(level=level)
        if form.cleaned_data["bo"]:
            sets = sets.filter(code=form.cleaned_data["bo"])
        criteria_set = sets.order_by("code", "-version").first()
    layer = queries.unit_layer(
        level, year, criteria_set=criteria_set, indicator=indicator
    )
    return JsonResponse(layer, content_type=GEOJSON)


@shared_page
def household_layer(request):
    form = HouseholdLayerForm(request.GET)
    if not form.is_valid():
        return _invalid(form)
    layer = queries.household_layer(
        form.cleaned_data["bbox"],
        form.cleaned_data["z"],
        paths=queries.register_paths(request.user),
    )
    response = JsonResponse(layer, content_type=GEOJSON)
    # What a keeper sees must not be served to the next visitor by a cache.
    response["Cache-Control"] = (
        "private, no-store" if layer["register"] else "public, max-age=300"
    )
    response["Vary"] = "Cookie"
    return response


@shared_page
def thematic_layer(request, key):
    layer = queries.LAYER_BY_KEY.get(key)
    if layer is None:
        raise Http404(_("Không có lớp bản đồ này."))
    members = {"legend": layer.legend()} if layer.legend else {}
    return JsonResponse(
        queries.collection(layer.features(), **members), content_type=GEOJSON
    )


@shared_page
def base_layer(request):
    return JsonResponse(queries.base_layer(), content_type=GEOJSON)


@shared_page
def search(request):
    form = MapSearchForm(request.GET)
    if not form.is_valid():
        return _invalid(form)
    return JsonResponse({"results": queries.search(form.cleaned_data["q"])})


def _invalid(form):
    return JsonResponse(
        {"detail": _("Tham số không hợp lệ."), "errors": form.errors}, status=422
    )


@login_required
@require_http_methods(["GET", "POST"])
def boundary_import(request):
    """The district administrator replaces units' boundaries from a file
    (all or nothing; only units they administer)."""
    if not can_manage_units(request.user):
        raise PermissionDenied
    form = BoundaryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        imported = form.import_for(request.user)
        if imported is not None:
            units, repaired = imported
            messages.success(
                request,
                _("Đã cập nhật ranh giới %(count)d đơn vị: %(units)s.")
                % {
                    "count": len(units),
                    "units": ", ".join(f"{u.name} ({u.code})" for u in units),
                },
            )
            for feature in repaired:
                messages.warning(request, f"{feature.label}: {feature.repaired}")
            return redirect("maps:boundary-import")
    return render(
        request,
        "maps/boundary_import.html",
        {"form": form},
        status=422 if form.errors else 200,
    )
