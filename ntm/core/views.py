"""The pages of export jobs (ntm/core/exports.py): the request any app's
export view hands over to, the job's progress, its download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .exports import ExportError, export_kind, record_export_download, request_export
from .forms import ExportForm
from .models import ExportJob
from .permissions import can_download_export
from .spreadsheets import XLSX

RECENT_JOBS = 20


def export_page(request, name, *, params, back_url, back_label="", summary=()):
    """The request page of any app's export: what it holds, the purpose when
    it holds personal data; on POST the job starts and its page opens.

    The app's view checks the user's right to the export first; ``params``
    (the list's filters) are what the job's builder reads back.
    """
    kind = export_kind(name)
    personal = kind.is_personal(request.user, params)
    form = ExportForm(request.POST or None, personal=personal)
    if request.method == "POST" and form.is_valid():
        try:
            job = request_export(
                name,
                by=request.user,
                params=params,
                purpose=form.cleaned_data.get("purpose", ""),
                back_url=back_url,
            )
        except ExportError as error:
            form.add_error(None, str(error))
        else:
            return redirect(job)
    return render(
        request,
        "core/export_request.html",
        {
            "form": form,
            "kind": kind,
            "personal": personal,
            "summary": summary,
            "back_url": back_url,
            "back_label": back_label or kind.title,
        },
    )


@login_required
def export_list(request):
    jobs = ExportJob.objects.requested_by(request.user)[:RECENT_JOBS]
    return render(request, "core/export_list.html", {"jobs": jobs})


@login_required
def export_detail(request, pk):
    job = _own_job(request, pk)
    template = "core/export_job.html"
    return render(
        request, f"{template}#status" if request.htmx else template, {"job": job}
    )


@login_required
@require_http_methods(["GET"])
def export_download(request, pk):
    job = _own_job(request, pk)
    if not job.is_ready:
        messages.error(request, _("Tệp này không còn để tải."))
        return redirect(job)
    record_export_download(job, by=request.user)
    response = FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.filename
    )
    response["Content-Type"] = XLSX
    response["Cache-Control"] = "no-store"
    return response


def _own_job(request, pk):
    job = get_object_or_404(ExportJob.objects.select_related("requested_by"), pk=pk)
    if not can_download_export(request.user, job):
        raise PermissionDenied
    return job
