"""The recognition procedure of QĐ 18/2022/QĐ-TTg as workflow steps.

draft → self_assessed → posted → submitted → under_appraisal → appraised →
recognised / refused; recognised → revoked (``Dossier.Status.TRANSITIONS``).
Every step locks the dossier's row, checks the state it starts from and
writes the audit log with the status change.
"""

import datetime
from collections import Counter
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ntm.core.audit import log_action
from ntm.core.states import lock
from ntm.core.uploads import EVIDENCE, check_upload
from ntm.indicators.evaluation import (
    MET,
    NO_DATA,
    NOT_APPLICABLE,
    NOT_MET,
    Context,
    evaluate,
    measure,
)
from ntm.indicators.models import CriteriaSet, Indicator, Period
from ntm.units.models import Unit

from .models import CouncilVote, CriterionAppraisal, Dossier, DossierEvidence, Posting
from .permissions import can_conclude_appraisal, has_conflict

# Criteria set codes by level and kind, newest period first; the set in force
# in the dossier's year is used.
SET_CODES = {
    Unit.Level.COMMUNE: {
        Dossier.Kind.NTM: ["XA_NTM_2026_2030", "XA_NTM_2021_2025"],
        Dossier.Kind.ADVANCED: ["XA_NTM_NANG_CAO_2021_2025"],
        Dossier.Kind.MODEL: ["XA_NTM_KIEU_MAU_2021_2025"],
    },
    Unit.Level.DISTRICT: {
        Dossier.Kind.NTM: ["HUYEN_NTM_2021_2025"],
        Dossier.Kind.ADVANCED: ["HUYEN_NTM_NANG_CAO_2021_2025"],
    },
}
# QĐ 18/2022, Điều 5: the report is posted at least 5 times within 15 days.
MIN_POSTINGS = 5
POSTING_WINDOW_DAYS = 15
SATISFACTION_INDICATOR = "KS.HAI_LONG"


class DossierError(Exception):
    """The request is valid input, but the dossier's state or the rules forbid it."""


def criteria_set_for(unit, kind, year):
    """The criteria set a dossier of ``kind`` for ``unit`` in ``year`` is judged by."""
    codes = SET_CODES.get(unit.level, {}).get(kind, [])
    for code in codes:
        found = (
            CriteriaSet.objects.active()
            .for_year(year)
            .filter(code=code)
            .order_by("-version")
            .first()
        )
        if found is not None:
            return found
    raise DossierError(
        _("Không có bộ tiêu chí cho mức “%(kind)s” của %(unit)s năm %(year)s.")
        % {"kind": Dossier.Kind(kind).label, "unit": unit, "year": year}
    )


@transaction.atomic
def create_dossier(unit, *, kind, year, by, is_demo=False):
    """Open a dossier for ``unit`` at ``kind`` in ``year``.

    Only communes (and, under the pre-2025 hierarchy, districts) that exist in
    that year; one dossier per unit, kind and year.
    """
    if unit.level not in SET_CODES:
        raise DossierError(_("Chỉ xã hoặc huyện mới lập hồ sơ xét công nhận."))
    if not unit.is_valid_on(datetime.date(year, 12, 31)) and not unit.is_valid_on(
        datetime.date(year, 1, 1)
    ):
        raise DossierError(
            _("%(unit)s không tồn tại trong năm %(year)s.")
            % {"unit": unit, "year": year}
        )
    criteria_set = criteria_set_for(unit, kind, year)
    if Dossier.objects.filter(unit=unit, kind=kind, year=year).exists():
        raise DossierError(_("Đơn vị đã có hồ sơ mức này trong năm này."))
    dossier = Dossier.objects.create(
        unit=unit,
        kind=kind,
        year=year,
        criteria_set=criteria_set,
        created_by=by,
        is_demo=is_demo,
    )
    log_action(dossier, "dossiers.dossier.created", by=by)
    return dossier


