"""The residents' reports layer of the map: what the feedback app shows the
public of a report (its list and map), never who sent it or what they wrote."""

import datetime

import pytest
from django.urls import reverse

from ntm.accounts.models import Role
from ntm.feedback.services import change_status, escalate_overdue, submit_report
from ntm.maps import queries
from tests.responses import text_of

from ..factories import make_member
from ..feedback.conftest import T0, area, roads  # noqa: F401

pytestmark = pytest.mark.django_db
NAME, PHONE, TEXT = "Lê Văn Tám", "0905123456", "Ổ gà lớn trước nhà ông Tám"
URL = reverse("maps:thematic-layer", args=["phan-anh"])


def _report(category, lon, **extra):
    return submit_report(
        category=category,
        text=TEXT,
        lat=15.85,
        lon=lon,
        reporter_name=NAME,
        reporter_phone=PHONE,
        now=T0,
        **extra,
    )


@pytest.fixture
def reports(area, roads):  # noqa: F811
    """A report gone overdue, and one resolved on time (closed since: its
    reopen window ended)."""
    late = _report(roads, 108.021)
    done = _report(roads, 108.081)
    officer = make_member(area["ha_nha"], Role.COMMUNE_OFFICER, username="xa1")
    change_status(done, "resolve", by=officer, note="Đã vá", now=T0)
    escalate_overdue(now=T0 + datetime.timedelta(days=roads.deadline_days + 1))
    late.refresh_from_db()
    assert late.is_overdue
    return {"late": late, "done": done}


def test_layer_draws_public_reports_with_their_public_facts(client, reports):
    response = client.get(URL)

    layer = response.json()
    features = {f["properties"]["code"]: f for f in layer["features"]}
    late = features[reports["late"].code]
    assert late["properties"] == {
        "code": reports["late"].code,
        "category": "Đường sá, cầu cống hư hỏng",
        "status": "received",
        "status_text": "Đã tiếp nhận",
        "received": "02/11/2026",
        "overdue": True,
        "demo": False,
        "url": f"/phan-anh/{reports['late'].code}/",
    }
    done = features[reports["done"].code]["properties"]
    assert (done["status"], done["status_text"], done["overdue"]) == (
        "closed",
        "Đã đóng",
        False,
    )
    # The point is the one the feedback app's own public map draws, no finer.
    own = client.get(reverse("feedback:report-geojson")).json()
    assert {f["properties"]["code"]: f["geometry"] for f in own["features"]} == {
        code: f["geometry"] for code, f in features.items()
    }
    legend = {item["status"]: item["text"] for item in layer["legend"]}
    assert legend["closed"] == "Đã đóng" and legend["overdue"] == "Quá hạn"


def test_layer_shows_no_personal_data(client, reports):
    response = client.get(URL)

    text = text_of(response)
    assert reports["late"].code in text
    assert NAME not in text and PHONE not in text and TEXT not in text
    assert PHONE.encode() not in response.content


def test_layer_reads_its_features_in_one_query(reports, django_assert_num_queries):
    with django_assert_num_queries(1):
        features = queries.LAYER_BY_KEY["phan-anh"].features()

    assert len(features) == 2


def test_map_page_lists_the_layer_only_when_there_are_public_reports(
    client,
    area,  # noqa: F811
    roads,  # noqa: F811
):
    before = client.get(reverse("maps:map"))
    _report(roads, 108.021)
    after = client.get(reverse("maps:map"))

    assert "phan-anh" not in [layer.key for layer in before.context["layers"]]
    assert "phan-anh" in [layer.key for layer in after.context["layers"]]
    assert f'value="phan-anh" data-url="{URL}"' in after.content.decode()
