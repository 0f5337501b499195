from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ntm.core.forms import export_params, filter_summary
from ntm.core.models import ActionLog
from ntm.core.spreadsheets import import_page, xlsx_response
from ntm.core.views import export_page
from ntm.units.forms import DayForm

from . import exports
from .forms import (
    CooperativeFilterForm,
    CooperativeForm,
    LinkageModelForm,
    communes_kept_by,
)
from .imports import import_cooperatives, import_linkage_models
from .models import Cooperative, DigitalTechnology, LinkageModel
from .permissions import (
    can_create_cooperative,
    can_edit_cooperative,
    can_export_cooperatives,
    can_view_private,
    viewer_paths,
)
from .queries import current_communes
from .services import (
    CooperativeError,
    create_cooperative,
    create_linkage_model,
    delete_cooperative,
    delete_linkage_model,
    update_cooperative,
    update_linkage_model,
)

PAGE_SIZE = 50


def cooperative_list(request):
    """Public: cooperatives are organisations; no representative or phone here."""
    day = DayForm(request.GET).past_day()
    # A bare list (a day aside) opens on the active cooperatives.
    asked = set(request.GET) - {"ngay"}
    data = request.GET if asked else {**request.GET.dict(), "active": "co"}
    form = CooperativeFilterForm(data, day=day)
    cooperatives = (
        form.apply(Cooperative.objects.select_related("commune"))
        .prefetch_related("technologies")
        .annotate(
            linkages=Count("linkage_models", filter=Q(linkage_models__is_active=True))
        )
        .order_by("name", "pk")
    )
    page = Paginator(cooperatives, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "day": day,
        "page": page,
        "now_in": current_communes(page.object_list),
        "querystring_without_page": query.urlencode(),
        "can_create": can_create_cooperative(request.user),
        "is_staff": bool(viewer_paths(request.user)),
    }
    template = "cooperatives/cooperative_list.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


