"""The know-how library's pages: public reading and search, keepers' editing.

Anyone reads and searches published guides and downloads their files (each
download counted); district and commune keepers publish for their unit and
see its drafts (``permissions.can_edit_guide``). Visitors get the shared
copy of the list and guide pages (``core.publiccache``); a download count
shown there may lag by the copy's lifetime, since counting is not a write
of the library.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ntm.core.publiccache import shared_page

from .forms import GuideFilterForm, GuideForm
from .models import Guide
from .permissions import (
    can_edit_guide,
    can_publish_guides,
    can_read_guide,
    keeper_paths,
)
from .services import (
    KnowledgeError,
    count_download,
    create_guide,
    delete_guide,
    update_guide,
)

PAGE_SIZE = 20


@shared_page
def guide_list(request):
    form = GuideFilterForm(request.GET)
    guides = form.apply(
        Guide.objects.readable_by(keeper_paths(request.user)).select_related(
            "publisher"
        )
    ).defer("body", "search_body", "publisher__boundary")
    page = Paginator(guides, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "querystring_without_page": query.urlencode(),
        "searching": bool(form.is_valid() and form.cleaned_data.get("q")),
        "can_create": can_publish_guides(request.user),
    }
    template = "knowledge/guide_list.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


@shared_page
def guide_detail(request, pk):
    guide = _readable(request, pk)
    context = {"guide": guide, "can_edit": can_edit_guide(request.user, guide)}
    return render(request, "knowledge/guide_detail.html", context)


def guide_download(request, pk):
    guide = _readable(request, pk)
    if not guide.file:
        raise Http404
    try:
        handle = guide.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    count_download(guide)
    return FileResponse(handle, as_attachment=True, filename=guide.file_name)


@login_required
@require_http_methods(["GET", "POST"])
def guide_create(request):
    if not can_publish_guides(request.user):
        raise PermissionDenied
    form = GuideForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            guide = create_guide(by=request.user, **form.cleaned_data)
        except KnowledgeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã đăng tài liệu."))
            return redirect(guide)
    return render(request, "knowledge/guide_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def guide_edit(request, pk):
    guide = get_object_or_404(Guide.objects.select_related("publisher"), pk=pk)
    if not can_edit_guide(request.user, guide):
        raise PermissionDenied
    form = GuideForm(
        request.POST or None, request.FILES or None, user=request.user, instance=guide
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_guide(guide, by=request.user, **form.cleaned_data)
        except KnowledgeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(guide)
    return render(request, "knowledge/guide_form.html", {"form": form, "guide": guide})


@login_required
@require_POST
def guide_delete(request, pk):
    guide = get_object_or_404(Guide.objects.select_related("publisher"), pk=pk)
    if not can_edit_guide(request.user, guide):
        raise PermissionDenied
    delete_guide(guide, by=request.user)
    messages.success(request, _("Đã xóa tài liệu."))
    return redirect("library:guide-list")


def _readable(request, pk):
    guide = get_object_or_404(Guide.objects.select_related("publisher"), pk=pk)
    # A draft is not found, rather than forbidden, for whoever may not see it.
    if not can_read_guide(request.user, guide):
        raise Http404
    return guide
