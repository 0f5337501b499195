import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ntm.dossiers.services import add_evidence
from tests.responses import text_of

pytestmark = pytest.mark.django_db

API = "/api/v1/dossiers/"


def test_dossier_list_hides_drafts_from_anonymous_callers(client, draft, submitted):
    response = client.get(API)

    assert [item["id"] for item in response.json()] == [submitted.pk]


def test_dossier_list_shows_drafts_to_the_commune(client, submitted, commune_officer):
    client.force_login(commune_officer)

    response = client.get(API, {"status": "submitted"})

    assert [item["status"] for item in response.json()] == ["submitted"]


def test_dossier_detail_keeps_signers_and_drops_officers_and_evidence(
    client, recognised, commune_officer
):
    response = client.get(f"{API}{recognised.pk}")

    body = response.json()
    assert response.status_code == 200
    assert body["decision"]["signer"] == "Nguyễn Văn Ký"
    assert body["evidence"] is None
    assert [c["number"] for c in body["criteria"]] == ["8", "9"]
    assert body["criteria"][0]["appraisal_verdict"] == "met"
    assert len(body["postings"]) == 5
    assert commune_officer.username not in text_of(response)
    assert str(commune_officer) not in text_of(response)


def test_dossier_detail_lists_evidence_for_staff(client, draft, commune_officer):
    add_evidence(
        draft,
        criterion_number="8",
        upload=SimpleUploadedFile("bb.pdf", b"%PDF"),
        by=commune_officer,
    )
    client.force_login(commune_officer)

    body = client.get(f"{API}{draft.pk}").json()

    assert [item["name"] for item in body["evidence"]] == ["bb.pdf"]


def test_dossier_detail_of_a_draft_is_not_found_for_anonymous_callers(client, draft):
    assert client.get(f"{API}{draft.pk}").status_code == 404
