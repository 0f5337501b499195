import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ntm.accounts.models import Role
from ntm.core.models import ActionLog
from ntm.dossiers.models import CriterionAppraisal, Dossier, Posting
from ntm.dossiers.services import (
    DossierError,
    add_evidence,
    add_posting,
    appraise_criteria,
    appraise_criterion,
    assessment_figures,
    complete_appraisal,
    create_dossier,
    decide_dossier,
    receive_dossier,
    revoke_dossier,
    self_assess_dossier,
    submit_dossier,
)
from ntm.indicators.models import Indicator, IndicatorValue
from ntm.units.models import Unit
from tests.factories import make_member

from .conftest import YEAR, backdate_assessment, post_times

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def actions(dossier):
    return list(
        ActionLog.objects.for_object(dossier)
        .order_by("id")
        .values_list("action", flat=True)
    )


# -- creating -------------------------------------------------------------


def test_create_dossier_picks_the_set_of_the_year_and_logs_it(
    units, commune_set, commune_officer
):
    dossier = create_dossier(
        units["ha_nha"], kind=Dossier.Kind.NTM, year=YEAR, by=commune_officer
    )

    assert dossier.criteria_set == commune_set
    assert dossier.status == Dossier.Status.DRAFT
    assert actions(dossier) == ["dossiers.dossier.created"]


def test_create_dossier_refuses_a_kind_without_a_set(
    units, commune_set, commune_officer
):
    with pytest.raises(DossierError):
        create_dossier(
            units["ha_nha"], kind=Dossier.Kind.MODEL, year=YEAR, by=commune_officer
        )

    assert Dossier.objects.count() == 0


def test_create_dossier_refuses_a_unit_that_did_not_exist_that_year(
    units, commune_set, commune_officer
):
    with pytest.raises(DossierError):
        create_dossier(
            units["ha_nha"], kind=Dossier.Kind.NTM, year=2023, by=commune_officer
        )


def test_create_dossier_refuses_a_second_dossier_of_the_same_kind_and_year(
    draft, commune_officer
):
    with pytest.raises(DossierError):
        create_dossier(draft.unit, kind=draft.kind, year=draft.year, by=commune_officer)

    assert Dossier.objects.count() == 1


def test_create_dossier_refuses_a_village(villages, commune_set, commune_officer):
    with pytest.raises(DossierError):
        create_dossier(
            villages["hn1"], kind=Dossier.Kind.NTM, year=YEAR, by=commune_officer
        )


# -- self-assessment ------------------------------------------------------


def test_self_assess_dossier_stores_the_engine_figures(
    draft, met_figures, commune_officer
):
    self_assess_dossier(draft, by=commune_officer)

    draft.refresh_from_db()
    assert draft.status == Dossier.Status.SELF_ASSESSED
    assert draft.assessment["status"] == "met"
    assert [c["number"] for c in draft.assessment["criteria"]] == ["8", "9"]
    assert draft.assessment["criteria"][0]["requirements"][0]["value"] == "92.5"
    assert draft.assessment["criteria"][0]["requirements"][0]["status"] == "met"
    assert actions(draft)[-1] == "dossiers.dossier.self_assessed"


def test_self_assess_dossier_shows_missing_data_as_no_data(draft, commune_officer):
    self_assess_dossier(draft, by=commune_officer)

    assert draft.assessment["status"] == "no_data"
    assert draft.assessment["counts"] == {
        "met": 0,
        "not_met": 0,
        "no_data": 2,
        "not_applicable": 0,
    }


def test_self_assess_dossier_is_refused_once_posted(posted, commune_officer):
    before = posted.assessment

    with pytest.raises(DossierError):
        self_assess_dossier(posted, by=commune_officer)

    posted.refresh_from_db()
    assert posted.assessment == before


# -- evidence -------------------------------------------------------------


def test_add_evidence_attaches_a_pdf_to_a_criterion(draft, commune_officer):
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4", "application/pdf")

    evidence = add_evidence(
        draft, criterion_number="8", upload=upload, by=commune_officer
    )

    assert evidence.criterion_number == "8"
    assert evidence.name == "bien-ban.pdf"
    assert actions(draft)[-1] == "dossiers.evidence.created"