def assessment_figures(criteria_set, unit, year):
    """The engine's evaluation of ``unit`` as JSON: criteria, requirements,
    values and statuses, with the moment it was computed."""
    period = Period.year(year)
    evaluation = evaluate(criteria_set, [unit], period)[unit.pk]
    criteria = []
    for criterion in evaluation.criteria:
        criteria.append(
            {
                "number": str(criterion.criterion.number),
                "name": criterion.criterion.name,
                "status": criterion.status,
                "requirements": [
                    {
                        "code": result.requirement.code,
                        "name": result.requirement.name,
                        "threshold": result.requirement.threshold_display,
                        "value": _number(result.value),
                        "measure": result.requirement.indicator.measure,
                        "source": result.measurement.source,
                        "status": result.status,
                    }
                    for result in criterion.results
                ],
            }
        )
    return {
        "set": {
            "code": criteria_set.code,
            "version": criteria_set.version,
            "name": criteria_set.name,
        },
        "unit": {"code": unit.code, "name": unit.name},
        "year": year,
        "status": evaluation.status,
        "counts": evaluation.counts(),
        "computed_at": timezone.now().isoformat(),
        "criteria": criteria,
    }


def satisfaction_for(unit, year):
    """The citizens' satisfaction rate from the engine, or "no survey yet"."""
    indicator = Indicator.objects.filter(code=SATISFACTION_INDICATOR).first()
    if indicator is None:
        return {"available": False, "rate": None}
    found = measure(indicator, [unit], Context(Period.year(year)))[unit.pk]
    return {
        "available": found.value is not None,
        "rate": _number(found.value),
        "respondents": _number(found.denominator),
        "satisfied": _number(found.numerator),
    }


@transaction.atomic
def self_assess_dossier(dossier, *, by):
    """Store the engine's self-assessment of the unit; repeatable until posted."""
    status = _begin(dossier, "self_assess")
    dossier.assessment = assessment_figures(
        dossier.criteria_set, dossier.unit, dossier.year
    )
    dossier.assessed_at = timezone.now()
    return _move(
        dossier,
        status,
        "dossiers.dossier.self_assessed",
        by=by,
        fields=["assessment", "assessed_at"],
        note=_status_counts(dossier.assessment),
    )


@transaction.atomic
def add_evidence(dossier, *, criterion_number, upload, by):
    """Attach a document (PDF, image, Word, Excel; at most 10 MB) to a criterion."""
    lock(dossier)
    if dossier.is_frozen:
        raise DossierError(_("Hồ sơ đã trình, không bổ sung minh chứng được nữa."))
    numbers = {
        str(number)
        for number in dossier.criteria_set.criteria.values_list("number", flat=True)
    }
    if str(criterion_number) not in numbers:
        raise DossierError(_("Bộ tiêu chí không có tiêu chí %s.") % criterion_number)
    check_upload(upload, EVIDENCE, DossierError)
    evidence = DossierEvidence.objects.create(
        dossier=dossier,
        criterion_number=str(criterion_number),
        file=upload,
        name=Path(upload.name).name[:255],
        uploaded_by=by,
    )
    log_action(
        dossier,
        "dossiers.evidence.created",
        by=by,
        data={
            "note": _("Tiêu chí %(number)s: %(name)s")
            % {"number": criterion_number, "name": evidence.name}
        },
    )
    return evidence


@transaction.atomic
def add_posting(dossier, *, posted_on, place, by):
    """Record one public posting of the self-assessment report.

    Only after the self-assessment, never in the future nor before the
    self-assessment was made; the first posting moves the dossier to "posted".
    """
    status = _begin(dossier, "post")
    place = place.strip()
    if not place:
        raise DossierError(_("Cần ghi nơi niêm yết."))
    if posted_on > timezone.localdate():
        raise DossierError(_("Ngày niêm yết không được ở tương lai."))
    if dossier.assessed_at and posted_on < timezone.localdate(dossier.assessed_at):
        raise DossierError(_("Ngày niêm yết phải sau ngày tự đánh giá."))
    posting = Posting.objects.create(
        dossier=dossier, posted_on=posted_on, place=place[:200], created_by=by
    )
    note = f"{posted_on:%d/%m/%Y} — {posting.place}"
    if dossier.status != status:
        _move(dossier, status, "dossiers.posting.created", by=by, note=note)
    else:
        log_action(dossier, "dossiers.posting.created", by=by, data={"note": note})
    return posting


def postings_in_window(dossier, day):
    """The postings dated within the 15 days that end on ``day``."""
    start = _window_start(day)
    return [p for p in dossier.postings.all() if start <= p.posted_on <= day]


