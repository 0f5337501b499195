"""Evidence files of an entered value: attaching one, and downloading it for
those who enter or review the value.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms import EvidenceForm
from ..models import Evidence
from ..permissions import can_enter_value, can_review_value
from ..services import WorkflowError, add_evidence
from .entry import back_to_entry, entered_indicator, entry_or_404, entry_unit


@login_required
@require_POST
def evidence_add(request, unit_code, indicator_code):
    unit, period = entry_unit(request, unit_code)
    indicator = entered_indicator(unit, period, indicator_code)
    entry = entry_or_404(indicator, unit, period)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        # The field says why: no file chosen, or a file the upload rule refuses.
        for problem in form.errors.get("file", [_("Chưa chọn tệp minh chứng.")]):
            messages.error(request, problem)
        return back_to_entry(unit, period, indicator)
    try:
        add_evidence(entry, upload=form.cleaned_data["file"], by=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã thêm minh chứng cho %s.") % indicator.code)
    return back_to_entry(unit, period, indicator)


@login_required
def evidence_download(request, pk):
    evidence = get_object_or_404(Evidence.objects.select_related("value__unit"), pk=pk)
    value = evidence.value
    if not (
        can_enter_value(request.user, value.unit)
        or can_review_value(request.user, value)
    ):
        raise PermissionDenied
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.name
    )
