from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ntm.core.models import ActionLog
from ntm.core.spreadsheets import xlsx_response

from .. import exports, imports, services
from ..forms import TaskFilterForm, TaskForm, TaskUpdateForm
from ..models import KeyTask, Target, TaskUpdate
from ..permissions import (
    can_create_task,
    can_edit_budget,
    can_edit_task,
    can_update_task,
    can_view_budget,
    can_view_records,
    can_view_tasks,
)
from .common import get_plan, run_import


def plan_detail(request, code):
    plan = get_plan(code)
    context = {
        "plan": plan,
        "targets": plan.targets.select_related("requirement__indicator"),
        "can_view_records": can_view_records(request.user, plan),
        "can_view_tasks": can_view_tasks(request.user, plan),
        "can_view_budget": can_view_budget(request.user, plan),
    }
    return render(request, "plans/plan_detail.html", context)


def target_detail(request, code, number):
    target = get_object_or_404(
        Target.objects.select_related("plan", "requirement__indicator"),
        plan__code=code,
        number=number,
    )
    return render(request, "plans/target_detail.html", {"target": target})


@login_required
def task_list(request, code):
    plan = get_plan(code)
    if not can_view_tasks(request.user, plan):
        raise PermissionDenied
    form = TaskFilterForm(request.GET or None)
    tasks = plan.tasks.all()
    if form.is_valid():
        tasks = form.apply(tasks)
    context = {
        "plan": plan,
        "form": form,
        "tasks": tasks,
        "can_create": can_create_task(request.user, plan),
    }
    return render(request, "plans/task_list.html", context)


@login_required
def task_detail(request, pk):
    task = get_object_or_404(KeyTask.objects.select_related("plan__unit"), pk=pk)
    if not can_view_tasks(request.user, task.plan):
        raise PermissionDenied
    lines = task.budget_lines.order_by("year", "source")
    context = {
        "task": task,
        "plan": task.plan,
        "updates": task.updates.select_related("author"),
        "budget_lines": lines if can_view_budget(request.user, task.plan) else None,
        "budget_total": lines.aggregate(
            allocated=Sum("allocated"), disbursed=Sum("disbursed")
        ),
        "history": ActionLog.objects.for_object(task).select_related("actor"),
        "can_edit": can_edit_task(request.user, task),
        "can_update": can_update_task(request.user, task),
        "can_edit_budget": can_edit_budget(request.user, task.plan),
    }
    return render(request, "plans/task_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request, code):
    plan = get_plan(code)
    if not can_create_task(request.user, plan):
        raise PermissionDenied
    form = TaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.create_task(plan, by=request.user, **form.service_fields())
        except services.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã thêm nhiệm vụ."))
            return redirect(task)
    return render(request, "plans/task_form.html", {"plan": plan, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request, pk):
    task = get_object_or_404(KeyTask.objects.select_related("plan__unit"), pk=pk)
    if not can_edit_task(request.user, task):
        raise PermissionDenied
    form = TaskForm(request.POST or None, instance=task)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_task(task, by=request.user, **form.service_fields())
        except services.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect(task)
    context = {"plan": task.plan, "task": task, "form": form}
    return render(request, "plans/task_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def taskupdate_create(request, pk):
    task = get_object_or_404(KeyTask.objects.select_related("plan__unit"), pk=pk)
    if not can_update_task(request.user, task):
        raise PermissionDenied
    initial = {"status": task.status, "progress": task.progress}
    form = TaskUpdateForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_task_update(task, by=request.user, **form.service_fields())
        except services.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã cập nhật tiến độ."))
            return redirect(task)
    context = {"plan": task.plan, "task": task, "form": form}
    return render(request, "plans/taskupdate_form.html", context)


@login_required
def taskupdate_evidence(request, pk):
    update = get_object_or_404(
        TaskUpdate.objects.select_related("task__plan__unit"), pk=pk
    )
    if not can_view_tasks(request.user, update.task.plan):
        raise PermissionDenied
    if not update.evidence:
        raise Http404
    return FileResponse(
        update.evidence.open("rb"), as_attachment=True, filename=update.evidence_name
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_import(request, code):
    plan = get_plan(code)
    if not can_create_task(request.user, plan):
        raise PermissionDenied
    return run_import(
        request,
        plan=plan,
        importer=imports.import_tasks,
        title=_("Nhiệm vụ trọng tâm"),
        back=_task_list_url(plan),
        template_url=_task_list_url(plan, "plans:task-export") + "?mau=1",
    )


@login_required
def task_export(request, code):
    plan = get_plan(code)
    if not can_view_tasks(request.user, plan):
        raise PermissionDenied
    if request.GET.get("mau"):
        return xlsx_response(
            exports.records_workbook(exports.TASKS, []), "mau-nhiem-vu"
        )
    tasks = list(plan.tasks.all())
    content = exports.records_workbook(
        exports.TASKS,
        [exports.task_row(t) for t in tasks],
        demo=any(t.is_demo for t in tasks),
    )
    return xlsx_response(content, "nhiem-vu")


def _task_list_url(plan, name="plans:task-list"):
    return reverse(name, args=[plan.code])
