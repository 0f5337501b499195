from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.core.spreadsheets import import_page

from ..models import Plan


def get_plan(code):
    return get_object_or_404(Plan.objects.select_related("unit"), code=code)


def chosen_year(request, plan):
    """The ``nam`` asked for, else this year within the plan's years."""
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, plan.first_year), plan.last_year)


def run_import(request, *, plan, importer, title, back, template_url):
    """The import page of a plan's records (the shared page, with its plan)."""
    return import_page(
        request,
        run=lambda file: importer(file, plan=plan, by=request.user),
        title=title,
        template_url=template_url,
        done_url=back,
        back_url=back,
        steps=[_("Bản ghi đã có (cùng khóa) được cập nhật; bản ghi mới được thêm.")],
        template="plans/record_import.html",
        context={"plan": plan},
    )
