"""Sensors post over HTTP with their own key; the public reads points,
readings and alerts; a point's keepers enter lab results and issue keys."""

import json

from django.urls import reverse

from ntm.accounts.models import Role
from ntm.core.models import ActionLog
from ntm.environment.models import Alert, Reading
from tests.factories import make_member

from .conftest import at

URL = "/api/v1/environment/readings"


def post(client, device_id, key, readings):
    return client.post(
        URL,
        json.dumps({"readings": readings}),
        content_type="application/json",
        HTTP_X_DEVICE_ID=device_id,
        HTTP_X_DEVICE_KEY=key,
    )


def reading(parameter="do-duc", value=3.0, minute=0):
    return {
        "parameter": parameter,
        "value": value,
        "measured_at": at(minute).isoformat(),
    }


def test_a_sensor_posts_readings_with_its_key(client, sensor):
    device, key = sensor
    answer = post(
        client,
        device.device_id,
        key,
        [reading(value=0.5), reading(value=3.0, minute=1)],
    )
    assert answer.status_code == 201, answer.content
    assert answer.json() == {"stored": 2, "alerts_opened": 1}
    device.refresh_from_db()
    assert device.last_seen == at(1)


def test_a_wrong_key_is_refused_and_stores_nothing(client, sensor):
    device, key = sensor
    for device_id, wrong in [
        (device.device_id, key + "x"),
        (device.device_id, ""),
        ("khong-co", key),
    ]:
        assert post(client, device_id, wrong, [reading()]).status_code == 401
    assert not Reading.objects.exists()


def test_a_reissued_key_replaces_the_old_one(client, sensor, point):
    from ntm.environment.services import issue_sensor_key

    device, old_key = sensor
    _same, new_key = issue_sensor_key(point, device_id=device.device_id, by=None)
    assert post(client, device.device_id, old_key, [reading()]).status_code == 401
    assert post(client, device.device_id, new_key, [reading()]).status_code == 201


def test_one_bad_reading_refuses_the_whole_post_with_reasons(client, sensor):
    device, key = sensor
    answer = post(client, device.device_id, key, [reading(), reading("asen", 0.2)])
    assert answer.status_code == 422
    assert "Kết quả 2" in answer.json()["errors"][0]
    assert not Reading.objects.exists()


def test_the_public_reads_points_readings_and_alerts(client, sensor, point):
    device, key = sensor
    post(client, device.device_id, key, [reading(value=3.0), reading("ph", 7.1)])
    points = client.get("/api/v1/environment/points").json()
    assert [p["code"] for p in points] == ["hn-nuoc-01"]
    assert {p["code"]: p["confirmed"] for p in points[0]["parameters"]} == {
        "ph": False,
        "do-duc": False,
    }
    readings = client.get(f"/api/v1/environment/points/{point.code}/readings").json()
    assert readings["count"] == 2
    alerts = client.get("/api/v1/environment/alerts", {"open_only": True}).json()
    assert [(a["parameter"], a["worst_value"]) for a in alerts] == [("do-duc", 3.0)]
    page = client.get(reverse("environment:point-detail", args=[point.code]))
    body = page.content.decode()
    assert "Độ đục" in body and "chưa xác nhận" in body and "đang mở" in body
    listing = client.get(reverse("environment:point-list")).content.decode()
    assert "1 thông số vượt ngưỡng" in listing
    # No key, no lab form, no device list for the public.
    assert device.device_id not in body and "Nhập kết quả" not in body


def test_a_commune_officer_enters_a_lab_result_that_opens_an_alert(
    client, point, units
):
    officer = make_member(units["ha_nha"], Role.COMMUNE_OFFICER)
    client.force_login(officer)
    url = reverse("environment:lab-result", args=[point.code])
    bad = client.post(url, {"measured_on": "01/12/2026", "laboratory": "CDC"})
    assert "Nhập ít nhất một kết quả" in bad.content.decode()
    answer = client.post(
        url,
        {
            "measured_on": "30/11/2026",
            "laboratory": "CDC tỉnh",
            "p_ph": "9.1",
            "p_do-duc": "",
        },
    )
    assert answer.status_code == 302
    stored = Reading.objects.get()
    assert (stored.source, stored.value, stored.is_breach) == ("lab", 9.1, True)
    assert Alert.objects.get().parameter.code == "ph"
    assert (
        ActionLog.objects.for_object(point)
        .filter(action="environment.lab_result.created")
        .exists()
    )


def test_another_commune_cannot_enter_results_or_issue_keys(client, point, units):
    client.force_login(make_member(units["vu_gia"], Role.COMMUNE_OFFICER))
    lab = reverse("environment:lab-result", args=[point.code])
    assert client.get(lab).status_code == 403
    issue = reverse("environment:sensor-issue", args=[point.code])
    assert client.post(issue, {"device_id": "x-1"}).status_code == 403
    assert not point.sensors.exists()


def test_a_keeper_sees_the_key_once_and_it_is_not_cached(client, point, units):
    client.force_login(make_member(units["ha_nha"], Role.COMMUNE_OFFICER))
    answer = client.post(
        reverse("environment:sensor-issue", args=[point.code]), {"device_id": "hn-01"}
    )
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "no-store"
    key = answer.context["key"]
    assert key in answer.content.decode()
    sensor = point.sensors.get()
    assert sensor.accepts(key) and key not in sensor.key_hash


def test_the_public_points_list_follows_an_episode_opening(client, sensor, point):
    device, key = sensor
    url = reverse("environment:point-list")
    assert "Trong ngưỡng" in client.get(url).content.decode()
    post(client, device.device_id, key, [reading(value=0.5)])
    assert "Trong ngưỡng" in client.get(url).content.decode()  # no episode
    post(client, device.device_id, key, [reading(value=3.0, minute=1)])
    assert "1 thông số vượt ngưỡng" in client.get(url).content.decode()
