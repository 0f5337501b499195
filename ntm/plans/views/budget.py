from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ntm.core.spreadsheets import xlsx_response

from .. import exports, imports, services
from ..forms import BudgetLineForm
from ..models import BudgetLine
from ..permissions import can_edit_budget, can_view_budget
from ..queries import budget_table
from .common import get_plan, run_import


@login_required
def budget_list(request, code):
    plan = get_plan(code)
    if not can_view_budget(request.user, plan):
        raise PermissionDenied
    lines = BudgetLine.objects.filter(task__plan=plan).select_related("task")
    context = {
        "plan": plan,
        "table": budget_table(plan),
        "lines": lines,
        "can_edit": can_edit_budget(request.user, plan),
    }
    return render(request, "plans/budget_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def budget_create(request, code):
    plan = get_plan(code)
    return _edit(request, plan)


@login_required
@require_http_methods(["GET", "POST"])
def budget_edit(request, pk):
    line = get_object_or_404(
        BudgetLine.objects.select_related("task__plan__unit"), pk=pk
    )
    return _edit(request, line.task.plan, line)


@login_required
@require_http_methods(["GET", "POST"])
def budget_delete(request, pk):
    line = get_object_or_404(
        BudgetLine.objects.select_related("task__plan__unit"), pk=pk
    )
    plan = line.task.plan
    if not can_edit_budget(request.user, plan):
        raise PermissionDenied
    if request.method == "POST":
        services.delete_budget_line(line, by=request.user)
        messages.success(request, _("Đã xóa dòng kinh phí."))
        return redirect("plans:budget-list", plan.code)
    return render(request, "plans/budget_delete.html", {"plan": plan, "line": line})


def _edit(request, plan, line=None):
    if not can_edit_budget(request.user, plan):
        raise PermissionDenied
    initial = {"task": request.GET.get("nhiem_vu")} if line is None else {}
    form = BudgetLineForm(
        request.POST or None, plan=plan, instance=line, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            if line is None:
                task = fields.pop("task")
                line = services.create_budget_line(task, by=request.user, **fields)
            else:
                services.update_budget_line(line, by=request.user, **fields)
        except services.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu dòng kinh phí."))
            if line.over_disbursed:
                messages.warning(
                    request,
                    _(
                        "Lưu ý: số đã giải ngân lớn hơn kinh phí bố trí; kiểm tra"
                        " lại nếu kinh phí chưa được điều chỉnh."
                    ),
                )
            return redirect("plans:budget-list", plan.code)
    context = {"plan": plan, "form": form, "line": line}
    return render(request, "plans/budget_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def budget_import(request, code):
    plan = get_plan(code)
    if not can_edit_budget(request.user, plan):
        raise PermissionDenied
    return run_import(
        request,
        plan=plan,
        importer=imports.import_budget,
        title=_("Kinh phí thực hiện"),
        back=reverse("plans:budget-list", args=[plan.code]),
        template_url=reverse("plans:budget-export", args=[plan.code]) + "?mau=1",
    )


@login_required
def budget_export(request, code):
    plan = get_plan(code)
    if not can_view_budget(request.user, plan):
        raise PermissionDenied
    if request.GET.get("mau"):
        content = exports.records_workbook(exports.BUDGET, [])
        return xlsx_response(content, "mau-kinh-phi")
    lines = list(BudgetLine.objects.filter(task__plan=plan).select_related("task"))
    content = exports.budget_workbook(plan, lines, budget_table(plan))
    return xlsx_response(content, "kinh-phi")