@pytest.mark.parametrize(
    ("name", "size"), [("script.html", 10), ("virus.exe", 10), ("lon.pdf", 11 << 20)]
)
def test_add_evidence_refuses_wrong_types_and_oversized_files(
    draft, commune_officer, name, size
):
    upload = SimpleUploadedFile(name, b"x" * size)

    with pytest.raises(DossierError):
        add_evidence(draft, criterion_number="8", upload=upload, by=commune_officer)

    assert draft.evidence.count() == 0


def test_add_evidence_refuses_a_program_renamed_as_a_pdf(draft, commune_officer):
    upload = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00")

    with pytest.raises(DossierError, match="không đúng với đuôi .pdf"):
        add_evidence(draft, criterion_number="8", upload=upload, by=commune_officer)

    assert draft.evidence.count() == 0


def test_add_evidence_refuses_an_unknown_criterion(draft, commune_officer):
    upload = SimpleUploadedFile("a.pdf", b"%PDF")

    with pytest.raises(DossierError):
        add_evidence(draft, criterion_number="42", upload=upload, by=commune_officer)


def test_add_evidence_refuses_a_submitted_dossier(submitted, commune_officer):
    upload = SimpleUploadedFile("a.pdf", b"%PDF")

    with pytest.raises(DossierError):
        add_evidence(submitted, criterion_number="8", upload=upload, by=commune_officer)


# -- postings -------------------------------------------------------------


def test_add_posting_moves_the_dossier_to_posted(draft, met_figures, commune_officer):
    self_assess_dossier(draft, by=commune_officer)

    add_posting(draft, posted_on=TODAY(), place="Trụ sở UBND xã", by=commune_officer)

    assert draft.status == Dossier.Status.POSTED
    assert actions(draft)[-1] == "dossiers.posting.created"


def test_add_posting_refuses_a_draft_not_yet_self_assessed(draft, commune_officer):
    with pytest.raises(DossierError):
        add_posting(draft, posted_on=TODAY(), place="UBND xã", by=commune_officer)

    assert Posting.objects.count() == 0


def test_add_posting_refuses_future_days_and_days_before_the_assessment(
    draft, commune_officer
):
    self_assess_dossier(draft, by=commune_officer)
    backdate_assessment(draft, days=3)

    for day in (
        TODAY() + datetime.timedelta(days=1),
        TODAY() - datetime.timedelta(days=4),
    ):
        with pytest.raises(DossierError):
            add_posting(draft, posted_on=day, place="UBND xã", by=commune_officer)

    assert Posting.objects.count() == 0


def test_add_posting_refuses_a_blank_place(draft, commune_officer):
    self_assess_dossier(draft, by=commune_officer)

    with pytest.raises(DossierError):
        add_posting(draft, posted_on=TODAY(), place="   ", by=commune_officer)


# -- submission -----------------------------------------------------------


def test_submit_dossier_freezes_figures_and_sends_to_the_level_above(
    posted, commune_officer, units
):
    submit_dossier(posted, by=commune_officer)

    posted.refresh_from_db()
    assert posted.status == Dossier.Status.SUBMITTED
    assert posted.submitted_to == units["city"]
    assert posted.submitted_on == TODAY()
    assert posted.assessment["status"] == "met"
    assert actions(posted)[-1] == "dossiers.dossier.submitted"


def test_submit_dossier_keeps_the_frozen_figures_when_records_change(submitted):
    IndicatorValue.objects.all().delete()
    live = assessment_figures(submitted.criteria_set, submitted.unit, YEAR)

    submitted.refresh_from_db()

    assert live["status"] == "no_data"
    assert submitted.assessment["status"] == "met"
    assert submitted.assessment["criteria"][0]["requirements"][0]["value"] == "92.5"


def test_submit_dossier_refuses_fewer_than_five_postings(
    draft, met_figures, commune_officer
):
    self_assess_dossier(draft, by=commune_officer)
    backdate_assessment(draft)
    post_times(draft, commune_officer, count=4)

    with pytest.raises(DossierError, match="ít nhất 5 lần"):
        submit_dossier(draft, by=commune_officer)

    draft.refresh_from_db()
    assert draft.status == Dossier.Status.POSTED


