from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ntm.accounts.models import Role
from ntm.accounts.permissions import holds_role_on
from ntm.core.models import ActionLog
from ntm.units.models import Unit
from ntm.units.scope import within_paths

from . import reports
from .forms import (
    AppraisalForm,
    CriterionAppraisalFormSet,
    DecisionForm,
    DossierFilterForm,
    DossierForm,
    EvidenceForm,
    PostingForm,
    RevocationForm,
    VoteForm,
)
from .models import Dossier, DossierEvidence
from .permissions import (
    can_appraise_dossier,
    can_conclude_appraisal,
    can_create_dossier,
    can_decide_dossier,
    can_edit_dossier,
    can_receive_dossier,
    can_revoke_dossier,
    can_view_dossier,
    can_view_dossiers,
    can_view_evidence,
    has_conflict,
    reader_paths,
)
from .services import (
    MIN_POSTINGS,
    POSTING_WINDOW_DAYS,
    DossierError,
    add_evidence,
    add_posting,
    appraise_criteria,
    assessment_figures,
    complete_appraisal,
    create_dossier,
    decide_dossier,
    receive_dossier,
    revoke_dossier,
    self_assess_dossier,
    submit_dossier,
    unmet_criteria,
    vote_on_dossier,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def dossier_list(request):
    if not can_view_dossiers(request.user):
        raise PermissionDenied
    form = DossierFilterForm(request.GET)
    dossiers = form.apply(
        Dossier.objects.within_any(reader_paths(request.user)).select_related(
            "unit", "criteria_set"
        )
    )
    page = Paginator(dossiers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "dossiers/dossier_list.html",
        {
            "form": form,
            "page": page,
            "can_create": _creatable_units(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def dossier_create(request):
    units = _creatable_units(request.user)
    if not units.exists():
        raise PermissionDenied
    form = DossierForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        if not can_create_dossier(request.user, unit):
            raise PermissionDenied
        try:
            dossier = create_dossier(
                unit,
                kind=form.cleaned_data["kind"],
                year=form.cleaned_data["year"],
                by=request.user,
            )
        except DossierError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã lập hồ sơ."))
            return redirect(dossier)
    return render(request, "dossiers/dossier_form.html", {"form": form})


@login_required
def dossier_detail(request, pk):
    dossier = _dossier(pk)
    if not can_view_dossier(request.user, dossier):
        raise PermissionDenied
    return _detail(request, dossier)


def _detail(request, dossier, status=200, **forms):
    """The dossier page; ``forms`` puts back a refused form with what the user
    typed and why it was refused."""
    figures = dossier.assessment or assessment_figures(
        dossier.criteria_set, dossier.unit, dossier.year
    )
    actions = Dossier.Status.actions_from(
        dossier.status, allowed=_allowed(request.user, dossier)
    )
    context = {
        "dossier": dossier,
        "figures": figures,
        "rows": _criterion_rows(dossier, figures),
        "postings": dossier.postings.all(),
        "actions": actions,
        "can_edit": can_edit_dossier(request.user, dossier)
        and dossier.is_open_for_edits,
        # Told why the appraisal button is missing for them.
        "conflict": holds_role_on(request.user, dossier.unit, Role.COUNCIL_MEMBER)
        and Dossier.Status.allows(dossier.status, "appraise")
        and has_conflict(request.user, dossier),
        "evidence_form": EvidenceForm(),
        "posting_form": PostingForm(),
        "decision_form": DecisionForm(),
        "revocation_form": RevocationForm(),
        "min_postings": MIN_POSTINGS,
        "window_days": POSTING_WINDOW_DAYS,
        "history": ActionLog.objects.for_object(dossier).select_related("actor"),
        "unmet": unmet_criteria(figures),
        "votes": dossier.votes.select_related("member"),
        **forms,
    }
    return render(request, "dossiers/dossier_detail.html", context, status=status)


def _allowed(user, dossier):
    """The transitions ``user`` may make on ``dossier``, whatever its state."""
    allowed = set()
    if can_edit_dossier(user, dossier):
        allowed |= {"self_assess", "post", "submit"}
    if can_receive_dossier(user, dossier):
        allowed.add("receive")
    if can_appraise_dossier(user, dossier):
        allowed |= {"appraise", "conclude"}
    if can_decide_dossier(user, dossier):
        allowed |= {"recognise", "refuse"}
    if can_revoke_dossier(user, dossier):
        allowed.add("revoke")
    return allowed


def _refused(request, dossier, name, form, error=None):
    """Back to the dossier page with the form as typed (rule: nothing the user
    typed is lost), its errors, and a 400."""
    if error is not None:
        form.add_error(None, error)
    # The form sits far down a long page: focusing its first field (the first
    # wrong one if any) scrolls the browser to it, with no script.
    wrong = [field for field in form.errors if field in form.fields]
    visible = [field.name for field in form.visible_fields()]
    first = (wrong or visible)[0]
    form.fields[first].widget.attrs["autofocus"] = True
    messages.error(request, _("Chưa lưu được: xem lỗi bên dưới."))
    return _detail(request, dossier, status=400, **{name: form})


@login_required
@require_POST
def dossier_assess(request, pk):
    dossier = _dossier(pk)
    if not can_edit_dossier(request.user, dossier):
        raise PermissionDenied
    _run(request, self_assess_dossier, dossier, _("Đã cập nhật kết quả tự đánh giá."))
    return redirect(dossier)


@login_required
@require_POST
def evidence_add(request, pk):
    dossier = _dossier(pk)
    if not can_edit_dossier(request.user, dossier):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        # A refused file says why (type, size, content); no file asks for one.
        refused = request.FILES and form.errors.get("file")
        messages.error(
            request, refused[0] if refused else _("Cần chọn tệp minh chứng.")
        )
        return redirect(dossier)
    try:
        add_evidence(
            dossier,
            criterion_number=form.cleaned_data["criterion_number"],
            upload=form.cleaned_data["file"],
            by=request.user,
        )
    except DossierError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã thêm minh chứng."))
    return redirect(dossier)


@login_required
def evidence_download(request, pk):
    evidence = get_object_or_404(
        DossierEvidence.objects.select_related("dossier__unit"), pk=pk
    )
    if not can_view_evidence(request.user, evidence.dossier):
        raise PermissionDenied
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.name
    )


@login_required
@require_POST
def posting_add(request, pk):
    dossier = _dossier(pk)
    if not can_edit_dossier(request.user, dossier):
        raise PermissionDenied
    return _run_form(
        request,
        dossier,
        PostingForm(request.POST),
        "posting_form",
        add_posting,
        _("Đã ghi nhận lần niêm yết."),
        done=f"{dossier.get_absolute_url()}#niem-yet",
    )


@login_required
@require_POST
def dossier_submit(request, pk):
    dossier = _dossier(pk)
    if not can_edit_dossier(request.user, dossier):
        raise PermissionDenied
    try:
        submit_dossier(
            dossier,
            by=request.user,
            confirm_unmet=request.POST.get("confirm_unmet") == "1",
        )
    except DossierError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã trình hồ sơ."))
    return redirect(dossier)


@login_required
@require_POST
def dossier_receive(request, pk):
    dossier = _dossier(pk)
    if not can_receive_dossier(request.user, dossier):
        raise PermissionDenied
    _run(request, receive_dossier, dossier, _("Đã tiếp nhận hồ sơ để thẩm định."))
    return redirect(dossier)


@login_required
@require_http_methods(["GET", "POST"])
def dossier_appraise(request, pk):
    """The council's one form: a verdict and a comment for every criterion."""
    dossier = _dossier(pk)
    if not can_appraise_dossier(request.user, dossier):
        raise PermissionDenied
    if request.method == "GET":
        return _appraisal_page(request, dossier)
    formset = CriterionAppraisalFormSet(request.POST, prefix="tc")
    if not formset.is_valid():
        return _appraisal_page(request, dossier, formset=formset)
    try:
        written = appraise_criteria(
            dossier, verdicts=formset.verdicts(), by=request.user
        )
    except DossierError as error:
        messages.error(request, str(error))
        return _appraisal_page(request, dossier, formset=formset)
    messages.success(request, _("Đã ghi ý kiến %(n)s tiêu chí.") % {"n": len(written)})
    return redirect(request.path)


@login_required
@require_POST
def dossier_vote(request, pk):
    """A council member's own verdict on the whole dossier."""
    dossier = _dossier(pk)
    if not can_appraise_dossier(request.user, dossier):
        raise PermissionDenied
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _appraisal_page(request, dossier, vote_form=form)
    try:
        vote_on_dossier(dossier, by=request.user, **form.cleaned_data)
    except DossierError as error:
        form.add_error(None, str(error))
        return _appraisal_page(request, dossier, vote_form=form)
    messages.success(request, _("Đã ghi ý kiến của bạn về hồ sơ."))
    return redirect("dossiers:dossier-appraise", dossier.pk)


@login_required
@require_POST
def appraisal_complete(request, pk):
    dossier = _dossier(pk)
    if not can_conclude_appraisal(request.user, dossier):
        raise PermissionDenied
    form = AppraisalForm(request.POST)
    if not form.is_valid():
        return _appraisal_page(request, dossier, appraisal_form=form)
    try:
        complete_appraisal(dossier, by=request.user, **form.cleaned_data)
    except DossierError as error:
        form.add_error(None, str(error))
        return _appraisal_page(request, dossier, appraisal_form=form)
    messages.success(request, _("Đã kết luận thẩm định."))
    return redirect(dossier)


def _appraisal_page(
    request, dossier, formset=None, appraisal_form=None, vote_form=None
):
    """The council's page: every criterion in one form, each member's vote,
    then the chair's conclusion. A refused form comes back as typed, with its
    errors, and a 400."""
    failed = any(f is not None for f in (formset, appraisal_form, vote_form))
    rows = _criterion_rows(dossier, dossier.assessment)
    if formset is None:
        formset = CriterionAppraisalFormSet(
            prefix="tc",
            initial=[
                {
                    "criterion_number": row["number"],
                    "verdict": row["appraisal"].verdict if row["appraisal"] else "",
                    "comment": row["appraisal"].comment if row["appraisal"] else "",
                }
                for row in rows
            ],
        )
    forms = {form["criterion_number"].value(): form for form in formset.forms}
    for row in rows:
        row["form"] = forms.get(str(row["number"]))
    if failed:
        messages.error(request, _("Chưa lưu được: xem lỗi bên dưới."))
    return render(
        request,
        "dossiers/dossier_appraise.html",
        {
            "dossier": dossier,
            "figures": dossier.assessment,
            "rows": rows,
            "formset": formset,
            "appraisal_form": appraisal_form or AppraisalForm(),
            "votes": dossier.votes.select_related("member"),
            "vote_form": vote_form
            or VoteForm(initial=_own_vote(dossier, request.user)),
            "chairs": can_conclude_appraisal(request.user, dossier),
        },
        status=400 if failed else 200,
    )


@login_required
@require_POST
def dossier_decide(request, pk):
    dossier = _dossier(pk)
    if not can_decide_dossier(request.user, dossier):
        raise PermissionDenied
    return _run_form(
        request,
        dossier,
        DecisionForm(request.POST),
        "decision_form",
        decide_dossier,
        _("Đã ghi nhận quyết định."),
    )


@login_required
@require_POST
def dossier_revoke(request, pk):
    dossier = _dossier(pk)
    if not can_revoke_dossier(request.user, dossier):
        raise PermissionDenied
    return _run_form(
        request,
        dossier,
        RevocationForm(request.POST),
        "revocation_form",
        revoke_dossier,
        _("Đã thu hồi quyết định công nhận."),
    )


@login_required
def report_self_assessment(request, pk):
    dossier = _dossier(pk)
    if not can_view_dossier(request.user, dossier):
        raise PermissionDenied
    if not dossier.assessment:
        messages.error(request, _("Cần tự đánh giá trước khi xuất báo cáo."))
        return redirect(dossier)
    return _docx(reports.self_assessment_report(dossier), f"tu-danh-gia-{dossier.pk}")


@login_required
def report_appraisal(request, pk):
    dossier = _dossier(pk)
    if not can_view_dossier(request.user, dossier):
        raise PermissionDenied
    if not dossier.appraisal_result:
        messages.error(request, _("Hồ sơ chưa được kết luận thẩm định."))
        return redirect(dossier)
    return _docx(reports.appraisal_report(dossier), f"tham-dinh-{dossier.pk}")


def _dossier(pk):
    return get_object_or_404(
        Dossier.objects.select_related(
            "unit__parent", "criteria_set", "submitted_to", "appraised_by"
        ),
        pk=pk,
    )


def _creatable_units(user):
    """Communes under the user's commune-officer roles, districts under their
    district-admin roles."""
    if not user.is_authenticated:
        return Unit.objects.none()
    communes = within_paths(user.paths(Role.COMMUNE_OFFICER))
    districts = within_paths(user.paths(Role.DISTRICT_ADMIN))
    condition = (communes & Q(level=Unit.Level.COMMUNE)) | (
        districts & Q(level=Unit.Level.DISTRICT)
    )
    return (
        Unit.objects.filter(condition)
        .exclude(kind__in=[Unit.Kind.WARD, Unit.Kind.TOWNSHIP])
        .defer("boundary")
        .order_by("path", "valid_from")
    )


def _own_vote(dossier, user):
    vote = dossier.votes.filter(member=user).first()
    return {"verdict": vote.verdict, "comment": vote.comment} if vote else None


def _run(request, service, dossier, success):
    try:
        service(dossier, by=request.user)
    except DossierError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)


def _run_form(request, dossier, form, name, service, success, *, done=None):
    """A transition with a form: ``service`` runs with the posted values; a
    refusal (the form's or the service's) brings the detail page back with
    the form as typed under its context ``name`` (``_refused``); a success
    goes to ``done`` or the dossier."""
    if not form.is_valid():
        return _refused(request, dossier, name, form)
    try:
        service(dossier, by=request.user, **form.cleaned_data)
    except DossierError as error:
        return _refused(request, dossier, name, form, str(error))
    messages.success(request, success)
    return redirect(done or dossier)


def _criterion_rows(dossier, figures):
    """The criteria of the figures, each with its evidence and council verdict."""
    evidence = defaultdict(list)
    for item in dossier.evidence.all():
        evidence[item.criterion_number].append(item)
    appraisals = {a.criterion_number: a for a in dossier.appraisals.all()}
    return [
        {
            **criterion,
            "evidence": evidence.get(criterion["number"], []),
            "appraisal": appraisals.get(criterion["number"]),
        }
        for criterion in (figures or {}).get("criteria", [])
    ]


def _docx(content, name):
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{name}.docx"'
    return response
