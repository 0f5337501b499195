from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from ntm.core.models import ActionLog
from ntm.core.publiccache import shared_page

from .forms import DayForm, UnitSearchForm
from .geojson import unit_feature
from .models import Unit, lineage, today
from .panels import panels_for
from .queries import get_unit, year_end_before_last_reorganisation

# Units carry no personal data: these pages are public, without login.


@shared_page
def unit_list(request):
    form = UnitSearchForm(request.GET)
    units = form.apply(Unit.objects.select_related("parent"))
    elsewhere = []
    if form.query() and not units:
        # "dai dong" today finds nothing: the commune ended in 2025. Show
        # where the name lives instead of an empty page.
        elsewhere = Unit.objects.matching(form.query()).select_related("parent")[:20]
    context = {
        "form": form,
        "day": form.day(),
        "today": today(),
        "before": year_end_before_last_reorganisation(),
        "units": units,
        "elsewhere": elsewhere,
    }
    template = "units/unit_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@shared_page
def unit_detail(request, code):
    form = DayForm(request.GET)
    day = form.day()
    unit = get_unit(
        code, on=day, queryset=Unit.objects.select_related("parent__parent__parent")
    )
    context = {
        "form": form,
        "unit": unit,
        "day": day,
        "children": unit.children.valid_on(day).in_natural_order(),
        "panels": panels_for(unit, request),
        "lineage": lineage(unit),
        "map_tile_url": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
        "history": ActionLog.objects.for_object(unit).select_related("actor"),
    }
    return render(request, "units/unit_detail.html", context)


@shared_page
def unit_boundary(request, code):
    form = DayForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"detail": form.errors["ngay"][0]}, status=422)
    unit = get_unit(code, on=form.day())
    return JsonResponse(unit_feature(unit), content_type="application/geo+json")
