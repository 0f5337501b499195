"""Criteria sets: the public catalogue, a set's criteria and requirements, and
editing a requirement (thresholds are set by the focal office).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ntm.core.models import ActionLog
from ntm.core.spreadsheets import ImportRefused, SpreadsheetError, xlsx_response

from ..criteria_sheet import criteria_set_workbook, read_criteria_sheet, set_differences
from ..forms import CriteriaSheetForm, RequirementForm
from ..models import CriteriaSet, Requirement
from ..permissions import can_edit_criteria
from ..services import WorkflowError, adopt_criteria_version, update_requirement
from .common import areas_of_level, set_and_year, year_end, years_of

# The sheet read at the preview travels to the confirmation signed, so what
# is saved is exactly what the admin read, and no file is kept in between.
SHEET_SALT = "indicators.criteria-sheet"


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


def criteriaset_export(request, set_code):
    """The version in force in ``?nam=`` as the official table: the template
    of its next version too."""
    criteria_set, year = set_and_year(request, set_code)
    return xlsx_response(
        criteria_set_workbook(criteria_set),
        f"bo-tieu-chi-{criteria_set.code}-v{criteria_set.version}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def criteriaset_import(request, set_code):
    """Upload a sheet, read the difference against the version in force,
    then save it as a new version from a year."""
    if not can_edit_criteria(request.user):
        raise PermissionDenied
    criteria_set, year = set_and_year(request, set_code)
    context = {"criteria_set": criteria_set, "year": str(year)}
    if request.method == "POST" and "payload" in request.POST:
        return _adopt(request, criteria_set, context)
    form = CriteriaSheetForm(
        request.POST or None,
        request.FILES or None,
        initial={"from_year": timezone.localdate().year + 1},
    )
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            criteria = read_criteria_sheet(form.cleaned_data["file"])
        except ImportRefused as error:
            report = error
        except SpreadsheetError as error:
            report = ImportRefused.from_file(error)
        else:
            payload = {
                "criteria": criteria,
                "from_year": form.cleaned_data["from_year"],
            }
            context.update(
                differences=set_differences(criteria_set, criteria),
                from_year=payload["from_year"],
                payload=signing.dumps(payload, salt=SHEET_SALT, compress=True),
                requirement_count=sum(len(c["requirements"]) for c in criteria),
            )
    context.update(form=form, report=report)
    return render(
        request,
        "indicators/criteriaset_import.html",
        context,
        status=422 if report or form.errors else 200,
    )


def _adopt(request, criteria_set, context):
    try:
        payload = signing.loads(request.POST["payload"], salt=SHEET_SALT, max_age=3600)
    except signing.BadSignature:
        messages.error(request, _("Bản xem trước đã hết hạn; hãy tải tệp lên lại."))
        return redirect(request.path)
    try:
        adopted = adopt_criteria_version(
            criteria_set,
            payload["criteria"],
            from_year=payload["from_year"],
            by=request.user,
        )
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect(request.path)
    messages.success(
        request,
        _("Đã lưu phiên bản %(version)s, áp dụng từ năm %(year)s.")
        % {"version": adopted.version, "year": adopted.first_year},
    )
    url = reverse("indicators:criteriaset-detail", args=[adopted.code])
    return redirect(f"{url}?nam={adopted.first_year}")