@transaction.atomic
def submit_dossier(dossier, *, by, on=None, confirm_unmet=False):
    """Submit the dossier to the level above (district; the city after 2025).

    Needs at least 5 postings within the 15 days ending on the submission day.
    Freezes the engine's figures and the satisfaction result with it. A
    dossier whose figures leave criteria unmet (or without data) goes only
    with ``confirm_unmet``, and keeps those criteria as its mark.
    """
    status = _begin(dossier, "submit")
    day = on or timezone.localdate()
    counted = postings_in_window(dossier, day)
    if len(counted) < MIN_POSTINGS:
        raise DossierError(
            _(
                "Cần niêm yết ít nhất %(min)d lần trong %(days)d ngày trước khi "
                "trình; mới có %(count)d lần trong khoảng %(start)s – %(end)s."
            )
            % {
                "min": MIN_POSTINGS,
                "days": POSTING_WINDOW_DAYS,
                "count": len(counted),
                "start": f"{_window_start(day):%d/%m/%Y}",
                "end": f"{day:%d/%m/%Y}",
            }
        )
    if dossier.unit.parent is None:
        raise DossierError(_("Đơn vị không có cấp trên để nhận hồ sơ."))
    dossier.assessment = assessment_figures(
        dossier.criteria_set, dossier.unit, dossier.year
    )
    dossier.satisfaction = satisfaction_for(dossier.unit, dossier.year)
    unmet = unmet_criteria(dossier.assessment)
    if unmet and not confirm_unmet:
        raise DossierError(
            _(
                "Hồ sơ còn %(count)d tiêu chí chưa đạt hoặc chưa có số liệu "
                "(%(numbers)s). Muốn vẫn trình, hãy đánh dấu xác nhận trình khi "
                "chưa đạt đủ tiêu chí."
            )
            % {"count": len(unmet), "numbers": ", ".join(unmet)}
        )
    dossier.submitted_unmet = unmet
    dossier.submitted_to = dossier.unit.parent
    dossier.submitted_by = by
    dossier.submitted_on = day
    return _move(
        dossier,
        status,
        "dossiers.dossier.submitted",
        by=by,
        fields=[
            "assessment",
            "satisfaction",
            "submitted_unmet",
            "submitted_to",
            "submitted_by",
            "submitted_on",
        ],
        note=_("Trình %(to)s; %(counts)s")
        % {"to": dossier.submitted_to, "counts": _status_counts(dossier.assessment)}
        + (
            _("; xác nhận trình khi chưa đạt tiêu chí %s") % ", ".join(unmet)
            if unmet
            else ""
        ),
    )


def unmet_criteria(assessment):
    """Numbers of the criteria the figures leave not met or without data."""
    return [
        c["number"]
        for c in assessment.get("criteria", [])
        if c["status"] not in (MET, NOT_APPLICABLE)
    ]


@transaction.atomic
def receive_dossier(dossier, *, by):
    """The receiving level takes the dossier in and opens the appraisal."""
    status = _begin(dossier, "receive")
    dossier.received_by = by
    return _move(
        dossier,
        status,
        "dossiers.dossier.received",
        by=by,
        fields=["received_by"],
    )


@transaction.atomic
def appraise_criterion(dossier, *, criterion_number, verdict, comment="", by):
    """Record the council's verdict and comments on one criterion.

    Refused to anyone who built or submitted the dossier or holds a role on
    the unit: nobody appraises their own unit. The first verdict opens the
    appraisal of a dossier not yet received.
    """
    status = _begin(dossier, "appraise")
    _refuse_own_unit(dossier, by)
    numbers = [c["number"] for c in dossier.assessment.get("criteria", [])]
    if str(criterion_number) not in numbers:
        raise DossierError(_("Hồ sơ không có tiêu chí %s.") % criterion_number)
    if verdict not in Dossier.Result.values:
        raise DossierError(_("Kết luận phải là Đạt hoặc Chưa đạt."))
    appraisal, _created = CriterionAppraisal.objects.update_or_create(
        dossier=dossier,
        criterion_number=str(criterion_number),
        defaults={"verdict": verdict, "comment": comment.strip(), "appraised_by": by},
    )
    note = _("Tiêu chí %(number)s: %(verdict)s") % {
        "number": criterion_number,
        "verdict": Dossier.Result(verdict).label,
    }
    if dossier.status != status:
        _move(
            dossier,
            status,
            "dossiers.criterion.appraised",
            by=by,
            note=note,
        )
    else:
        log_action(dossier, "dossiers.criterion.appraised", by=by, data={"note": note})
    return appraisal