def test_submit_dossier_counts_only_postings_within_fifteen_days(
    draft, met_figures, commune_officer
):
    self_assess_dossier(draft, by=commune_officer)
    backdate_assessment(draft, days=40)
    # Days 0, 4, 8, 12 and 16 before today: the last falls outside the 15 days.
    post_times(draft, commune_officer, count=5, spacing=4)

    with pytest.raises(DossierError):
        submit_dossier(draft, by=commune_officer)

    assert draft.status == Dossier.Status.POSTED


def test_submit_dossier_accepts_five_postings_on_the_window_edges(
    draft, met_figures, commune_officer
):
    self_assess_dossier(draft, by=commune_officer)
    backdate_assessment(draft, days=40)
    # Days 0 to 14 before today: exactly fifteen days, both ends counted.
    post_times(draft, commune_officer, count=5, spacing=3)
    add_posting(
        draft,
        posted_on=TODAY() - datetime.timedelta(days=14),
        place="Đài truyền thanh xã",
        by=commune_officer,
    )
    Posting.objects.filter(posted_on=TODAY() - datetime.timedelta(days=12)).delete()

    submit_dossier(draft, by=commune_officer)

    assert draft.status == Dossier.Status.SUBMITTED


def test_submit_dossier_refuses_a_dossier_not_posted(draft, commune_officer):
    with pytest.raises(DossierError):
        submit_dossier(draft, by=commune_officer)


def test_submit_dossier_attaches_no_survey_when_the_indicator_is_missing(
    posted, commune_officer
):
    Indicator.objects.filter(code="KS.HAI_LONG").delete()

    submit_dossier(posted, by=commune_officer)

    assert posted.satisfaction == {"available": False, "rate": None}


def test_submit_dossier_attaches_the_satisfaction_rate_from_the_engine(
    posted, commune_officer, enter, units
):
    Indicator.objects.filter(code="KS.HAI_LONG").delete()
    Indicator.objects.create(
        code="KS.HAI_LONG",
        name="Tỷ lệ hài lòng",
        measure=Indicator.Measure.PERCENT,
        level=Unit.Level.COMMUNE,
        source=Indicator.Source.ENTERED,
    )
    enter("KS.HAI_LONG", units["ha_nha"], "91")

    submit_dossier(posted, by=commune_officer)

    assert posted.satisfaction["available"] is True
    assert posted.satisfaction["rate"] == "91"


# -- appraisal ------------------------------------------------------------


def test_receive_dossier_opens_the_appraisal(submitted, admin):
    receive_dossier(submitted, by=admin)

    assert submitted.status == Dossier.Status.UNDER_APPRAISAL
    assert submitted.received_by == admin


@pytest.mark.django_db(transaction=True)
def test_receiving_a_dossier_at_once_receives_it_once(at_once, submitted, admin):
    def receive():
        return receive_dossier(Dossier.objects.get(pk=submitted.pk), by=admin)

    outcomes = at_once([receive] * 10)

    assert sum(isinstance(outcome, DossierError) for outcome in outcomes) == 9
    assert actions(submitted).count("dossiers.dossier.received") == 1
    submitted.refresh_from_db()
    assert submitted.status == Dossier.Status.UNDER_APPRAISAL


def test_appraise_criterion_records_a_verdict_and_opens_the_appraisal(
    submitted, council
):
    appraise_criterion(
        submitted,
        criterion_number="8",
        verdict="met",
        comment="Đúng số liệu.",
        by=council,
    )

    assert submitted.status == Dossier.Status.UNDER_APPRAISAL
    appraisal = CriterionAppraisal.objects.get()
    assert (appraisal.criterion_number, appraisal.verdict, appraisal.comment) == (
        "8",
        "met",
        "Đúng số liệu.",
    )
    assert actions(submitted)[-1] == "dossiers.criterion.appraised"


