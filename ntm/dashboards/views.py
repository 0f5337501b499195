from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.core.publiccache import shared_page
from ntm.core.spreadsheets import xlsx_response
from ntm.indicators.evaluation import Context
from ntm.indicators.models import CriteriaSet, Indicator, Period
from ntm.plans.progress import latest_year_with_data, plan_figures
from ntm.plans.projection import METHOD as PROJECTION_METHOD
from ntm.surveys.models import Survey
from ntm.units.forms import DayForm
from ntm.units.models import Unit

from . import queries
from .awaiting import awaiting
from .exports import dashboard_workbook
from .forms import PlanMapForm, PlanYearForm
from .permissions import can_view_plan_progress
from .queries import area_summary


@shared_page
def home(request):
    memberships = []
    if request.user.is_authenticated:
        memberships = request.user.memberships.select_related("unit")
    response = render(
        request,
        "dashboards/home.html",
        {
            "summary": area_summary(DayForm(request.GET).day()),
            "memberships": memberships,
            "awaiting": awaiting(request.user),
            "open_surveys": Survey.objects.open_now()
            .select_related("unit")
            .order_by("closes_at"),
        },
    )
    # The shared copy never outlives a survey's opening or closing time.
    response.shared_seconds = Survey.objects.seconds_to_next_change()
    return response


@shared_page
def plan_summary(request):
    """The plan in public: every target, met or not, the trend; no names."""
    plan = queries.current_plan()
    if plan is None:
        return render(request, "dashboards/plan_missing.html")
    return render(
        request, "dashboards/plan_dashboard.html", _dashboard(request, plan, False)
    )


@login_required
def plan_progress(request):
    """The focal office's page: the same, with the lagging units and why."""
    plan = queries.current_plan()
    if plan is None:
        return render(request, "dashboards/plan_missing.html")
    if not can_view_plan_progress(request.user, plan):
        raise PermissionDenied
    return render(
        request, "dashboards/plan_dashboard.html", _dashboard(request, plan, True)
    )


@shared_page
def plan_summary_export(request):
    """The public dashboard as a workbook (no lagging units)."""
    plan = queries.current_plan()
    if plan is None:
        raise Http404(_("Chưa có kế hoạch."))
    return _dashboard_xlsx(_dashboard(request, plan, False))


@login_required
def plan_progress_export(request):
    """The focal office's dashboard as a workbook, with the lagging units."""
    plan = queries.current_plan()
    if plan is None:
        raise Http404(_("Chưa có kế hoạch."))
    if not can_view_plan_progress(request.user, plan):
        raise PermissionDenied
    return _dashboard_xlsx(_dashboard(request, plan, True))


@login_required
def target_detail(request, number):
    plan = queries.current_plan()
    if plan is None:
        raise Http404(_("Chưa có kế hoạch."))
    if not can_view_plan_progress(request.user, plan):
        raise PermissionDenied
    target = get_object_or_404(
        plan.targets.select_related("requirement__indicator"), number=number
    )
    context = _dashboard(request, plan, True)
    row = next(r for r in context["rows"] if r.target.pk == target.pk)
    context.update({"row": row, "target": target, "indicator": target.indicator})
    return render(request, "dashboards/target_detail.html", context)


