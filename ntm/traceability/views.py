import datetime
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ntm.core.links import public_url
from ntm.core.models import ActionLog
from ntm.core.publiccache import shared_page
from ntm.units.models import Unit

from . import epcis, labels, permissions
from .digital_link import DigitalLinkError, check_value, is_lot_number, lot_uri
from .forms import (
    AreaForm,
    CertificateForm,
    DiaryForm,
    EventForm,
    LabelForm,
    LotForm,
    StepForm,
)
from .models import Event, GrowingArea, Lot
from .queries import scan_page_data, timeline, tracing_households
from .services import (
    TraceabilityError,
    add_certificate,
    change_area_status,
    create_lot,
    declare_area,
    epc_class,
    record_diary_entry,
    record_event,
    scan_version_key,
    update_area,
)

REVIEW_ACTIONS = list(GrowingArea.Status.TRANSITIONS)
SCAN_TEMPLATE = "traceability/scan_page.html"


def _base_url(request):
    return public_url(request, "/", settings.TRACE_BASE_URL).rstrip("/")


def _lot_uri(request, lot):
    return lot_uri(
        _base_url(request), gtin=lot.gtin, local_id=lot.local_id, lot=lot.number
    )


# -- the producer's and the office's pages -------------------------------------


@login_required
def trace_home(request):
    if not permissions.can_open_traceability(request.user):
        raise PermissionDenied
    areas = permissions.visible_areas(
        request.user, GrowingArea.objects.select_related("entity", "unit")
    )
    lots = permissions.visible_lots(
        request.user, Lot.objects.select_related("product", "area")
    )[:50]
    context = {
        "areas": areas,
        # The diary link only where it opens (readers see areas they keep not).
        "can_read_tracing": permissions.can_read_tracing(request.user),
        "kept": {a.pk for a in areas if permissions.can_keep_area(request.user, a)},
        "lots": lots,
        "can_declare": bool(
            permissions.own_entity_ids(request.user)
            or permissions.office_paths(request.user)
        ),
    }
    return render(request, "traceability/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def area_declare(request):
    form = AreaForm(request.POST or None, request.FILES or None, user=request.user)
    if not form.fields["entity"].queryset.exists():
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        if not permissions.can_declare_area(request.user, form.cleaned_data["entity"]):
            raise PermissionDenied
        try:
            area = declare_area(by=request.user, **form.service_fields())
        except TraceabilityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã khai báo vùng trồng."))
            return redirect(area)
    return render(request, "traceability/area_form.html", _area_form_context(form))


def _area_form_context(form, area=None):
    return {
        "form": form,
        "area": area,
        "tile_url": settings.MAP_TILE_URL,
        "boundary_json": json.dumps(area.boundary) if area and area.boundary else "",
    }


def _area(pk):
    return get_object_or_404(
        GrowingArea.objects.select_related("entity", "unit"), pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def area_edit(request, pk):
    area = _area(pk)
    if not permissions.can_keep_area(request.user, area):
        raise PermissionDenied
    form = AreaForm(
        request.POST or None, request.FILES or None, user=request.user, instance=area
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_area(area, by=request.user, **form.service_fields())
        except TraceabilityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu vùng trồng."))
            return redirect(area)
    return render(
        request, "traceability/area_form.html", _area_form_context(form, area)
    )


@login_required
def area_detail(request, pk):
    area = _area(pk)
    if not permissions.can_view_area(request.user, area):
        raise PermissionDenied
    can_review = permissions.can_review_area(request.user, area)
    context = {
        "area": area,
        "steps": area.steps.select_related("by"),
        "certificates": area.certificates.all(),
        "diary": area.diary.select_related("recorded_by")[:100],
        "lots": area.lots.select_related("product"),
        # Households are personal data: staff of the area's units only.
        "households": area.households.select_related("village")
        if permissions.can_view_households_of(request.user, area)
        else None,
        "actions": GrowingArea.Status.actions_from(area.status) if can_review else [],
        "step_form": StepForm(),
        "certificate_form": CertificateForm(),
        "can_keep": permissions.can_keep_area(request.user, area),
        "tile_url": settings.MAP_TILE_URL,
        "boundary_json": json.dumps(area.boundary) if area.boundary else "",
        "history": ActionLog.objects.for_object(area).select_related("actor"),
        "today": timezone.localdate(),
    }
    return render(request, "traceability/area_detail.html", context)


@login_required
@require_POST
def area_step(request, pk, action):
    area = _area(pk)
    if action not in REVIEW_ACTIONS:
        raise Http404
    if not permissions.can_review_area(request.user, area):
        raise PermissionDenied
    form = StepForm(request.POST)
    if form.is_valid():
        try:
            change_area_status(area, action, by=request.user, **form.cleaned_data)
        except TraceabilityError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Đã ghi: %(step)s.")
                % {"step": GrowingArea.Status.transition(action).label},
            )
    else:
        messages.error(request, _("Hãy ghi ngày và lý do của bước này."))
    return redirect(area)


@login_required
@require_POST
def certificate_add(request, pk):
    area = _area(pk)
    if not permissions.can_keep_area(request.user, area):
        raise PermissionDenied
    form = CertificateForm(request.POST)
    if form.is_valid():
        try:
            add_certificate(area, by=request.user, **form.cleaned_data)
        except TraceabilityError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã thêm giấy chứng nhận."))
    else:
        messages.error(request, _("Giấy chứng nhận chưa đủ thông tin."))
    return redirect(area)


@login_required
@require_http_methods(["GET", "POST"])
def diary_add(request, pk):
    area = _area(pk)
    if not permissions.can_keep_area(request.user, area):
        raise PermissionDenied
    form = DiaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = record_diary_entry(area, by=request.user, **form.cleaned_data)
        except TraceabilityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Đã ghi nhật ký: %(entry)s.") % {"entry": entry},
            )
            return redirect("traceability:diary-add", pk=area.pk)
    status = 400 if request.method == "POST" else 200
    recent = area.diary.all()[:10]
    return render(
        request,
        "traceability/diary_form.html",
        {"form": form, "area": area, "recent": recent},
        status=status,
    )


# -- lots ----------------------------------------------------------------------


def _lot(pk):
    return get_object_or_404(
        Lot.objects.select_related("product__entity", "area__unit"), pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def lot_create(request):
    area = None
    if request.GET.get("vung", "").isdigit():
        area = GrowingArea.objects.filter(pk=request.GET["vung"]).first()
    form = LotForm(request.POST or None, user=request.user, area=area)
    if not form.fields["product"].queryset.exists():
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            lot = create_lot(by=request.user, **form.cleaned_data)
        except TraceabilityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã tạo lô hàng và ghi sự kiện thu hoạch."))
            return redirect(lot)
    return render(request, "traceability/lot_form.html", {"form": form})


@login_required
def lot_detail(request, pk):
    lot = _lot(pk)
    if not permissions.can_view_lot(request.user, lot):
        raise PermissionDenied
    uri = _lot_uri(request, lot)
    events = list(Event.objects.of_lot(lot).order_by("sequence"))
    context = {
        "lot": lot,
        "uri": uri,
        "qr": labels.qr_svg(uri, scale=4),
        "steps": timeline(events),
        "chain": epcis.verify_chain(events),
        "can_keep": permissions.can_keep_lot(request.user, lot),
        "label_form": LabelForm(initial={"layout": "a4-3x8"}),
        "history": ActionLog.objects.for_object(lot).select_related("actor"),
    }
    return render(request, "traceability/lot_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def event_add(request, pk):
    lot = _lot(pk)
    if not permissions.can_keep_lot(request.user, lot):
        raise PermissionDenied
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_event(lot, by=request.user, **form.service_fields())
        except TraceabilityError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã ghi sự kiện."))
            return redirect(lot)
    return render(request, "traceability/event_form.html", {"form": form, "lot": lot})


@login_required
def lot_qr(request, pk, kind):
    lot = _lot(pk)
    if not permissions.can_view_lot(request.user, lot):
        raise PermissionDenied
    uri = _lot_uri(request, lot)
    if kind == "png":
        return HttpResponse(labels.qr_png(uri), content_type="image/png")
    return HttpResponse(labels.qr_svg(uri, scale=8), content_type="image/svg+xml")


@login_required
def lot_labels(request, pk, kind):
    lot = _lot(pk)
    if not permissions.can_view_lot(request.user, lot):
        raise PermissionDenied
    form = LabelForm(request.GET or {"layout": "a4-3x8"})
    if not form.is_valid():
        raise Http404
    layout = labels.LAYOUTS[form.cleaned_data["layout"]]
    text = labels.LabelText(
        uri=_lot_uri(request, lot),
        product=lot.product.name,
        lot=lot.number,
        produced_on=lot.produced_on,
        area_code=lot.area.code,
        entity=lot.product.entity.name,
    )
    count = form.cleaned_data["count"]
    name = f"nhan-lo-{lot.number}-{layout.key}"
    if kind == "pdf":
        response = HttpResponse(
            labels.sheet_pdf(text, layout, count=count), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response
    return HttpResponse(
        labels.sheet_svg(text, layout, count=count), content_type="image/svg+xml"
    )


@login_required
def tracing_list(request):
    """Production households applying traceability, by commune: records vs
    declarations, so the smart-village figure shows where it comes from."""
    if not permissions.can_read_tracing(request.user):
        raise PermissionDenied
    try:
        year = int(request.GET.get("nam") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    rows = tracing_households(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    villages = Unit.objects.filter(pk__in=rows).select_related("parent")
    communes = {}
    for village in villages:
        total = communes.setdefault(
            village.parent, {"producers": 0, "by_records": 0, "declared": 0}
        )
        row = rows[village.pk]
        total["producers"] += row.producers
        total["by_records"] += row.by_records
        total["declared"] += row.declared
    ordered = sorted(communes.items(), key=lambda item: item[0].name)
    return render(
        request,
        "traceability/tracing_list.html",
        {"year": year, "communes": ordered},
    )


# -- the public scan page ---------------------------------------------------------


@shared_page
def scan_page(request, lot, gtin="", local_id=""):
    """What a shopper's phone opens from the QR code: no sign-in, no personal data.

    The rendered page is cached under the lot's ``cache_version``, which
    every write of this app that changes the page increases; the version
    itself is cached per link (dropped by those writes), so a cached page
    costs two cache reads and no query. With a per-process cache (the
    embedded default) other processes see a write within
    TRACE_SCAN_VERSION_SECONDS; with a shared one (Redis) at once.
    """
    try:
        if gtin:
            check_value("01", gtin)
    except DigitalLinkError as error:
        raise Http404(str(error)) from error
    if not is_lot_number(lot):
        raise Http404
    version_key = scan_version_key(gtin=gtin, local_id=local_id, lot=lot)
    found = cache.get(version_key)
    if found is None:
        found = (
            Lot.objects.by_link(gtin=gtin, local_id=local_id, number=lot)
            .values_list("pk", "cache_version")
            .first()
        )
        if found is None:
            raise Http404(_("Không tìm thấy lô hàng."))
        cache.set(version_key, found, settings.TRACE_SCAN_VERSION_SECONDS)
    if request.GET.get("linkType") == "gs1:epcis":
        return _epcis_response(_lot(found[0]))
    language = "en" if request.GET.get("lang") == "en" else "vi"
    key = f"trace:scan:{found[0]}:{found[1]}:{language}"
    html = cache.get(key)
    if html is None:
        record = _lot(found[0])
        with translation.override(language):
            html = render_to_string(
                SCAN_TEMPLATE,
                {
                    **scan_page_data(record),
                    "language": language,
                    "path": request.path,
                    "tile_url": settings.MAP_TILE_URL,
                    "epcis_url": f"{request.path}?linkType=gs1:epcis",
                },
            )
        cache.set(key, html, settings.TRACE_SCAN_CACHE_SECONDS)
    response = HttpResponse(html)
    response["Content-Language"] = language
    return response


def _epcis_response(lot):
    """The lot's events as EPCIS 2.0 JSON-LD (GS1 link type gs1:epcis)."""
    document = epcis.export_document(
        list(Event.objects.of_lot(lot).order_by("sequence")), lot_uri=epc_class(lot)
    )
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/ld+json"
    return response
