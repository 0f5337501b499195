"""Entry screens of the records behind targets 1, 10 and 12, per year.

The three record types share one list, form, delete, import and export page;
``_pages`` makes the six views of a type (``Kind``) from them.
"""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ntm.core.spreadsheets import xlsx_response

from .. import exports, imports, services
from ..forms import PilotForm, ServiceForm, TallyForm
from ..models import EssentialService, PilotCommune, WorkDossierTally
from ..models.records import year_bounds
from ..permissions import can_view_records
from ..queries import record_units
from .common import chosen_year, get_plan, run_import

VERBS = ("list", "create", "edit", "delete", "import", "export")


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type
    form: type
    sheet: object
    row: object
    importer: object
    create: object
    update: object
    delete: object
    title: str
    file_prefix: str

    @property
    def names(self):
        """{"list": "plans:tally-list", ...} for the templates' url tags."""
        return {verb: f"plans:{self.slug}-{verb}" for verb in VERBS}

    def url(self, verb, *args):
        return reverse(f"plans:{self.slug}-{verb}", args=args)

    def of_year(self, records, year):
        if self.model is WorkDossierTally:
            return records.filter(year=year)
        if self.model is EssentialService:
            return records.active_in(year)
        return records.filter(started_on__lte=year_bounds(year)[1])


TALLY = Kind(
    "tally",
    WorkDossierTally,
    TallyForm,
    exports.TALLIES,
    exports.tally_row,
    imports.import_tallies,
    services.create_tally,
    services.update_tally,
    services.delete_tally,
    gettext_lazy("Hồ sơ công việc xử lý trên môi trường mạng"),
    "ho-so-cong-viec",
)
SERVICE = Kind(
    "service",
    EssentialService,
    ServiceForm,
    exports.SERVICES,
    exports.service_row,
    imports.import_services,
    services.create_service,
    services.update_service,
    services.delete_service,
    gettext_lazy("Dịch vụ thiết yếu trực tuyến của xã"),
    "dich-vu-thiet-yeu",
)
PILOT = Kind(
    "pilot",
    PilotCommune,
    PilotForm,
    exports.PILOTS,
    exports.pilot_row,
    imports.import_pilots,
    services.create_pilot,
    services.update_pilot,
    services.delete_pilot,
    gettext_lazy("Xã thí điểm nông thôn mới thông minh"),
    "xa-thi-diem",
)


# -- the six pages of each type ---------------------------------------------------
def _pages(kind):
    """The six pages of a record type, in the order of ``VERBS`` (and of
    ``urls._record_paths``), named ``<slug>_<verb>``."""

    @login_required
    def list_page(request, code):
        return _list(request, code, kind)

    @login_required
    @require_http_methods(["GET", "POST"])
    def create_page(request, code):
        return _edit(request, code, kind)

    @login_required
    @require_http_methods(["GET", "POST"])
    def edit_page(request, code, pk):
        return _edit(request, code, kind, pk)

    @login_required
    @require_http_methods(["GET", "POST"])
    def delete_page(request, code, pk):
        return _delete(request, code, kind, pk)

    @login_required
    @require_http_methods(["GET", "POST"])
    def import_page(request, code):
        return _import(request, code, kind)

    @login_required
    def export_page(request, code):
        return _export(request, code, kind)

    pages = (list_page, create_page, edit_page, delete_page, import_page, export_page)
    for verb, page in zip(VERBS, pages, strict=True):
        page.__name__ = page.__qualname__ = f"{kind.slug}_{verb}"
    return pages


(
    tally_list,
    tally_create,
    tally_edit,
    tally_delete,
    tally_import,
    tally_export,
) = _pages(TALLY)
(
    service_list,
    service_create,
    service_edit,
    service_delete,
    service_import,
    service_export,
) = _pages(SERVICE)
(
    pilot_list,
    pilot_create,
    pilot_edit,
    pilot_delete,
    pilot_import,
    pilot_export,
) = _pages(PILOT)


# -- shared steps ----------------------------------------------------------------
def _scope(request, code):
    plan = get_plan(code)
    if not can_view_records(request.user, plan):
        raise PermissionDenied
    units = record_units(request.user, plan)
    if not units:
        raise PermissionDenied
    return plan, units


def _records(kind, units):
    return kind.model.objects.within_units(units).select_related("unit")


def _list(request, code, kind):
    plan, units = _scope(request, code)
    year = chosen_year(request, plan)
    records = list(kind.of_year(_records(kind, units), year))
    context = {
        "plan": plan,
        "kind": kind,
        "year": year,
        "records": records,
        "headers": [c.header for c in kind.sheet.columns if c.key != "year"],
        "rows": [(r, _cells(kind, r)) for r in records],
    }
    return render(request, "plans/record_list.html", context)


def _cells(kind, record):
    """(value, "date" | "num" | "text") per column, the year column left out."""
    cells = []
    for column, value in zip(kind.sheet.columns, kind.row(record), strict=True):
        if column.key == "year":
            continue
        if isinstance(value, datetime.date) or column.key.endswith(("_on", "_date")):
            cells.append((value, "date"))
        elif isinstance(value, int):
            cells.append((value, "num"))
        else:
            cells.append((value, "text"))
    return cells


def _edit(request, code, kind, pk=None):
    plan, units = _scope(request, code)
    record = None
    if pk is not None:
        record = get_object_or_404(_records(kind, units), pk=pk)
    year = chosen_year(request, plan)
    initial = {"year": year} if kind is TALLY else {}
    form = kind.form(
        request.POST or None, units=units, instance=record, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            if record is None:
                record = kind.create(by=request.user, **form.service_fields())
            else:
                kind.update(record, by=request.user, **form.service_fields())
        except services.PlanError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(f"{kind.url('list', plan.code)}?nam={year}")
    context = {"plan": plan, "kind": kind, "form": form, "record": record, "year": year}
    return render(request, "plans/record_form.html", context)


def _delete(request, code, kind, pk):
    plan, units = _scope(request, code)
    record = get_object_or_404(_records(kind, units), pk=pk)
    if request.method == "POST":
        kind.delete(record, by=request.user)
        messages.success(request, _("Đã xóa %(record)s.") % {"record": record})
        return redirect(kind.url("list", plan.code))
    context = {"plan": plan, "kind": kind, "record": record}
    return render(request, "plans/record_delete.html", context)


def _import(request, code, kind):
    plan, _units = _scope(request, code)
    return run_import(
        request,
        plan=plan,
        importer=kind.importer,
        title=kind.title,
        back=kind.url("list", plan.code),
        template_url=kind.url("export", plan.code) + "?mau=1",
    )


def _export(request, code, kind):
    plan, units = _scope(request, code)
    if request.GET.get("mau"):
        content = exports.records_workbook(kind.sheet, [])
        return xlsx_response(content, f"mau-{kind.file_prefix}")
    records = list(_records(kind, units))
    content = exports.records_workbook(
        kind.sheet,
        [kind.row(r) for r in records],
        demo=any(r.is_demo for r in records),
    )
    return xlsx_response(content, kind.file_prefix)