def test_appraise_criterion_changes_an_earlier_verdict(submitted, council):
    appraise_criterion(submitted, criterion_number="8", verdict="met", by=council)

    appraise_criterion(submitted, criterion_number="8", verdict="not_met", by=council)

    assert list(CriterionAppraisal.objects.values_list("verdict", flat=True)) == [
        "not_met"
    ]


def test_appraise_criterion_refuses_a_council_member_of_the_commune(submitted, units):
    insider = make_member(units["city"], Role.COUNCIL_MEMBER)
    insider.memberships.create(unit=units["ha_nha"], role=Role.VILLAGE_HEAD)

    with pytest.raises(DossierError, match="đơn vị mình"):
        appraise_criterion(submitted, criterion_number="8", verdict="met", by=insider)

    assert CriterionAppraisal.objects.count() == 0
    submitted.refresh_from_db()
    assert submitted.status == Dossier.Status.SUBMITTED


def test_appraise_criterion_refuses_the_person_who_submitted_it(
    submitted, commune_officer, units
):
    commune_officer.memberships.all().delete()
    commune_officer.memberships.create(unit=units["city"], role=Role.COUNCIL_MEMBER)

    with pytest.raises(DossierError):
        appraise_criterion(
            submitted, criterion_number="8", verdict="met", by=commune_officer
        )

    assert CriterionAppraisal.objects.count() == 0


def test_appraise_criterion_refuses_an_unknown_criterion_and_a_bad_verdict(
    submitted, council
):
    with pytest.raises(DossierError):
        appraise_criterion(submitted, criterion_number="42", verdict="met", by=council)
    with pytest.raises(DossierError):
        appraise_criterion(submitted, criterion_number="8", verdict="maybe", by=council)


def test_appraise_criterion_refuses_a_dossier_not_submitted(posted, council):
    with pytest.raises(DossierError):
        appraise_criterion(posted, criterion_number="8", verdict="met", by=council)


def test_appraise_criteria_records_every_verdict_and_logs_each(submitted, council):
    written = appraise_criteria(
        submitted,
        verdicts={"8": ("met", " Khớp. "), "9": ("not_met", "")},
        by=council,
    )

    assert [a.criterion_number for a in written] == ["8", "9"]
    assert sorted(
        CriterionAppraisal.objects.values_list("criterion_number", "verdict", "comment")
    ) == [("8", "met", "Khớp."), ("9", "not_met", "")]
    assert submitted.status == Dossier.Status.UNDER_APPRAISAL
    assert actions(submitted)[-2:] == [
        "dossiers.criterion.appraised",
        "dossiers.criterion.appraised",
    ]


def test_appraise_criteria_leaves_unchanged_verdicts_alone(submitted, council):
    appraise_criteria(submitted, verdicts={"8": ("met", "Khớp.")}, by=council)
    before = len(actions(submitted))

    written = appraise_criteria(
        submitted,
        verdicts={"8": ("met", "Khớp."), "9": ("met", "")},
        by=council,
    )

    assert [a.criterion_number for a in written] == ["9"]
    assert len(actions(submitted)) == before + 1


def test_appraise_criteria_saves_none_when_one_is_refused(submitted, council):
    with pytest.raises(DossierError, match="không có tiêu chí 42"):
        appraise_criteria(
            submitted,
            verdicts={"8": ("met", ""), "42": ("met", "")},
            by=council,
        )

    assert CriterionAppraisal.objects.count() == 0
    submitted.refresh_from_db()
    assert submitted.status == Dossier.Status.SUBMITTED


def test_appraise_criteria_refuses_a_council_member_of_the_commune(submitted, units):
    insider = make_member(units["city"], Role.COUNCIL_MEMBER)
    insider.memberships.create(unit=units["ha_nha"], role=Role.VILLAGE_HEAD)

    with pytest.raises(DossierError, match="đơn vị mình"):
        appraise_criteria(submitted, verdicts={}, by=insider)


def test_complete_appraisal_needs_every_criterion(submitted, council):
    appraise_criterion(submitted, criterion_number="8", verdict="met", by=council)

    with pytest.raises(DossierError, match="tiêu chí: 9"):
        complete_appraisal(submitted, result="met", by=council)

    assert submitted.status == Dossier.Status.UNDER_APPRAISAL