@transaction.atomic
def appraise_criteria(dossier, *, verdicts, by):
    """Record the council's verdicts on several criteria at once, all or none.

    ``verdicts`` maps criterion numbers to (verdict, comment). Each goes
    through ``appraise_criterion``, with its rules and its audit entry; a
    verdict and comment equal to those already recorded are left alone (no
    second entry for a criterion saved again unchanged). One refused
    criterion saves none. Returns the appraisals written.
    """
    # Each written line re-checks the dossier's state (appraise_criterion);
    # the conflict rule is checked here too, for a post that changes nothing.
    _refuse_own_unit(dossier, by)
    recorded = {
        a.criterion_number: (a.verdict, a.comment) for a in dossier.appraisals.all()
    }
    written = []
    for number, (verdict, comment) in verdicts.items():
        if recorded.get(str(number)) == (verdict, comment.strip()):
            continue
        written.append(
            appraise_criterion(
                dossier,
                criterion_number=number,
                verdict=verdict,
                comment=comment,
                by=by,
            )
        )
    return written


@transaction.atomic
def vote_on_dossier(dossier, *, verdict, comment="", by):
    """One council member's verdict on the whole dossier (changeable until
    the chair concludes); same conflict rule as the criterion verdicts."""
    status = _begin(dossier, "appraise")
    _refuse_own_unit(dossier, by)
    if verdict not in Dossier.Result.values:
        raise DossierError(_("Kết luận phải là Đạt hoặc Chưa đạt."))
    vote, _created = CouncilVote.objects.update_or_create(
        dossier=dossier,
        member=by,
        defaults={"verdict": verdict, "comment": comment.strip()},
    )
    note = _("Ý kiến thành viên hội đồng: %s") % Dossier.Result(verdict).label
    if dossier.status != status:
        _move(dossier, status, "dossiers.council.voted", by=by, note=note)
    else:
        log_action(dossier, "dossiers.council.voted", by=by, data={"note": note})
    return vote


@transaction.atomic
def complete_appraisal(dossier, *, result, summary="", by):
    """The council's chair concludes once every criterion has a verdict.

    The chair's conclusion is also the chair's own vote; the members' votes
    are kept with it. "Met" only when every criterion was found met and more
    members voted met than not met; same conflict rule as the verdicts.
    """
    status = _begin(dossier, "conclude")
    _refuse_own_unit(dossier, by)
    if not can_conclude_appraisal(by, dossier):
        raise DossierError(
            _("Chỉ chủ tịch hội đồng thẩm định mới kết luận thẩm định hồ sơ.")
        )
    numbers = [c["number"] for c in dossier.assessment.get("criteria", [])]
    verdicts = dict(dossier.appraisals.values_list("criterion_number", "verdict"))
    missing = [number for number in numbers if number not in verdicts]
    if missing:
        raise DossierError(_("Chưa có kết luận cho tiêu chí: %s.") % ", ".join(missing))
    if result not in Dossier.Result.values:
        raise DossierError(_("Kết luận phải là Đạt hoặc Chưa đạt."))
    if result == Dossier.Result.MET and any(
        verdict != Dossier.Result.MET for verdict in verdicts.values()
    ):
        raise DossierError(
            _("Không thể kết luận đạt khi còn tiêu chí được thẩm định không đạt.")
        )
    CouncilVote.objects.update_or_create(
        dossier=dossier, member=by, defaults={"verdict": result}
    )
    tally = Counter(dossier.votes.values_list("verdict", flat=True))
    met, not_met = tally[Dossier.Result.MET], tally[Dossier.Result.NOT_MET]
    if result == Dossier.Result.MET and met <= not_met:
        raise DossierError(
            _(
                "Không thể kết luận đạt: %(met)d thành viên cho ý kiến đạt, "
                "%(not_met)d chưa đạt."
            )
            % {"met": met, "not_met": not_met}
        )
    dossier.appraisal_result = result
    dossier.appraisal_summary = summary.strip()
    dossier.appraised_by = by
    dossier.appraised_on = timezone.localdate()
    return _move(
        dossier,
        status,
        "dossiers.dossier.appraised",
        by=by,
        fields=[
            "appraisal_result",
            "appraisal_summary",
            "appraised_by",
            "appraised_on",
        ],
        note=_("%(result)s (ý kiến thành viên: %(met)d đạt, %(not_met)d chưa đạt)")
        % {"result": Dossier.Result(result).label, "met": met, "not_met": not_met},
    )


