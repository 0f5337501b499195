"""/api/v1/cooperatives and /api/v1/knowledge through the page services."""

import datetime
import json

import pytest

from ntm.accounts.models import Role
from ntm.cooperatives.models import Cooperative
from ntm.cooperatives.services import create_cooperative
from ntm.core.models import ActionLog
from ntm.knowledge.models import Training
from ntm.knowledge.services import add_participant, create_staff, create_training
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def _send(client, method, url, body, **headers):
    return getattr(client, method)(url, json.dumps(body), "application/json", **headers)


@pytest.fixture
def cooperative(units):
    return create_cooperative(
        code="HTX-HN-1",
        name="HTX Nông nghiệp Hà Nha",
        commune=units["ha_nha"],
        representative="Phạm Văn Đại",
        phone="0905000111",
        by=None,
    )


def test_cooperatives_are_public_without_personal_data(
    client, cooperative, officer, units, key_for
):
    outsider = make_member(units["vu_gia"], Role.COMMUNE_OFFICER)

    anonymous = client.get("/api/v1/cooperatives?q=ha nha")
    staff = client.get(f"/api/v1/cooperatives/{cooperative.code}", **key_for(officer))
    other = client.get(f"/api/v1/cooperatives/{cooperative.code}", **key_for(outsider))

    found = anonymous.json()["results"]
    assert [c["code"] for c in found] == ["HTX-HN-1"]
    assert found[0]["representative"] is None and found[0]["phone"] is None
    assert staff.json()["phone"] == "0905000111"
    assert other.json()["phone"] is None


def test_cooperative_is_registered_and_changed_through_the_services(
    client, units, officer, key_for
):
    headers = key_for(officer, "read", "write:cooperatives")
    body = {"code": "HTX-HN-2", "name": "HTX Dịch vụ Hà Nha", "commune": "20515"}

    created = _send(client, "post", "/api/v1/cooperatives", body, **headers)
    changed = _send(
        client, "patch", "/api/v1/cooperatives/HTX-HN-2", {"members": 12}, **headers
    )
    elsewhere = _send(
        client,
        "post",
        "/api/v1/cooperatives",
        {**body, "code": "X", "commune": "20539"},
        **headers,
    )

    assert created.status_code == 201, created.json()
    assert changed.status_code == 200 and changed.json()["members"] == 12
    assert elsewhere.status_code == 403
    assert Cooperative.objects.get().members == 12
    actions = set(ActionLog.objects.values_list("action", flat=True))
    assert {"cooperatives.cooperative.created", "cooperatives.cooperative.changed"} <= (
        actions
    )


@pytest.fixture
def training(units):
    training = create_training(
        title="Tập huấn chuyển đổi số",
        organiser=units["ha_nha"],
        held_on=datetime.date(2026, 5, 10),
        by=None,
    )
    staff = create_staff(
        unit=units["ha_nha"], year=2026, code="CB1", full_name="Lê Thị Hoa", by=None
    )
    add_participant(training, staff=staff, by=None)
    add_participant(training, name="Khách mời", by=None)
    return training


def test_trainings_need_a_staff_role_and_show_participants_to_keepers(
    client, training, officer, units, key_for
):
    outsider = make_member(units["vu_gia"], Role.COMMUNE_OFFICER)
    village_head = make_member(units["ha_nha"], Role.VILLAGE_HEAD)
    url = f"/api/v1/knowledge/trainings/{training.pk}"

    listed = client.get("/api/v1/knowledge/trainings?year=2026", **key_for(officer))
    detail = client.get(url, **key_for(officer))
    hidden = client.get(url, **key_for(outsider))
    no_role = client.get(url, **key_for(village_head))
    anonymous = client.get(url)

    assert [t["invited"] for t in listed.json()["results"]] == [2]
    assert "participants" not in listed.json()["results"][0]
    assert [p["name"] for p in detail.json()["participants"]] == [
        "Lê Thị Hoa",
        "Khách mời",
    ]
    assert hidden.status_code == 404
    assert no_role.status_code == 403
    assert anonymous.status_code == 401


def test_training_is_recorded_through_the_services(client, units, officer, key_for):
    headers = key_for(officer, "read", "write:knowledge")
    body = {
        "title": "Lớp ký số",
        "organiser": "20515",
        "held_on": "2026-06-01",
        "hours": "4",
    }

    created = _send(client, "post", "/api/v1/knowledge/trainings", body, **headers)
    training_id = created.json()["id"]
    changed = _send(
        client,
        "patch",
        f"/api/v1/knowledge/trainings/{training_id}",
        {"place": "Nhà văn hóa xã"},
        **headers,
    )
    read_only = _send(
        client, "post", "/api/v1/knowledge/trainings", body, **key_for(officer)
    )

    assert created.status_code == 201, created.json()
    assert changed.status_code == 200 and changed.json()["place"] == "Nhà văn hóa xã"
    assert read_only.status_code == 403
    assert Training.objects.count() == 1
    assert ActionLog.objects.filter(action="knowledge.training.created").exists()