def cooperative_detail(request, pk):
    cooperative = get_object_or_404(
        Cooperative.objects.select_related("commune"), pk=pk
    )
    can_edit = can_edit_cooperative(request.user, cooperative)
    context = {
        "cooperative": cooperative,
        "technologies": cooperative.technologies.all(),
        "linkage_models": cooperative.linkage_models.all(),
        "now_in": current_communes([cooperative]).get(cooperative.commune_id),
        "can_edit": can_edit,
        "show_private": can_view_private(request.user, cooperative),
        "history": ActionLog.objects.for_object(cooperative).select_related("actor")
        if can_edit
        else None,
    }
    return render(request, "cooperatives/cooperative_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cooperative_create(request):
    if not can_create_cooperative(request.user):
        raise PermissionDenied
    form = CooperativeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cooperative = create_cooperative(by=request.user, **form.cleaned_data)
        except CooperativeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã thêm hợp tác xã."))
            return redirect(cooperative)
    return render(request, "cooperatives/cooperative_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def cooperative_edit(request, pk):
    cooperative = get_object_or_404(
        Cooperative.objects.select_related("commune"), pk=pk
    )
    if not can_edit_cooperative(request.user, cooperative):
        raise PermissionDenied
    form = CooperativeForm(
        request.POST or None, user=request.user, instance=cooperative
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_cooperative(cooperative, by=request.user, **form.cleaned_data)
        except CooperativeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(cooperative)
    return render(
        request,
        "cooperatives/cooperative_form.html",
        {"form": form, "cooperative": cooperative},
    )


@login_required
@require_POST
def cooperative_delete(request, pk):
    cooperative = get_object_or_404(
        Cooperative.objects.select_related("commune"), pk=pk
    )
    if not can_edit_cooperative(request.user, cooperative):
        raise PermissionDenied
    try:
        delete_cooperative(cooperative, by=request.user)
    except CooperativeError as error:
        messages.error(request, str(error))
        return redirect(cooperative)
    messages.success(request, _("Đã xóa hợp tác xã."))
    return redirect("cooperatives:cooperative-list")


@login_required
@require_http_methods(["GET", "POST"])
def linkage_create(request, pk):
    cooperative = get_object_or_404(
        Cooperative.objects.select_related("commune"), pk=pk
    )
    if not can_edit_cooperative(request.user, cooperative):
        raise PermissionDenied
    form = LinkageModelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            create_linkage_model(
                cooperative=cooperative, by=request.user, **form.cleaned_data
            )
        except CooperativeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã thêm mô hình liên kết."))
            return redirect(cooperative)
    return render(
        request,
        "cooperatives/linkage_form.html",
        {"form": form, "cooperative": cooperative},
    )


@login_required
@require_http_methods(["GET", "POST"])
def linkage_edit(request, pk):
    model = get_object_or_404(
        LinkageModel.objects.select_related("cooperative__commune"), pk=pk
    )
    if not can_edit_cooperative(request.user, model.cooperative):
        raise PermissionDenied
    form = LinkageModelForm(request.POST or None, instance=model)
    if request.method == "POST" and form.is_valid():
        try:
            update_linkage_model(model, by=request.user, **form.cleaned_data)
        except CooperativeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(model.cooperative)
    context = {
        "form": form,
        "cooperative": model.cooperative,
        "linkage": model,
        "history": ActionLog.objects.for_object(model).select_related("actor"),
    }
    return render(request, "cooperatives/linkage_form.html", context)


@login_required
@require_POST
def linkage_delete(request, pk):
    model = get_object_or_404(
        LinkageModel.objects.select_related("cooperative__commune"), pk=pk
    )
    if not can_edit_cooperative(request.user, model.cooperative):
        raise PermissionDenied
    delete_linkage_model(model, by=request.user)
    messages.success(request, _("Đã xóa mô hình liên kết."))
    return redirect(model.cooperative)


@login_required
@require_http_methods(["GET", "POST"])
def cooperative_import(request):
    return _import(
        request,
        import_cooperatives,
        title=_("Hợp tác xã"),
        template="cooperatives:cooperative-template",
        step=_(
            "Mã số HTX đã có sẽ được cập nhật; chưa có sẽ được thêm mới. Mã xã được"
            " hiểu theo ngày thành lập: HTX thành lập trước 01/07/2025 thuộc xã cũ."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def linkage_import(request):
    return _import(
        request,
        import_linkage_models,
        title=_("Mô hình liên kết"),
        template="cooperatives:linkage-template",
        step=_(
            "Mỗi dòng ghi mã số HTX đã có; cùng HTX và cùng tên mô hình thì dòng"
            " cập nhật mô hình đó."
        ),
    )


@login_required
def cooperative_template(request):
    if not can_create_cooperative(request.user):
        raise PermissionDenied
    content = exports.build_template(
        communes_kept_by(request.user), DigitalTechnology.objects.all()
    )
    return xlsx_response(content, "mau-nhap-hop-tac-xa")


@login_required
def linkage_template(request):
    if not can_create_cooperative(request.user):
        raise PermissionDenied
    content = exports.build_linkage_template(DigitalTechnology.objects.all())
    return xlsx_response(content, "mau-nhap-mo-hinh-lien-ket")


@login_required
@require_http_methods(["GET", "POST"])
def cooperative_export(request):
    if not can_export_cooperatives(request.user):
        raise PermissionDenied
    form = CooperativeFilterForm(request.GET)
    return export_page(
        request,
        exports.COOPERATIVES_EXPORT.name,
        params=export_params(form),
        back_url=f"{reverse('cooperatives:cooperative-list')}?{request.GET.urlencode()}",
        summary=filter_summary(form),
    )


@login_required
def linkage_export(request):
    if not viewer_paths(request.user):
        raise PermissionDenied
    form = CooperativeFilterForm(request.GET)
    cooperatives = form.apply(Cooperative.objects.all())
    models = LinkageModel.objects.filter(
        cooperative__in=cooperatives.values("pk")
    ).select_related("cooperative")
    return xlsx_response(exports.export_linkage_models(models), "mo-hinh-lien-ket")


def _import(request, importer, *, title, template, step):
    if not can_create_cooperative(request.user):
        raise PermissionDenied
    back = reverse("cooperatives:cooperative-list")
    return import_page(
        request,
        run=lambda file: importer(file, by=request.user),
        title=title,
        template_url=reverse(template),
        done_url=back,
        back_url=back,
        back_label=_("Hợp tác xã"),
        steps=[step],
    )