@transaction.atomic
def decide_dossier(dossier, *, recognised, number, date, signer, signer_position, by):
    """Record the decision: recognition (only after a "met" appraisal) or refusal."""
    status = _begin(dossier, "recognise" if recognised else "refuse")
    if not number.strip() or not signer.strip():
        raise DossierError(_("Cần ghi số quyết định và người ký."))
    if recognised and dossier.appraisal_result != Dossier.Result.MET:
        raise DossierError(
            _("Hội đồng kết luận không đạt; không thể quyết định công nhận.")
        )
    if dossier.appraised_on and date < dossier.appraised_on:
        raise DossierError(_("Ngày quyết định không được trước ngày thẩm định."))
    dossier.decision_number = number.strip()
    dossier.decision_date = date
    dossier.decision_signer = signer.strip()
    dossier.decision_signer_position = signer_position.strip()
    return _move(
        dossier,
        status,
        "dossiers.dossier.recognised" if recognised else "dossiers.dossier.refused",
        by=by,
        fields=[
            "decision_number",
            "decision_date",
            "decision_signer",
            "decision_signer_position",
        ],
        note=_("Quyết định số %(number)s ngày %(date)s")
        % {"number": dossier.decision_number, "date": f"{date:%d/%m/%Y}"},
    )


@transaction.atomic
def revoke_dossier(dossier, *, reason, number, date, by):
    """Revoke a recognition (QĐ 18/2022: criteria no longer met), with a decision."""
    status = _begin(dossier, "revoke")
    if not reason.strip() or not number.strip():
        raise DossierError(_("Cần ghi lý do và số quyết định thu hồi."))
    if date < dossier.decision_date:
        raise DossierError(_("Ngày thu hồi không được trước ngày công nhận."))
    dossier.revocation_reason = reason.strip()
    dossier.revocation_number = number.strip()
    dossier.revocation_date = date
    return _move(
        dossier,
        status,
        "dossiers.dossier.revoked",
        by=by,
        fields=["revocation_reason", "revocation_number", "revocation_date"],
        note=dossier.revocation_reason,
    )


def _window_start(day):
    return day - datetime.timedelta(days=POSTING_WINDOW_DAYS - 1)


def _begin(dossier, transition):
    """Lock the dossier's row and return the state ``transition`` leads to,
    refusing it from the state the dossier is in now (two clicks at once
    make one change)."""
    lock(dossier)
    return Dossier.Status.check(
        dossier.status,
        transition,
        DossierError,
        _("Hồ sơ đang ở trạng thái “%s”, không thực hiện được thao tác này.")
        % dossier.get_status_display(),
    )


def _refuse_own_unit(dossier, user):
    if has_conflict(user, dossier):
        raise DossierError(
            _(
                "Không được thẩm định hồ sơ của đơn vị mình (người lập, người "
                "trình hoặc người có vai trò tại đơn vị)."
            )
        )


def _move(dossier, status, action, *, by, fields=(), note=""):
    old = dossier.get_status_display()
    dossier.status = status
    dossier.save(update_fields=["status", *fields, "updated_at"])
    data = {
        "changes": {
            "status": {
                "label": str(Dossier._meta.get_field("status").verbose_name),
                "old": str(old),
                "new": str(dossier.get_status_display()),
            }
        }
    }
    if note:
        data["note"] = str(note)
    log_action(dossier, action, by=by, data=data)
    return dossier


def _status_counts(assessment):
    counts = assessment.get("counts", {})
    return _(
        "%(met)d tiêu chí đạt, %(not_met)d chưa đạt, %(no_data)d chưa có số liệu"
    ) % {
        "met": counts.get(MET, 0),
        "not_met": counts.get(NOT_MET, 0),
        "no_data": counts.get(NO_DATA, 0),
    }


def _number(value):
    if value is None:
        return None
    return f"{Decimal(value).normalize():f}"
