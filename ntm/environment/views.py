"""Environmental monitoring pages: public points, readings and alerts; lab
results and sensor keys for the keepers of a point."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ntm.core.publiccache import shared_page

from .forms import LabResultForm, SensorForm
from .models import Alert, MonitoringPoint, Reading
from .permissions import can_keep_point, keeper_paths
from .services import ReadingError, issue_sensor_key, record_readings

RECENT_READINGS = 50


@shared_page
def point_list(request):
    points = (
        MonitoringPoint.objects.select_related("unit")
        .defer("unit__boundary")
        .annotate(open_alerts=Count("alerts", filter=Q(alerts__closed_at__isnull=True)))
        .order_by("-open_alerts", "unit__sort_key", "name")
    )
    context = {
        "points": points,
        "open_alerts": Alert.objects.filter(closed_at__isnull=True)
        .select_related("point", "parameter")
        .order_by("-opened_at")[:20],
        "keeps_any": bool(keeper_paths(request.user)),
    }
    return render(request, "environment/point_list.html", context)


def point_detail(request, code):
    point = get_object_or_404(
        MonitoringPoint.objects.select_related("unit").defer("unit__boundary"),
        code=code,
    )
    latest = {r.parameter_id: r for r in Reading.objects.latest_per_parameter(point)}
    parameters = [(p, latest.get(p.pk)) for p in point.parameters.all()]
    can_keep = can_keep_point(request.user, point)
    context = {
        "point": point,
        "parameters": parameters,
        "readings": Reading.objects.of_point(point).select_related("parameter")[
            :RECENT_READINGS
        ],
        "alerts": point.alerts.select_related("parameter")[:20],
        "can_keep": can_keep,
        "lab_form": LabResultForm(point=point) if can_keep else None,
        "sensor_form": SensorForm() if can_keep else None,
        "sensors": point.sensors.all() if can_keep else [],
    }
    return render(request, "environment/point_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def lab_result(request, code):
    point = get_object_or_404(MonitoringPoint, code=code)
    if not can_keep_point(request.user, point):
        raise PermissionDenied
    form = LabResultForm(request.POST or None, point=point)
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["measured_on"]
        # Noon local time: a lab result is of a day, not of an instant.
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        batch = [
            (point, None, parameter, value, at) for parameter, value in form.values()
        ]
        stored, opened = record_readings(
            batch,
            source=Reading.Source.LAB,
            laboratory=form.cleaned_data["laboratory"],
            by=request.user,
        )
        messages.success(request, _("Đã lưu %(n)s kết quả xét nghiệm.") % {"n": stored})
        if opened:
            messages.warning(
                request,
                _("%(n)s thông số vượt ngưỡng: đã báo cho người phụ trách.")
                % {"n": len(opened)},
            )
        return redirect(point)
    return render(
        request, "environment/lab_result.html", {"point": point, "form": form}
    )


@login_required
@require_POST
def sensor_issue(request, code):
    point = get_object_or_404(MonitoringPoint, code=code)
    if not can_keep_point(request.user, point):
        raise PermissionDenied
    form = SensorForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(point)
    try:
        sensor, key = issue_sensor_key(
            point, device_id=form.cleaned_data["device_id"], by=request.user
        )
    except ReadingError as error:
        messages.error(request, str(error))
        return redirect(point)
    response = render(
        request,
        "environment/sensor_key.html",
        {"point": point, "sensor": sensor, "key": key},
    )
    # The key is shown once: never kept by a browser or a proxy.
    response["Cache-Control"] = "no-store"
    return response
