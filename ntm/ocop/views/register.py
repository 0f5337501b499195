"""Pages of the register: entities, products, sales channels, green chains."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ntm.core.forms import export_params, filter_summary
from ntm.core.models import ActionLog
from ntm.core.publiccache import shared_page
from ntm.core.spreadsheets import import_page, xlsx_response
from ntm.core.views import export_page
from ntm.units.forms import DayForm

from .. import exports
from ..forms import (
    EntityFilterForm,
    EntityForm,
    GreenChainForm,
    ProducerEntityForm,
    ProductFilterForm,
    ProductForm,
    SalesChannelForm,
)
from ..imports import import_entities, import_products
from ..indicators import ECOMMERCE_LABEL
from ..models import Entity, Evaluation, GreenChain, Product, SalesChannel
from ..permissions import (
    can_add_product,
    can_create_entity,
    can_edit_channel,
    can_edit_entity,
    can_edit_green_chain,
    can_edit_product,
    can_export_entities,
    can_import,
    can_manage_entity,
    can_view_private,
    is_entity_account,
    viewer_paths,
)
from ..queries import ecommerce_by_village
from ..services import (
    OcopError,
    create_entity,
    create_green_chain,
    create_product,
    create_sales_channel,
    update_entity,
    update_green_chain,
    update_product,
    update_sales_channel,
)
from .common import form_status

PAGE_SIZE = 50


# -- entities -------------------------------------------------------------------


@shared_page
def entity_list(request):
    """Public: entities are organisations; no representative or phone here."""
    form = EntityFilterForm(request.GET)
    entities = (
        form.apply(Entity.objects.select_related("unit"))
        .annotate(product_count=Count("products", distinct=True))
        .order_by("name", "pk")
    )
    page = Paginator(entities, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "own": list(Entity.objects.of_account(request.user).order_by("name")),
        "can_create": can_create_entity(request.user),
        "is_staff": bool(viewer_paths(request.user)),
    }
    template = "ocop/entity_list.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


@shared_page
def entity_detail(request, pk):
    entity = get_object_or_404(
        Entity.objects.select_related("unit", "cooperative", "household"), pk=pk
    )
    today = timezone.localdate()
    private = can_view_private(request.user, entity)
    evaluations = Evaluation.objects.filter(product__entity=entity).select_related(
        "product", "round"
    )
    if not private:
        evaluations = evaluations.certified()
    context = {
        "entity": entity,
        "today": today,
        "products": entity.products.with_certificate(today),
        "channels": entity.sales_channels.select_related("platform", "product"),
        "green_chains": entity.green_chains.select_related("linkage_model"),
        "evaluations": evaluations,
        "show_private": private,
        "can_edit": can_edit_entity(request.user, entity),
        "can_manage": can_manage_entity(request.user, entity),
        "can_edit_channels": can_edit_channel(request.user, entity),
        "history": ActionLog.objects.for_object(entity).select_related("actor")
        if private
        else None,
    }
    return render(request, "ocop/entity_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def entity_create(request):
    if not can_create_entity(request.user):
        raise PermissionDenied
    form = EntityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            entity = create_entity(by=request.user, **form.service_fields())
        except OcopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã thêm chủ thể OCOP."))
            return redirect(entity)
    return render(
        request, "ocop/entity_form.html", {"form": form}, status=form_status(form)
    )


@login_required
@require_http_methods(["GET", "POST"])
def entity_edit(request, pk):
    entity = get_object_or_404(Entity.objects.select_related("unit"), pk=pk)
    if can_manage_entity(request.user, entity):
        form = EntityForm(request.POST or None, user=request.user, instance=entity)
    elif is_entity_account(request.user, entity):
        form = ProducerEntityForm(request.POST or None, instance=entity)
    else:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            update_entity(entity, by=request.user, **form.service_fields())
        except OcopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(entity)
    return render(
        request,
        "ocop/entity_form.html",
        {"form": form, "entity": entity},
        status=form_status(form),
    )


# -- products -------------------------------------------------------------------


@shared_page
def product_list(request):
    """Public: products with the stars of their certificate valid today (or
    on the past day of ``?ngay=``)."""
    day = DayForm(request.GET).past_day() or timezone.localdate()
    form = ProductFilterForm(request.GET)
    products = form.apply(
        Product.objects.active()
        .with_certificate(day)
        .select_related("entity__unit")
        .order_by("name", "pk")
    )
    page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "is_staff": bool(viewer_paths(request.user))}
    template = "ocop/product_list.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


@shared_page
def product_detail(request, pk):
    """The public product page: stars, certificate validity, public contact.

    No personal data: the representative and their phone never show here;
    the business contact only when the entity publishes it.
    """
    product = get_object_or_404(Product.objects.select_related("entity__unit"), pk=pk)
    # ``?ngay=``: the certificate, channels and chains of a past day.
    today = DayForm(request.GET).past_day() or timezone.localdate()
    entity = product.entity
    private = can_view_private(request.user, entity)
    certified = list(product.evaluations.certified().select_related("round"))
    current = next((e for e in certified if e.is_valid_on(today)), None)
    evaluations = product.evaluations.select_related("round") if private else certified
    context = {
        "product": product,
        "entity": entity,
        "today": today,
        "current": current,
        "latest": certified[0] if certified else None,
        "contact": entity.public_contact,
        "channels": SalesChannel.objects.selling(product)
        .live_on(today)
        .select_related("platform"),
        "green_chains": entity.green_chains.live_during(today, today),
        "evaluations": evaluations,
        "show_private": private,
        "can_edit": can_edit_product(request.user, product),
        "history": ActionLog.objects.for_object(product).select_related("actor")
        if private
        else None,
    }
    return render(request, "ocop/product_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def product_create(request, entity_pk):
    entity = get_object_or_404(Entity.objects.select_related("unit"), pk=entity_pk)
    if not can_add_product(request.user, entity):
        raise PermissionDenied
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product = create_product(
                entity=entity, by=request.user, **form.cleaned_data
            )
        except OcopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã thêm sản phẩm."))
            return redirect(product)
    return render(
        request,
        "ocop/product_form.html",
        {"form": form, "entity": entity},
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request, pk):
    product = get_object_or_404(Product.objects.select_related("entity__unit"), pk=pk)
    if not can_edit_product(request.user, product):
        raise PermissionDenied
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        try:
            update_product(product, by=request.user, **form.cleaned_data)
        except OcopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(product)
    context = {"form": form, "entity": product.entity, "product": product}
    return render(request, "ocop/product_form.html", context, status=form_status(form))


# -- sales channels ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def channel_create(request, entity_pk):
    entity = get_object_or_404(Entity.objects.select_related("unit"), pk=entity_pk)
    if not can_edit_channel(request.user, entity):
        raise PermissionDenied
    form = SalesChannelForm(request.POST or None, entity=entity)
    if request.method == "POST" and form.is_valid():
        try:
            create_sales_channel(entity=entity, by=request.user, **form.cleaned_data)
        except OcopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã ghi nhận kênh bán hàng."))
            return redirect(entity)
    return render(
        request,
        "ocop/channel_form.html",
        {"form": form, "entity": entity},
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def channel_edit(request, pk):
    channel = get_object_or_404(
        SalesChannel.objects.select_related("entity__unit"), pk=pk
    )
    entity = channel.entity
    if not can_edit_channel(request.user, entity):
        raise PermissionDenied
    form = SalesChannelForm(request.POST or None, entity=entity, instance=channel)
    if request.method == "POST" and form.is_valid():
        try:
            update_sales_channel(channel, by=request.user, **form.cleaned_data)
        except OcopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(entity)
    context = {
        "form": form,
        "entity": entity,
        "channel": channel,
        "history": ActionLog.objects.for_object(channel).select_related("actor"),
    }
    return render(request, "ocop/channel_form.html", context, status=form_status(form))


# -- green / circular chains --------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def green_create(request, entity_pk):
    entity = get_object_or_404(Entity.objects.select_related("unit"), pk=entity_pk)
    if not can_edit_green_chain(request.user, entity):
        raise PermissionDenied
    form = GreenChainForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fields, upload = form.service_fields()
        try:
            create_green_chain(
                entity=entity, by=request.user, evidence_file=upload, **fields
            )
        except OcopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã ghi nhận chuỗi giá trị."))
            return redirect(entity)
    return render(
        request,
        "ocop/green_form.html",
        {"form": form, "entity": entity},
        status=form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def green_edit(request, pk):
    chain = get_object_or_404(GreenChain.objects.select_related("entity__unit"), pk=pk)
    entity = chain.entity
    if not can_edit_green_chain(request.user, entity):
        raise PermissionDenied
    form = GreenChainForm(request.POST or None, request.FILES or None, instance=chain)
    if request.method == "POST" and form.is_valid():
        fields, upload = form.service_fields()
        try:
            update_green_chain(chain, by=request.user, evidence_file=upload, **fields)
        except OcopError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(entity)
    context = {
        "form": form,
        "entity": entity,
        "chain": chain,
        "history": ActionLog.objects.for_object(chain).select_related("actor"),
    }
    return render(request, "ocop/green_form.html", context, status=form_status(form))


@login_required
def green_evidence(request, pk):
    chain = get_object_or_404(GreenChain.objects.select_related("entity__unit"), pk=pk)
    if not can_view_private(request.user, chain.entity):
        raise PermissionDenied
    if not chain.evidence_file:
        raise Http404
    return FileResponse(
        chain.evidence_file.open("rb"),
        as_attachment=True,
        filename=chain.evidence_name or None,
    )


# -- households on e-commerce (SV.ECOMMERCE) ----------------------------------------


@login_required
def household_ecommerce_page(request):
    """Per village: production households online by listing or by declaration."""
    paths = viewer_paths(request.user)
    if not paths:
        raise PermissionDenied
    context = {"rows": ecommerce_by_village(paths), "label": ECOMMERCE_LABEL}
    return render(request, "ocop/household_ecommerce.html", context)


# -- Excel ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def entity_import(request):
    if not can_import(request.user):
        raise PermissionDenied
    return import_page(
        request,
        run=lambda file: import_entities(file, by=request.user),
        title=_("Chủ thể OCOP"),
        template_url=reverse("ocop:entity-template"),
        done_url=reverse("ocop:entity-list"),
        back_url=reverse("ocop:entity-list"),
        back_label=_("Chủ thể OCOP"),
        steps=[
            _("Mã số chủ thể đã có sẽ được cập nhật; chưa có sẽ được thêm mới."),
        ],
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_import(request):
    if not can_import(request.user):
        raise PermissionDenied
    return import_page(
        request,
        run=lambda file: import_products(file, by=request.user),
        title=_("Sản phẩm OCOP"),
        template_url=reverse("ocop:product-template"),
        done_url=reverse("ocop:product-list"),
        back_url=reverse("ocop:product-list"),
        back_label=_("Sản phẩm OCOP"),
        steps=[
            _("Mỗi dòng ghi mã số chủ thể đã có; cùng chủ thể và tên thì cập nhật.")
        ],
    )


@login_required
def entity_template(request):
    if not can_import(request.user):
        raise PermissionDenied
    return xlsx_response(exports.entity_template(), _("mau-nhap-chu-the-ocop"))


@login_required
def product_template(request):
    if not can_import(request.user):
        raise PermissionDenied
    return xlsx_response(exports.product_template(), _("mau-nhap-san-pham-ocop"))


@login_required
@require_http_methods(["GET", "POST"])
def entity_export(request):
    if not can_export_entities(request.user):
        raise PermissionDenied
    form = EntityFilterForm(request.GET)
    return export_page(
        request,
        exports.ENTITIES_EXPORT.name,
        params=export_params(form),
        back_url=f"{reverse('ocop:entity-list')}?{request.GET.urlencode()}",
        summary=filter_summary(form),
    )


@login_required
def product_export(request):
    paths = viewer_paths(request.user)
    if not paths:
        raise PermissionDenied
    form = ProductFilterForm(request.GET)
    products = form.apply(
        Product.objects.within_any(paths, lineage=True)
        .with_certificate(timezone.localdate())
        .select_related("entity")
    ).order_by("entity__name", "name", "pk")
    return xlsx_response(exports.export_products(products), _("san-pham-ocop"))
