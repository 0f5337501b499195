from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .. import exports
from ..forms import ImportForm
from ..imports import PlanImportError
from ..models import Plan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get_plan(code):
    return get_object_or_404(Plan.objects.select_related("unit"), code=code)


def xlsx(content, prefix):
    response = HttpResponse(content, content_type=XLSX)
    name = exports.export_filename(prefix)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def chosen_year(request, plan):
    """The ``nam`` asked for, else this year within the plan's years."""
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, plan.first_year), plan.last_year)


def run_import(request, *, plan, importer, title, back, template_url):
    """The import page: upload, all-or-nothing import, row-by-row report."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            result = importer(form.cleaned_data["file"], plan=plan, by=request.user)
        except PlanImportError as error:
            report = error
        else:
            messages.success(request, result.message)
            return None
    return render(
        request,
        "plans/record_import.html",
        {
            "plan": plan,
            "form": form,
            "report": report,
            "title": title,
            "back": back,
            "template_url": template_url,
            "upload_max": settings.UPLOAD_MAX_BYTES,
        },
        status=422 if report or form.errors else 200,
    )
