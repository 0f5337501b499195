import pytest
from django.urls import reverse

from ntm.indicators.evaluation import MET, NO_DATA, NOT_MET

from .conftest import xa_of

pytestmark = pytest.mark.django_db


def _statuses(response):
    return {
        f["properties"]["code"]: f["properties"]["status"]
        for f in response.json()["features"]
    }


def test_plan_map_geojson_colours_communes_by_target_2(client, plan, approve):
    xa = xa_of(2024)
    for commune in xa[:16]:
        approve("NTM-XA.8.4", commune, 2024, 1)
    approve("NTM-XA.8.4", xa[16], 2024, 0)

    response = client.get(
        reverse("dashboards:plan-map-geojson") + "?muc-tieu=2&nam=2024"
    )

    statuses = _statuses(response)
    assert response["Content-Type"] == "application/geo+json"
    assert len(statuses) == 18  # 17 xã and the thị trấn of 2024
    assert [statuses[c.code] for c in xa] == [MET] * 16 + [NOT_MET]
    assert statuses["20500"] == "excluded"  # Thị trấn Ái Nghĩa is not counted
    lagging = next(
        f["properties"]
        for f in response.json()["features"]
        if f["properties"]["code"] == xa[16].code
    )
    assert lagging["status_text"] == "Chưa đạt"
    assert lagging["value"] == "Không"
    assert lagging["scorecard_url"] == (
        reverse("indicators:evaluation-detail", args=["XA_NTM_2021_2025", xa[16].code])
        + "?nam=2024"
    )


def test_plan_map_geojson_shows_the_five_new_communes_in_2025(client, plan, approve):
    new_xa = xa_of(2025)
    approve("NTM-XA.8.4", new_xa[0], 2025, 1)

    response = client.get(
        reverse("dashboards:plan-map-geojson") + "?muc-tieu=2&nam=2025"
    )

    statuses = _statuses(response)
    assert sorted(statuses) == sorted(c.code for c in new_xa[:5])
    assert statuses[new_xa[0].code] == MET
    assert list(statuses.values()).count(NO_DATA) == 4


def test_plan_map_geojson_colours_communes_by_a_criterion(client, plan, approve):
    xa = xa_of(2024)
    approve("NTM-XA.8.4", xa[0], 2024, 0)

    response = client.get(
        reverse("dashboards:plan-map-geojson")
        + "?bo=XA_NTM_2021_2025&tieu-chi=8&nam=2024"
    )

    statuses = _statuses(response)
    assert statuses[xa[0].code] == NOT_MET
    assert statuses[xa[1].code] == NO_DATA


def test_plan_map_geojson_answers_404_for_an_unknown_target(client, plan):
    response = client.get(reverse("dashboards:plan-map-geojson") + "?muc-tieu=99")

    assert response.status_code == 404
    assert response.json()["detail"] == "Kế hoạch không có mục tiêu 99."


def test_plan_map_geojson_refuses_a_year_outside_the_plan(client, plan):
    response = client.get(
        reverse("dashboards:plan-map-geojson") + "?muc-tieu=2&nam=2030"
    )

    assert response.status_code == 422


def test_plan_map_page_has_the_map_legend_and_approximate_note(client, plan):
    response = client.get(reverse("dashboards:plan-map") + "?muc-tieu=3&nam=2024")

    body = response.content.decode()
    assert 'id="plan-map"' in body
    assert "muc-tieu=3&amp;nam=2024" in body
    assert "Chưa có số liệu" in body and "Chưa đạt" in body
    assert "<script>" not in body
    assert response.context["approximate"] is any(
        u.boundary_is_approximate for u in xa_of(2024)
    )
