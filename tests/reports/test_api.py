import datetime

import pytest

from ntm.reports.models import Assignment
from ntm.reports.services import save_narratives
from tests.responses import text_of

from .conftest import at, send

pytestmark = pytest.mark.django_db


def test_api_completeness_is_public_without_names(client, form_2025, commune_officer):
    assignment = Assignment.objects.get(unit__name="Xã Hà Nha")
    send(assignment.submission, by=commune_officer, at=at(datetime.date(2025, 10, 3)))
    response = client.get("/api/v1/reports/2025/")
    assert response.status_code == 200
    data = response.json()
    assert (data["total"], data["submitted"], data["late"], data["missing"]) == (
        10,
        1,
        1,
        9,
    )
    assert data["on_time_percent"] == 0.0
    assert len(data["assignments"]) == 10
    assert commune_officer.full_name not in text_of(response)


def test_api_submission_detail_for_the_commune_officer(
    client, form_2025, commune_officer
):
    assignment = Assignment.objects.get(unit__name="Xã Hà Nha")
    save_narratives(assignment.submission, narratives={"3": "Đã làm."}, by=None)
    client.force_login(commune_officer)
    response = client.get(f"/api/v1/reports/submissions/{assignment.pk}/")
    assert response.status_code == 200
    assert response.json()["narratives"] == {"3": "Đã làm."}


def test_api_submission_detail_needs_sign_in(client, form_2025):
    assignment = Assignment.objects.get(unit__name="Xã Hà Nha")
    response = client.get(f"/api/v1/reports/submissions/{assignment.pk}/")
    assert response.status_code == 401


def test_api_submission_detail_of_another_commune_is_not_found(
    client, form_2025, commune_officer
):
    assignment = Assignment.objects.get(unit__name="Xã Vu Gia")
    client.force_login(commune_officer)
    response = client.get(f"/api/v1/reports/submissions/{assignment.pk}/")
    assert response.status_code == 404


def test_api_submission_list_shows_the_callers_units_or_all_to_the_focal_office(
    client, form_2025, commune_officer, focal
):
    client.force_login(commune_officer)
    own = client.get("/api/v1/reports/2025/submissions")
    client.force_login(focal)
    everyone = client.get("/api/v1/reports/2025/submissions?page_size=200")

    assert [s["assignment"]["unit_name"] for s in own.json()["results"]] == [
        "Xã Hà Nha"
    ]
    assert everyone.json()["count"] == 10