@shared_page
def plan_map(request):
    """Communes of the plan's area coloured by one target or one criterion."""
    plan = queries.current_plan()
    if plan is None:
        return render(request, "dashboards/plan_missing.html")
    form = PlanMapForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    year = data.get("nam") if data.get("nam") in plan.years else _map_year(plan)
    targets = list(plan.targets.select_related("requirement__indicator"))
    sets = list(
        CriteriaSet.objects.active()
        .for_year(year)
        .filter(level=Unit.Level.COMMUNE)
        .order_by("code", "-version")
    )
    criteria_set = next((s for s in sets if s.code == data.get("bo")), None)
    target = None
    if criteria_set is None:
        target = next(
            (t for t in targets if t.number == data.get("muc-tieu")),
            _default_map_target(targets),
        )
    query = (
        {"bo": criteria_set.code, "tieu-chi": data.get("tieu-chi"), "nam": year}
        if criteria_set
        else {"muc-tieu": target.number, "nam": year}
    )
    communes = queries.plan_area_communes(plan, Context(Period.year(year)))
    return render(
        request,
        "dashboards/plan_map.html",
        {
            "plan": plan,
            "year": year,
            "years": plan.years,
            "nam": str(year),
            "targets": targets,
            "target": target,
            "sets": sets,
            "criteria_set": criteria_set,
            "criteria": criteria_set.criteria.all() if criteria_set else [],
            "criterion": data.get("tieu-chi") or "",
            "query": query,
            "approximate": Unit.objects.filter(
                pk__in=[u.pk for u in communes], boundary_is_approximate=True
            ).exists(),
            "map_tile_url": settings.MAP_TILE_URL,
            "map_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


@shared_page
def plan_map_geojson(request):
    plan = queries.current_plan()
    if plan is None:
        return JsonResponse({"detail": _("Chưa có kế hoạch.")}, status=404)
    form = PlanMapForm(request.GET)
    if not form.is_valid():
        return JsonResponse(
            {"detail": _("Tham số không hợp lệ."), "errors": form.errors}, status=422
        )
    data = form.cleaned_data
    year = data["nam"] or _map_year(plan)
    if year not in plan.years:
        return JsonResponse(
            {
                "detail": _("Năm %(year)s không thuộc kế hoạch (%(first)s–%(last)s).")
                % {"year": year, "first": plan.first_year, "last": plan.last_year}
            },
            status=422,
        )
    if data["bo"]:
        criteria_set = (
            CriteriaSet.objects.active()
            .filter(code=data["bo"], level=Unit.Level.COMMUNE)
            .for_year(year)
            .order_by("-version")
            .first()
        )
        if criteria_set is None:
            return JsonResponse(
                {"detail": _("Không có bộ tiêu chí xã %s cho năm này.") % data["bo"]},
                status=404,
            )
        collection = queries.map_for_criterion(
            plan, criteria_set, data["tieu-chi"], year
        )
    else:
        targets = list(
            plan.targets.select_related("requirement__indicator__rollup_set")
        )
        target = next(
            (t for t in targets if t.number == data["muc-tieu"]),
            None if data["muc-tieu"] else _default_map_target(targets),
        )
        if target is None:
            return JsonResponse(
                {"detail": _("Kế hoạch không có mục tiêu %s.") % data["muc-tieu"]},
                status=404,
            )
        collection = queries.map_for_target(plan, target, year)
    return JsonResponse(collection, content_type="application/geo+json")


def _dashboard(request, plan, laggards_visible):
    figures = plan_figures(plan)
    by_year = figures.value
    default = latest_year_with_data(by_year)
    year = PlanYearForm(request.GET).year(plan.years, default)
    rows = queries.target_rows(plan, by_year, year)
    return {
        "plan": plan,
        "year": year,
        "years": plan.years,
        # Years as text for URLs and the picker: never "2.024".
        "nam": str(year),
        "year_choices": [str(y) for y in plan.years],
        "rows": rows,
        "counts": queries.status_counts(rows),
        "laggards_visible": laggards_visible,
        "figures": figures,
        "projection_method": PROJECTION_METHOD,
        # The staff page's link, only to those it opens for.
        "progress_visible": can_view_plan_progress(request.user, plan),
    }


def _dashboard_xlsx(context):
    stem = "theo-doi-ke-hoach" if context["laggards_visible"] else "ke-hoach"
    return xlsx_response(dashboard_workbook(context), f"{stem}-{context['year']}")


def _map_year(plan):
    """This year if the plan covers it, else the plan's last year."""
    return min(max(timezone.localdate().year, plan.first_year), plan.last_year)


def _default_map_target(targets):
    # A target counted commune by commune makes the most telling first map.
    by_commune = [
        t for t in targets if t.indicator.source == Indicator.Source.ROLLUP
    ] or [t for t in targets if t.lagging_level]
    return (by_commune or targets or [None])[0]
