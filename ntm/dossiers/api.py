"""/api/v1/dossiers: recognition dossiers, their figures and decisions.

Anonymous callers see dossiers from the public posting on, without the
names of the officers who built or submitted them; the names of decision
signers stay, as they are printed in the public decisions. Evidence files
are listed only for staff who may open the dossier.
"""

import datetime

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema
from ninja.errors import HttpError

from ntm.units.scope import within_paths

from .models import Dossier
from .permissions import can_view_dossier, can_view_evidence, reader_paths

router = Router(tags=["dossiers"])
REQUIREMENT_KEYS = ("code", "name", "threshold", "value", "status")
PRIVATE = Dossier.Status.group("private")


class UnitRef(Schema):
    code: str
    name: str


class DossierOut(Schema):
    id: int
    unit: UnitRef
    kind: str
    kind_label: str
    year: int
    criteria_set: str
    status: str
    status_label: str
    submitted_on: datetime.date | None
    appraisal_result: str
    decision_number: str
    decision_date: datetime.date | None


class RequirementOut(Schema):
    code: str
    name: str
    threshold: str
    value: str | None
    status: str


class CriterionOut(Schema):
    number: str
    name: str
    status: str
    requirements: list[RequirementOut]
    appraisal_verdict: str | None
    appraisal_comment: str


class PostingOut(Schema):
    posted_on: datetime.date
    place: str


class EvidenceOut(Schema):
    criterion_number: str
    name: str
    url: str


class DecisionOut(Schema):
    number: str
    date: datetime.date | None
    signer: str
    signer_position: str


class RevocationOut(Schema):
    number: str
    date: datetime.date | None
    reason: str


class VoteCountOut(Schema):
    met: int
    not_met: int


class DossierDetailOut(DossierOut):
    submitted_to: UnitRef | None
    # Criteria the figures left unmet when it was submitted, with the
    # submitter's explicit confirmation.
    submitted_unmet: list[str]
    # The council members' votes (counted; the names stay on the staff page).
    council_votes: VoteCountOut
    assessment_computed_at: str | None
    criteria: list[CriterionOut]
    satisfaction: dict
    postings: list[PostingOut]
    appraisal_summary: str
    appraised_on: datetime.date | None
    decision: DecisionOut | None
    revocation: RevocationOut | None
    evidence: list[EvidenceOut] | None


def _visible(user):
    condition = ~Q(status__in=PRIVATE) | within_paths(reader_paths(user), "unit")
    return Dossier.objects.filter(condition).select_related(
        "unit", "criteria_set", "submitted_to"
    )


def _summary(dossier):
    return {
        "id": dossier.pk,
        "unit": {"code": dossier.unit.code, "name": dossier.unit.name},
        "kind": dossier.kind,
        "kind_label": dossier.get_kind_display(),
        "year": dossier.year,
        "criteria_set": dossier.criteria_set.code,
        "status": dossier.status,
        "status_label": dossier.get_status_display(),
        "submitted_on": dossier.submitted_on,
        "appraisal_result": dossier.appraisal_result,
        "decision_number": dossier.decision_number,
        "decision_date": dossier.decision_date,
    }


@router.get("/", response=list[DossierOut], summary="Hồ sơ xét công nhận")
def dossier_list(request, status: str = "", year: int | None = None):
    dossiers = _visible(request.user)
    if status:
        dossiers = dossiers.filter(status=status)
    if year:
        dossiers = dossiers.filter(year=year)
    return [_summary(dossier) for dossier in dossiers]


@router.get(
    "/{int:dossier_id}",
    response={200: DossierDetailOut, 404: dict},
    summary="Một hồ sơ: tự đánh giá, niêm yết, thẩm định, quyết định",
)
def dossier_detail(request, dossier_id: int):
    dossier = get_object_or_404(_visible(request.user), pk=dossier_id)
    if dossier.status in PRIVATE and not can_view_dossier(request.user, dossier):
        raise HttpError(404, "Không tìm thấy hồ sơ.")
    verdicts = {a.criterion_number: a for a in dossier.appraisals.all()}
    criteria = []
    for criterion in dossier.assessment.get("criteria", []):
        appraisal = verdicts.get(criterion["number"])
        criteria.append(
            {
                "number": criterion["number"],
                "name": criterion["name"],
                "status": criterion["status"],
                "requirements": [
                    {key: req[key] for key in REQUIREMENT_KEYS}
                    for req in criterion["requirements"]
                ],
                "appraisal_verdict": appraisal.verdict if appraisal else None,
                "appraisal_comment": appraisal.comment if appraisal else "",
            }
        )
    evidence = None
    if can_view_evidence(request.user, dossier):
        evidence = [
            {
                "criterion_number": item.criterion_number,
                "name": item.name,
                "url": reverse("dossiers:evidence-download", args=[item.pk]),
            }
            for item in dossier.evidence.all()
        ]
    return {
        **_summary(dossier),
        "submitted_to": (
            {"code": dossier.submitted_to.code, "name": dossier.submitted_to.name}
            if dossier.submitted_to
            else None
        ),
        "submitted_unmet": dossier.submitted_unmet,
        "council_votes": {
            **dict.fromkeys(Dossier.Result.values, 0),
            **dict(
                dossier.votes.values_list("verdict").annotate(n=Count("id")).order_by()
            ),
        },
        "assessment_computed_at": dossier.assessment.get("computed_at"),
        "criteria": criteria,
        "satisfaction": dossier.satisfaction,
        "postings": [
            {"posted_on": p.posted_on, "place": p.place} for p in dossier.postings.all()
        ],
        "appraisal_summary": dossier.appraisal_summary,
        "appraised_on": dossier.appraised_on,
        "decision": (
            {
                "number": dossier.decision_number,
                "date": dossier.decision_date,
                "signer": dossier.decision_signer,
                "signer_position": dossier.decision_signer_position,
            }
            if dossier.decision_number
            else None
        ),
        "revocation": (
            {
                "number": dossier.revocation_number,
                "date": dossier.revocation_date,
                "reason": dossier.revocation_reason,
            }
            if dossier.revocation_number
            else None
        ),
        "evidence": evidence,
    }
