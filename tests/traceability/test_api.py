import json

import pytest
from django.test import Client
from openapi_spec_validator import validate

from ntm.core.models import ActionLog
from ntm.traceability.models import GrowingArea

from .conftest import TODAY, square

pytestmark = pytest.mark.django_db
BASE = "/api/v1/traceability"


def _post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_openapi_document_is_valid_and_lists_the_traceability_paths(client):
    document = client.get("/api/openapi.json").json()
    # Only this app's paths: the rest of the document is other apps' to fix.
    document["paths"] = {
        path: item for path, item in document["paths"].items() if path.startswith(BASE)
    }

    validate(document)
    assert {
        f"{BASE}/areas",
        f"{BASE}/areas/{{area_id}}/steps",
        f"{BASE}/areas/{{area_id}}/diary",
        f"{BASE}/lots",
        f"{BASE}/lots/{{lot_id}}/events",
        f"{BASE}/lots/{{lot_id}}/epcis",
    } <= set(document["paths"])


def test_anonymous_reads_coded_areas_and_lots_without_personal_data(
    client, lot, declared, entity
):
    areas = client.get(f"{BASE}/areas").json()
    lots = client.get(f"{BASE}/lots").json()
    events = client.get(f"{BASE}/lots/{lot.pk}/events").json()
    diary = client.get(f"{BASE}/areas/{lot.area_id}/diary").json()

    assert [a["code"] for a in areas] == [lot.area.code]
    assert [item["link"] for item in lots] == [lot.link_path]
    assert events["intact"] is True
    assert [e["kind"] for e in events["events"]] == ["thu_hoach"]
    assert {d["kind"] for d in diary} == {"gieo_trong", "phun_thuoc", "thu_hoach"}
    text = json.dumps([areas, lots, events, diary], ensure_ascii=False)
    for private in (entity.representative, entity.representative_phone, "htx.hanha"):
        assert private not in text


def test_anonymous_cannot_write(client, coded):
    response = _post(
        client,
        f"{BASE}/areas/{coded.pk}/diary",
        {"kind": "tuoi_nuoc", "on": TODAY.isoformat()},
    )

    assert response.status_code == 401


def test_producer_declares_through_the_api_and_the_office_issues(
    entity, producer, office, units
):
    producer_client, office_client = Client(), Client()
    producer_client.force_login(producer)
    office_client.force_login(office)

    declared = _post(
        producer_client,
        f"{BASE}/areas",
        {
            "entity": entity.code,
            "name": "Vùng API",
            "commune": units["ha_nha"].code,
            "crop": "Rau",
            "boundary": json.loads(json.dumps(square().__geo_interface__)),
        },
    )
    area_id = declared.json()["id"]
    refused = _post(
        producer_client,
        f"{BASE}/areas/{area_id}/steps",
        {"action": "inspect", "on": TODAY.isoformat(), "reason": "Tự kiểm"},
    )
    skipped = _post(
        office_client,
        f"{BASE}/areas/{area_id}/steps",
        {"action": "issue", "on": TODAY.isoformat(), "reason": "Đạt"},
    )
    for action in ("inspect", "issue"):
        done = _post(
            office_client,
            f"{BASE}/areas/{area_id}/steps",
            {"action": action, "on": TODAY.isoformat(), "reason": "Đạt"},
        )

    assert declared.status_code == 201
    assert (refused.status_code, skipped.status_code) == (403, 422)
    assert done.json()["status"] == GrowingArea.Status.ISSUED
    assert done.json()["code"].startswith("VN-48-20515-")
    assert ActionLog.objects.filter(action="traceability.area.issued").count() == 1


def test_another_producer_cannot_write_to_a_lot(lot, other_producer):
    client = Client()
    client.force_login(other_producer)

    response = _post(
        client,
        f"{BASE}/lots/{lot.pk}/events",
        {"kind": "van_chuyen", "occurred_at": "2026-01-01T08:00:00+07:00"},
    )

    assert response.status_code == 403


def test_producer_records_an_event_and_a_refused_harvest_explains_itself(lot, producer):
    client = Client()
    client.force_login(producer)
    _post(
        client,
        f"{BASE}/areas/{lot.area_id}/diary",
        {
            "kind": "phun_thuoc",
            "on": TODAY.isoformat(),
            "input_name": "Thuốc D",
            "preharvest_days": 5,
        },
    )

    harvest = _post(
        client,
        f"{BASE}/areas/{lot.area_id}/diary",
        {"kind": "thu_hoach", "on": TODAY.isoformat(), "quantity_kg": "50"},
    )
    from django.utils import timezone

    event = _post(
        client,
        f"{BASE}/lots/{lot.pk}/events",
        {
            "kind": "van_chuyen",
            "occurred_at": timezone.now().isoformat(),
            "destination": "Kho",
        },
    )

    assert harvest.status_code == 422
    assert "Thuốc D" in harvest.json()["detail"]
    assert event.status_code == 201
    assert event.json()["previous_hash"] == lot.events.first().hash


def test_lot_epcis_endpoint_returns_the_document(client, lot):
    response = client.get(f"{BASE}/lots/{lot.pk}/epcis")

    assert response.json()["epcisBody"]["eventList"][0]["type"] == "ObjectEvent"
