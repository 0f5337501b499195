from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ntm.accounts.permissions import (
    can_edit_households,
    can_export_personal_data,
    can_view_households,
)
from ntm.core.forms import export_params, filter_summary
from ntm.core.models import ActionLog
from ntm.core.spreadsheets import import_page, xlsx_response
from ntm.core.views import export_page
from ntm.units.forms import DayForm

from . import exports
from .forms import (
    ArchiveForm,
    ChannelForm,
    FacilityForm,
    HouseholdFilterForm,
    HouseholdForm,
)
from .history import facilities_on
from .imports import import_households
from .models import EcommercePlatform, Facility, Household, VillageChannel
from .queries import current_village, villages_of
from .services import (
    HouseholdError,
    archive_household,
    create_facility,
    create_household,
    delete_channel,
    delete_facility,
    delete_household,
    household_deletion_refusal,
    restore_household,
    save_channel,
    update_facility,
    update_household,
)

PAGE_SIZE = 50


@login_required
def household_list(request):
    form, households = _filtered(request)
    page = Paginator(households.select_related("village__parent"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    today = form.day is None
    context = {
        "form": form,
        "day": form.day,
        "page": page,
        "querystring_without_page": query.urlencode(),
        # A past day's register is read, never written; the export is today's.
        "can_edit": today and villages_of(request.user, editable=True).exists(),
        "can_export": today and can_export_personal_data(request.user),
    }
    template = "households/household_list.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


@login_required
@require_http_methods(["GET", "POST"])
def household_export(request):
    if not can_export_personal_data(request.user):
        raise PermissionDenied
    form, _households = _filtered(request)
    return export_page(
        request,
        exports.REGISTER_EXPORT.name,
        params=export_params(form),
        back_url=f"{reverse('households:household-list')}?{request.GET.urlencode()}",
        summary=filter_summary(form),
    )


@login_required
def household_detail(request, code):
    household = get_object_or_404(
        Household.all_objects.select_related("village__parent"), code=code
    )
    if not can_view_households(request.user, household.village):
        raise PermissionDenied
    history = ActionLog.objects.for_object(household).select_related("actor")
    return render(
        request,
        "households/household_detail.html",
        {
            "household": household,
            "platforms": household.ecommerce_platforms.all(),
            "history": history,
            "can_edit": can_edit_households(request.user, household.village),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_create(request):
    villages = villages_of(request.user, editable=True)
    if not villages.exists():
        raise PermissionDenied
    initial = {"village": villages.filter(code=request.GET.get("thon", "")).first()}
    form = HouseholdForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            household = create_household(
                code=form.cleaned_data["code"], by=request.user, **fields
            )
        except HouseholdError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Đã thêm hộ %(code)s.") % {"code": household.code}
            )
            return redirect(household)
    return render(request, "households/household_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request, code):
    household = _editable(request, code)
    form = HouseholdForm(request.POST or None, user=request.user, instance=household)
    if request.method == "POST" and form.is_valid():
        try:
            update_household(household, by=request.user, **form.service_fields())
        except HouseholdError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(household)
    return render(
        request,
        "households/household_form.html",
        {"form": form, "household": household},
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_delete(request, code):
    household = _editable(request, code)
    refusal, status = household_deletion_refusal(household), 200
    if request.method == "POST":
        try:
            delete_household(household, by=request.user)
        except HouseholdError as error:
            refusal, status = str(error), 409
        else:
            messages.success(request, _("Đã xóa hộ %(code)s.") % {"code": code})
            return redirect("households:household-list")
    context = {"household": household, "refusal": refusal, "form": ArchiveForm()}
    return render(request, "households/household_delete.html", context, status=status)


@login_required
@require_POST
def household_archive(request, code):
    household = _editable(request, code)
    form = ArchiveForm(request.POST)
    if form.is_valid():
        try:
            archive_household(
                household, by=request.user, reason=form.cleaned_data["reason"]
            )
        except HouseholdError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Đã ngừng theo dõi hộ %(code)s.") % {"code": code}
            )
            return redirect(household)
    context = {
        "household": household,
        "refusal": household_deletion_refusal(household),
        "form": form,
    }
    return render(request, "households/household_delete.html", context, status=400)


@login_required
@require_POST
def household_restore(request, code):
    household = _editable(request, code)
    try:
        restore_household(household, by=request.user)
    except HouseholdError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã theo dõi lại hộ %(code)s.") % {"code": code})
    return redirect(household)


@login_required
@require_http_methods(["GET", "POST"])
def household_import(request):
    if not villages_of(request.user, editable=True).exists():
        raise PermissionDenied
    back = reverse("households:household-list")
    return import_page(
        request,
        run=lambda file: import_households(file, by=request.user),
        title=_("Sổ hộ gia đình"),
        template_url=reverse("households:household-template"),
        done_url=back,
        back_url=back,
        steps=[
            _("Trang “Danh sách thôn” trong tệp mẫu có mã các thôn bạn quản lý."),
            _("Mã hộ chưa có sẽ được thêm mới; mã hộ đã có sẽ được cập nhật."),
        ],
    )


@login_required
def household_template(request):
    villages = list(villages_of(request.user, editable=True))
    if not villages:
        raise PermissionDenied
    workbook = exports.build_template(villages, EcommercePlatform.objects.all())
    return xlsx_response(workbook, "mau-nhap-ho-gia-dinh")


@login_required
def facility_list(request):
    day = DayForm(request.GET).past_day()
    villages = list(villages_of(request.user, on=day))
    if not villages:
        raise PermissionDenied
    # On a past day, each facility's version of that day (and that day's
    # villages); read-only, as the register of that day is.
    by_village = defaultdict(list)
    facilities = (
        facilities_on(day).filter(village__in=villages).order_by("kind", "name")
    )
    for facility in facilities:
        by_village[facility.village_id].append(facility)
    rows = [
        {
            "village": village,
            "cultural_house": next(
                (
                    f
                    for f in by_village[village.pk]
                    if f.kind == Facility.Kind.CULTURAL_HOUSE
                ),
                None,
            ),
            "wifi_points": sum(
                1
                for f in by_village[village.pk]
                if f.kind != Facility.Kind.CULTURAL_HOUSE and f.has_wifi
            ),
        }
        for village in villages
    ]
    return render(request, "households/facility_list.html", {"rows": rows, "day": day})


@login_required
def facility_village(request, village_code):
    village = current_village(village_code)
    if not can_view_households(request.user, village):
        raise PermissionDenied
    return render(
        request,
        "households/facility_village.html",
        {
            "village": village,
            "facilities": village.facilities.order_by("kind", "name"),
            "channels": village.channels.all(),
            "can_edit": can_edit_households(request.user, village),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def facility_create(request, village_code):
    village = current_village(village_code)
    if not can_edit_households(request.user, village):
        raise PermissionDenied
    form = FacilityForm(request.POST or None, initial={"kind": request.GET.get("loai")})
    if request.method == "POST" and form.is_valid():
        try:
            create_facility(village=village, by=request.user, **form.cleaned_data)
        except HouseholdError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã thêm công trình."))
            return redirect("households:facility-village", village.code)
    return render(
        request, "households/facility_form.html", {"form": form, "village": village}
    )


@login_required
@require_http_methods(["GET", "POST"])
def facility_edit(request, pk):
    facility = get_object_or_404(Facility.objects.select_related("village"), pk=pk)
    if not can_edit_households(request.user, facility.village):
        raise PermissionDenied
    form = FacilityForm(request.POST or None, instance=facility)
    if request.method == "POST" and form.is_valid():
        try:
            update_facility(facility, by=request.user, **form.cleaned_data)
        except HouseholdError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("households:facility-village", facility.village.code)
    context = {
        "form": form,
        "village": facility.village,
        "facility": facility,
        "history": ActionLog.objects.for_object(facility).select_related("actor"),
    }
    return render(request, "households/facility_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def facility_delete(request, pk):
    facility = get_object_or_404(Facility.objects.select_related("village"), pk=pk)
    if not can_edit_households(request.user, facility.village):
        raise PermissionDenied
    if request.method == "POST":
        delete_facility(facility, by=request.user)
        messages.success(request, _("Đã xóa công trình."))
        return redirect("households:facility-village", facility.village.code)
    return render(request, "households/facility_delete.html", {"facility": facility})


@login_required
@require_http_methods(["GET", "POST"])
def channel_edit(request, village_code, pk=None):
    village = current_village(village_code)
    channel = get_object_or_404(village.channels, pk=pk) if pk else None
    if not can_edit_households(request.user, village):
        raise PermissionDenied
    form = ChannelForm(request.POST or None, instance=channel)
    if request.method == "POST" and form.is_valid():
        try:
            save_channel(channel, village=village, by=request.user, **form.cleaned_data)
        except HouseholdError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu kênh giao tiếp."))
            return redirect("households:facility-village", village.code)
    context = {"form": form, "village": village, "channel": channel}
    if channel:
        context["history"] = ActionLog.objects.for_object(channel).select_related(
            "actor"
        )
    return render(request, "households/channel_form.html", context)


@login_required
@require_POST
def channel_delete(request, village_code, pk):
    village = current_village(village_code)
    channel = get_object_or_404(VillageChannel, village=village, pk=pk)
    if not can_edit_households(request.user, village):
        raise PermissionDenied
    delete_channel(channel, by=request.user)
    messages.success(request, _("Đã xóa kênh giao tiếp."))
    return redirect("households:facility-village", village.code)


def _filtered(request):
    """The filter form and the households it selects among the visible ones."""
    if not villages_of(request.user).exists():
        raise PermissionDenied
    day = DayForm(request.GET).past_day()
    form = HouseholdFilterForm(request.GET, user=request.user, day=day)
    if form.asks_outside_scope:
        raise PermissionDenied
    if day is None:
        return form, form.apply(Household.all_objects.visible_to(request.user))
    # The register as of a past day: each household's version of that day,
    # in the villages of then (ntm.households.history).
    versions = Household.history.on(day).visible_to(request.user)
    return form, form.apply(versions).order_by("village__sort_key", "code")


def _editable(request, code):
    # Households no longer followed too: they are corrected and restored here.
    household = get_object_or_404(
        Household.all_objects.select_related("village"), code=code
    )
    if not can_edit_households(request.user, household.village):
        raise PermissionDenied
    return household
