"""Feedback pages: report from a phone, follow by code, the public list and
map; the staff inbox and the workflow actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ntm.core.publiccache import shared_page

from .forms import ActionForm, InboxFilterForm, ReopenForm, ReportForm
from .models import Category, Report
from .permissions import can_handle_report, can_see_inbox
from .services import (
    FeedbackError,
    change_status,
    join_report,
    nearby_open,
    reopen_deadline,
    reopen_report,
    submit_report,
)

STAFF_ACTIONS = ("assign", "start", "resolve", "close")


@shared_page
def report_list(request):
    reports = Report.objects.public()
    page = Paginator(reports, 30).get_page(request.GET.get("page"))
    return render(request, "feedback/report_list.html", {"page": page})


@shared_page
def report_geojson(request):
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
            "properties": {
                "code": code,
                "category": category,
                "status": str(Report.Status(status).label),
                "overdue": overdue is not None
                and Report.Status.in_group(status, "open"),
                "url": f"/phan-anh/{code}/",
            },
        }
        for code, lat, lon, category, status, overdue in Report.objects.values_list(
            "code", "lat", "lon", "category__name", "status", "overdue_at"
        )[:2000]
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


@require_http_methods(["GET", "POST"])
def report_create(request):
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = submit_report(
                category=data["category"],
                text=data["text"],
                lat=data["lat"],
                lon=data["lon"],
                address_code=data["address_code"],
                photos=data["photos"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                is_business=data["is_business"],
                by=request.user,
            )
        except FeedbackError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Đã gửi phản ánh. Mã theo dõi của bạn: %(code)s — hãy ghi lại.")
                % {"code": report.code},
            )
            return redirect(report)
    return render(request, "feedback/report_form.html", {"form": form})


def report_nearby(request):
    category = Category.objects.filter(pk=request.GET.get("category") or 0).first()
    try:
        lat, lon = float(request.GET["lat"]), float(request.GET["lon"])
    except (KeyError, ValueError):
        lat = lon = None
    reports = nearby_open(category, lat, lon) if category and lat is not None else []
    return render(request, "feedback/_nearby.html", {"reports": reports[:5]})


@shared_page
def report_follow(request, code):
    report = get_object_or_404(Report.objects.public(), code=code)
    context = {
        "report": report,
        "events": report.events.all(),
        "photos": report.photos.all(),
        "reopen_until": reopen_deadline(report),
        "can_reopen": Report.Status.allows(report.status, "reopen"),
        "reopen_form": ReopenForm(),
    }
    return render(request, "feedback/report_follow.html", context)


@require_POST
def report_reopen(request, code):
    report = get_object_or_404(Report.objects.select_related("category"), code=code)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            reopen_report(report, reason=form.cleaned_data["reason"])
        except FeedbackError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã mở lại phản ánh."))
    else:
        messages.error(request, _("Hãy cho biết vì sao vấn đề chưa được giải quyết."))
    return redirect(report)


@require_POST
def report_join(request, code):
    report = get_object_or_404(Report, code=code)
    try:
        join_report(report)
    except FeedbackError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Cảm ơn bạn: đã ghi nhận thêm một người cũng gặp."))
    return redirect(report)


@login_required
def inbox(request):
    if not can_see_inbox(request.user):
        raise PermissionDenied
    form = InboxFilterForm(request.GET or None)
    reports = Report.objects.public().handled_by(request.user)
    if form.is_valid():
        reports = form.apply(reports)
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    return render(request, "feedback/inbox.html", {"form": form, "page": page})


@login_required
def report_manage(request, code):
    report = get_object_or_404(Report.objects.public(), code=code)
    if not can_handle_report(request.user, report):
        raise PermissionDenied
    context = {
        "report": report,
        "events": report.events.select_related("by"),
        "photos": report.photos.all(),
        "actions": Report.Status.actions_from(report.status, allowed=STAFF_ACTIONS),
        "form": ActionForm(),
    }
    return render(request, "feedback/report_manage.html", context)


@login_required
@require_POST
def report_transition(request, code, action):
    report = get_object_or_404(
        Report.objects.select_related("category", "commune"), code=code
    )
    if not can_handle_report(request.user, report):
        raise PermissionDenied
    if action not in STAFF_ACTIONS:
        raise Http404
    form = ActionForm(request.POST, request.FILES)
    form.is_valid()
    try:
        change_status(
            report,
            action,
            by=request.user,
            note=form.cleaned_data.get("note", ""),
            photos=request.FILES.getlist("photos"),
        )
    except FeedbackError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã cập nhật phản ánh."))
    return redirect("feedback:report-manage", code=report.code)
