"""A dossier that does not meet the criteria says so; the council votes and
its chair concludes (issue 12, item 7)."""

import pytest
from django.urls import reverse

from ntm.accounts.models import Role
from ntm.core.models import ActionLog
from ntm.dossiers.models import CouncilVote, Dossier
from ntm.dossiers.services import (
    DossierError,
    appraise_criterion,
    complete_appraisal,
    self_assess_dossier,
    submit_dossier,
    vote_on_dossier,
)
from tests.factories import make_member

from .conftest import backdate_assessment, post_times

pytestmark = pytest.mark.django_db


@pytest.fixture
def posted_short(draft, commune_officer, units, enter):
    """Posted with criterion 8 met (92.5 % ≥ 80 %) and 9 without data."""
    enter("XA.8.4", units["ha_nha"], "92.5")
    self_assess_dossier(draft, by=commune_officer)
    backdate_assessment(draft)
    return post_times(draft, commune_officer)


def _actions(dossier):
    return list(ActionLog.objects.for_object(dossier).values_list("action", flat=True))


def test_a_dossier_short_of_the_criteria_is_refused_without_confirmation(
    posted_short, commune_officer
):
    with pytest.raises(DossierError, match=r"còn 1 tiêu chí .*\(9\)"):
        submit_dossier(posted_short, by=commune_officer)

    posted_short.refresh_from_db()
    assert posted_short.status == Dossier.Status.POSTED
    assert posted_short.submitted_unmet == []
    assert "dossiers.dossier.submitted" not in _actions(posted_short)


def test_confirmed_it_goes_marked_with_the_unmet_criteria(
    posted_short, commune_officer
):
    submit_dossier(posted_short, by=commune_officer, confirm_unmet=True)

    posted_short.refresh_from_db()
    assert posted_short.status == Dossier.Status.SUBMITTED
    assert posted_short.submitted_unmet == ["9"]
    entry = ActionLog.objects.for_object(posted_short).get(
        action="dossiers.dossier.submitted"
    )
    assert "xác nhận trình khi chưa đạt tiêu chí 9" in entry.data["note"]


def test_a_dossier_meeting_every_criterion_needs_no_confirmation(submitted):
    assert submitted.status == Dossier.Status.SUBMITTED
    assert submitted.submitted_unmet == []


def _all_criteria(dossier, by, verdict="met"):
    for number in ("8", "9"):
        appraise_criterion(dossier, criterion_number=number, verdict=verdict, by=by)


def test_only_the_chair_concludes_and_keeps_each_members_vote(
    submitted, council, units
):
    member = make_member(units["city"], Role.COUNCIL_MEMBER, full_name="Lê Văn Ba")
    _all_criteria(submitted, council)
    vote_on_dossier(submitted, verdict="met", comment="Đủ minh chứng", by=member)

    with pytest.raises(DossierError, match="Chỉ chủ tịch hội đồng"):
        complete_appraisal(submitted, result="met", by=member)
    complete_appraisal(submitted, result="met", summary="Đạt", by=council)

    submitted.refresh_from_db()
    assert (submitted.status, submitted.appraised_by) == (
        Dossier.Status.APPRAISED,
        council,
    )
    votes = {v.member: (v.verdict, v.comment) for v in submitted.votes.all()}
    assert votes == {member: ("met", "Đủ minh chứng"), council: ("met", "")}
    entry = ActionLog.objects.for_object(submitted).get(
        action="dossiers.dossier.appraised"
    )
    assert "2 đạt, 0 chưa đạt" in entry.data["note"]


def test_met_is_refused_when_the_members_voted_otherwise(submitted, council, units):
    for _n in range(2):
        member = make_member(units["city"], Role.COUNCIL_MEMBER)
        vote_on_dossier(submitted, verdict="not_met", by=member)
    _all_criteria(submitted, council)

    # The chair's own "met" makes 1 met against 2 not met.
    with pytest.raises(DossierError, match="1 thành viên cho ý kiến đạt, 2 chưa đạt"):
        complete_appraisal(submitted, result="met", by=council)

    submitted.refresh_from_db()
    assert submitted.status == Dossier.Status.UNDER_APPRAISAL
    assert not CouncilVote.objects.filter(member=council).exists()
    complete_appraisal(submitted, result="not_met", by=council)
    submitted.refresh_from_db()
    assert submitted.appraisal_result == "not_met"


def test_a_member_changes_a_vote_until_the_conclusion(submitted, council, units):
    member = make_member(units["city"], Role.COUNCIL_MEMBER)
    vote_on_dossier(submitted, verdict="not_met", by=member)
    vote_on_dossier(submitted, verdict="met", comment="Đã bổ sung", by=member)
    _all_criteria(submitted, council)
    complete_appraisal(submitted, result="met", by=council)

    assert submitted.votes.get(member=member).verdict == "met"
    with pytest.raises(DossierError):
        vote_on_dossier(submitted, verdict="not_met", by=member)
    assert _actions(submitted).count("dossiers.council.voted") == 2


def test_the_pages_ask_for_the_confirmation_and_show_the_mark(
    client, posted_short, commune_officer
):
    client.force_login(commune_officer)
    detail = posted_short.get_absolute_url()
    submit = reverse("dossiers:dossier-submit", args=[posted_short.pk])

    page = client.get(detail).content.decode()
    assert 'name="confirm_unmet"' in page
    assert "còn 1 tiêu chí chưa đạt hoặc chưa có số liệu: 9" in page
    refused = client.post(submit, follow=True).content.decode()
    assert "Muốn vẫn trình" in refused
    client.post(submit, {"confirm_unmet": "1"})

    page = client.get(detail).content.decode()
    assert "data-submitted-unmet" in page
    assert "Trình khi chưa đạt tiêu chí 9" in page


def test_a_member_votes_on_the_page_and_only_the_chair_sees_the_conclusion(
    client, submitted, council, units
):
    member = make_member(units["city"], Role.COUNCIL_MEMBER, full_name="Lê Văn Ba")
    appraise = reverse("dossiers:dossier-appraise", args=[submitted.pk])
    client.force_login(member)

    page = client.get(appraise).content.decode()
    assert reverse("dossiers:appraisal-complete", args=[submitted.pk]) not in page
    client.post(
        reverse("dossiers:dossier-vote", args=[submitted.pk]),
        {"verdict": "not_met", "comment": "Thiếu minh chứng 9.1"},
    )
    concluded = client.post(
        reverse("dossiers:appraisal-complete", args=[submitted.pk]),
        {"result": "not_met"},
    )
    assert concluded.status_code == 403

    client.force_login(council)
    page = client.get(appraise).content.decode()
    assert reverse("dossiers:appraisal-complete", args=[submitted.pk]) in page
    assert "Lê Văn Ba: <strong>Chưa đạt</strong> — Thiếu minh chứng 9.1" in page


def test_the_api_counts_the_votes_and_names_no_member(
    client, submitted, council, units
):
    member = make_member(units["city"], Role.COUNCIL_MEMBER, full_name="Lê Văn Ba")
    vote_on_dossier(submitted, verdict="not_met", by=member)
    _all_criteria(submitted, council, verdict="not_met")
    complete_appraisal(submitted, result="not_met", by=council)
    client.force_login(council)

    response = client.get(f"/api/v1/dossiers/{submitted.pk}")

    data = response.json()
    assert data["council_votes"] == {"met": 0, "not_met": 2}
    assert data["submitted_unmet"] == []
    assert "Lê Văn Ba" not in response.content.decode()
