"""Criteria sets: the public catalogue, a set's criteria and requirements, and
editing a requirement (thresholds are set by the focal office).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ntm.core.models import ActionLog

from ..forms import RequirementForm
from ..models import CriteriaSet, Requirement
from ..permissions import can_edit_criteria
from ..services import WorkflowError, update_requirement
from .common import areas_of_level, set_and_year, year_end, years_of


def criteriaset_list(request):
    sets = CriteriaSet.objects.active().order_by("level", "code", "-version")
    return render(request, "indicators/criteriaset_list.html", {"sets": sets})


def criteriaset_detail(request, set_code):
    criteria_set, year = set_and_year(request, set_code)
    day = year_end(year)
    criteria = criteria_set.criteria.prefetch_related(
        "requirements__indicator"
    ).order_by("order")
    areas = areas_of_level(criteria_set.level, day)
    return render(
        request,
        "indicators/criteriaset_detail.html",
        {
            "criteria_set": criteria_set,
            "criteria": criteria,
            "year": str(year),
            "years": years_of(criteria_set),
            "areas": areas,
            "can_edit": can_edit_criteria(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def requirement_edit(request, pk):
    requirement = get_object_or_404(
        Requirement.objects.select_related("indicator", "criterion__criteria_set"),
        pk=pk,
    )
    if not can_edit_criteria(request.user):
        raise PermissionDenied
    form = RequirementForm(request.POST or None, requirement=requirement)
    if request.method == "POST" and form.is_valid():
        try:
            update_requirement(requirement, by=request.user, **form.changed_fields())
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu yêu cầu %s.") % requirement.code)
            return redirect(
                "indicators:criteriaset-detail",
                requirement.criterion.criteria_set.code,
            )
    return render(
        request,
        "indicators/requirement_edit.html",
        {
            "requirement": requirement,
            "form": form,
            "history": ActionLog.objects.for_object(requirement).select_related(
                "actor"
            ),
        },
        status=422 if form.errors else 200,
    )
