import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ntm.core.forms import export_params, filter_summary
from ntm.core.models import ActionLog
from ntm.core.spreadsheets import import_page, xlsx_response
from ntm.core.views import export_page
from ntm.units.models import Unit

from . import exports
from .forms import (
    AttendanceForm,
    ParticipantForm,
    StaffFilterForm,
    StaffForm,
    TrainingFilterForm,
    TrainingForm,
    units_of,
)
from .imports import import_staff
from .models import Participation, ProgramStaff, Training
from .permissions import (
    can_create_training,
    can_edit_staff,
    can_edit_training,
    can_export_roster,
    can_view_roster,
    can_view_training,
    keeper_paths,
    visible_participations,
)
from .services import (
    KnowledgeError,
    add_participant,
    create_staff,
    create_training,
    delete_staff,
    delete_training,
    remove_participant,
    set_attendance,
    update_staff,
    update_training,
)

PAGE_SIZE = 50


@login_required
def staff_list(request):
    form, entries = _filtered_staff(request)
    year_end = datetime.date(form.chosen_year, 12, 31)
    summary = {
        "total": entries.active().count(),
        "trained": entries.active().trained_by(year_end).count(),
    }
    page = Paginator(
        entries.select_related("unit__parent").with_trained(year_end), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "year": form.chosen_year,
        "summary": summary,
        "querystring_without_page": query.urlencode(),
    }
    template = "knowledge/staff_list.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