def test_complete_appraisal_refuses_met_when_a_criterion_is_not_met(submitted, council):
    appraise_criterion(submitted, criterion_number="8", verdict="met", by=council)
    appraise_criterion(submitted, criterion_number="9", verdict="not_met", by=council)

    with pytest.raises(DossierError):
        complete_appraisal(submitted, result="met", by=council)

    complete_appraisal(submitted, result="not_met", summary="Thiếu 9.1", by=council)
    assert submitted.status == Dossier.Status.APPRAISED
    assert submitted.appraisal_result == "not_met"


def test_complete_appraisal_refuses_the_creator(submitted, commune_officer, council):
    appraise_criterion(submitted, criterion_number="8", verdict="met", by=council)
    appraise_criterion(submitted, criterion_number="9", verdict="met", by=council)

    with pytest.raises(DossierError):
        complete_appraisal(submitted, result="met", by=commune_officer)

    assert submitted.status == Dossier.Status.UNDER_APPRAISAL


# -- decision and revocation ----------------------------------------------


def test_decide_dossier_recognises_after_a_met_appraisal(recognised):
    assert recognised.status == Dossier.Status.RECOGNISED
    assert recognised.decision_number == "123/QĐ-UBND"
    assert actions(recognised)[-1] == "dossiers.dossier.recognised"


def decide(dossier, by, recognised=True, **fields):
    values = {
        "number": "5/QĐ-UBND",
        "date": TODAY(),
        "signer": "Lê Văn Ký",
        "signer_position": "Chủ tịch",
        **fields,
    }
    return decide_dossier(dossier, recognised=recognised, by=by, **values)


def test_decide_dossier_refuses_before_the_appraisal(submitted, admin):
    with pytest.raises(DossierError):
        decide(submitted, admin)

    submitted.refresh_from_db()
    assert submitted.status == Dossier.Status.SUBMITTED
    assert submitted.decision_number == ""


def test_decide_dossier_refuses_recognition_after_a_not_met_appraisal(
    submitted, council, admin
):
    for number in ("8", "9"):
        appraise_criterion(
            submitted, criterion_number=number, verdict="not_met", by=council
        )
    complete_appraisal(submitted, result="not_met", by=council)

    with pytest.raises(DossierError):
        decide(submitted, admin)

    decide(submitted, admin, recognised=False)
    assert submitted.status == Dossier.Status.REFUSED


def test_decide_dossier_refuses_a_date_before_the_appraisal(appraised, admin):
    with pytest.raises(DossierError):
        decide(appraised, admin, date=TODAY() - datetime.timedelta(days=1))


def test_revoke_dossier_records_the_reason_and_decision(recognised, admin):
    revoke_dossier(
        recognised,
        reason="Tiêu chí Môi trường không còn đạt",
        number="9/QĐ-UBND",
        date=TODAY(),
        by=admin,
    )

    recognised.refresh_from_db()
    assert recognised.status == Dossier.Status.REVOKED
    assert recognised.revocation_reason == "Tiêu chí Môi trường không còn đạt"
    assert actions(recognised)[-1] == "dossiers.dossier.revoked"


def test_revoke_dossier_refuses_a_dossier_not_recognised(appraised, admin):
    with pytest.raises(DossierError):
        revoke_dossier(appraised, reason="x", number="1", date=TODAY(), by=admin)


def test_revoke_dossier_needs_a_reason(recognised, admin):
    with pytest.raises(DossierError):
        revoke_dossier(recognised, reason=" ", number="1", date=TODAY(), by=admin)

    assert recognised.status == Dossier.Status.RECOGNISED


def test_every_transition_is_in_the_history(recognised):
    assert actions(recognised) == [
        "dossiers.dossier.created",
        "dossiers.dossier.self_assessed",
        *["dossiers.posting.created"] * 5,
        "dossiers.dossier.submitted",
        "dossiers.criterion.appraised",
        "dossiers.criterion.appraised",
        "dossiers.dossier.appraised",
        "dossiers.dossier.recognised",
    ]