@login_required
@require_http_methods(["GET", "POST"])
def staff_export(request):
    if not can_export_roster(request.user):
        raise PermissionDenied
    form, _entries = _filtered_staff(request)
    return export_page(
        request,
        exports.ROSTER_EXPORT.name,
        params=export_params(form),
        back_url=f"{_staff_list_url()}?{request.GET.urlencode()}",
        summary=filter_summary(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_create(request):
    if not can_view_roster(request.user):
        raise PermissionDenied
    form = StaffForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            staff = create_staff(by=request.user, **form.cleaned_data)
        except KnowledgeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Đã thêm %(name)s.") % {"name": staff.full_name}
            )
            return redirect(f"{_staff_list_url()}?year={staff.year}")
    return render(request, "knowledge/staff_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request, pk):
    staff = get_object_or_404(ProgramStaff.objects.select_related("unit"), pk=pk)
    if not can_edit_staff(request.user, staff.unit):
        raise PermissionDenied
    form = StaffForm(request.POST or None, user=request.user, instance=staff)
    if request.method == "POST" and form.is_valid():
        try:
            update_staff(staff, by=request.user, **form.cleaned_data)
        except KnowledgeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(f"{_staff_list_url()}?year={staff.year}")
    context = {
        "form": form,
        "staff": staff,
        "participations": staff.participations.select_related("training"),
        "history": ActionLog.objects.for_object(staff).select_related("actor"),
    }
    return render(request, "knowledge/staff_form.html", context)


@login_required
@require_POST
def staff_delete(request, pk):
    staff = get_object_or_404(ProgramStaff.objects.select_related("unit"), pk=pk)
    if not can_edit_staff(request.user, staff.unit):
        raise PermissionDenied
    try:
        delete_staff(staff, by=request.user)
    except KnowledgeError as error:
        messages.error(request, str(error))
        return redirect(staff)
    messages.success(request, _("Đã xóa %(name)s.") % {"name": staff.full_name})
    return redirect(f"{_staff_list_url()}?year={staff.year}")


@login_required
@require_http_methods(["GET", "POST"])
def staff_import(request):
    if not can_view_roster(request.user):
        raise PermissionDenied
    back = _staff_list_url()
    return import_page(
        request,
        run=lambda file: import_staff(file, by=request.user),
        title=_("Cán bộ quản lý Chương trình NTM"),
        template_url=reverse("knowledge:staff-template"),
        done_url=back,
        back_url=back,
        steps=[
            _("Trang “Danh sách đơn vị” trong tệp mẫu có mã các đơn vị bạn quản lý."),
            _("Năm và mã cán bộ đã có sẽ được cập nhật; chưa có sẽ được thêm mới."),
        ],
    )


@login_required
def staff_template(request):
    if not can_view_roster(request.user):
        raise PermissionDenied
    units = units_of(
        request.user, Unit.Level.DISTRICT, Unit.Level.COMMUNE, Unit.Level.VILLAGE
    ).order_by("path", "valid_from")
    return xlsx_response(exports.build_template(units), "mau-nhap-can-bo")


@login_required
def training_list(request):
    if not can_view_roster(request.user):
        raise PermissionDenied
    form = TrainingFilterForm(request.GET)
    trainings = (
        form.apply(
            Training.objects.seen_within(keeper_paths(request.user)).select_related(
                "organiser"
            )
        )
        .with_attendance()
        .order_by("-held_on", "title", "pk")
    )
    attendance = trainings.attendance_by_audience()
    page = Paginator(trainings, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "querystring_without_page": query.urlencode(),
        "can_create": can_create_training(request.user),
        "attendance": [
            (label, attendance[value]) for value, label in Training.Audience.choices
        ],
    }
    template = "knowledge/training_list.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


@login_required
def training_detail(request, pk):
    training = get_object_or_404(Training.objects.select_related("organiser"), pk=pk)
    if not can_view_training(request.user, training):
        raise PermissionDenied
    can_edit = can_edit_training(request.user, training)
    participations = visible_participations(request.user, training).select_related(
        "staff__unit"
    )
    context = {
        "training": training,
        "participations": participations,
        "present": sum(1 for p in participations if p.attended)
        + training.unlisted_attendees,
        "can_edit": can_edit,
        "participant_form": ParticipantForm(training=training, user=request.user)
        if can_edit
        else None,
        # The history names every participant: for the organiser's keepers.
        "history": ActionLog.objects.for_object(training).select_related("actor")
        if can_edit
        else [],
    }
    return render(request, "knowledge/training_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def training_create(request):
    if not can_create_training(request.user):
        raise PermissionDenied
    form = TrainingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            training = create_training(by=request.user, **form.cleaned_data)
        except KnowledgeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã thêm lớp tập huấn."))
            return redirect(training)
    return render(request, "knowledge/training_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def training_edit(request, pk):
    training = get_object_or_404(Training.objects.select_related("organiser"), pk=pk)
    if not can_edit_training(request.user, training):
        raise PermissionDenied
    form = TrainingForm(request.POST or None, user=request.user, instance=training)
    if request.method == "POST" and form.is_valid():
        try:
            update_training(training, by=request.user, **form.cleaned_data)
        except KnowledgeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(training)
    return render(
        request, "knowledge/training_form.html", {"form": form, "training": training}
    )


@login_required
@require_POST
def training_delete(request, pk):
    training = get_object_or_404(Training.objects.select_related("organiser"), pk=pk)
    if not can_edit_training(request.user, training):
        raise PermissionDenied
    delete_training(training, by=request.user)
    messages.success(request, _("Đã xóa lớp tập huấn."))
    return redirect("knowledge:training-list")


@login_required
@require_POST
def participant_add(request, pk):
    training = get_object_or_404(Training.objects.select_related("organiser"), pk=pk)
    if not can_edit_training(request.user, training):
        raise PermissionDenied
    form = ParticipantForm(request.POST, training=training, user=request.user)
    if form.is_valid():
        try:
            add_participant(training, by=request.user, **form.cleaned_data)
        except KnowledgeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã thêm người tham gia."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(training)


@login_required
@require_POST
def participant_attendance(request, pk):
    participation = _participation(request, pk)
    form = AttendanceForm(request.POST)
    form.is_valid()
    set_attendance(
        participation, attended=form.cleaned_data["attended"], by=request.user
    )
    return redirect(participation.training)


@login_required
@require_POST
def participant_remove(request, pk):
    participation = _participation(request, pk)
    remove_participant(participation, by=request.user)
    messages.success(request, _("Đã bỏ người tham gia khỏi danh sách."))
    return redirect(participation.training)


def _participation(request, pk):
    participation = get_object_or_404(
        Participation.objects.select_related("training__organiser", "staff"), pk=pk
    )
    if not can_edit_training(request.user, participation.training):
        raise PermissionDenied
    return participation


def _filtered_staff(request):
    if not can_view_roster(request.user):
        raise PermissionDenied
    form = StaffFilterForm(request.GET, user=request.user)
    if form.asks_outside_scope:
        raise PermissionDenied
    entries = ProgramStaff.objects.within_any(keeper_paths(request.user), lineage=True)
    return form, form.apply(entries)


def _staff_list_url():
    return reverse("knowledge:staff-list")
