import datetime
import json

import pytest
from django.test import Client

from ntm.channel.services import add_subscriber
from ntm.core.models import ActionLog

pytestmark = pytest.mark.django_db

URL = "/kenh-thon/tin-nhan-den/"
TOKEN = "gateway-secret-for-tests"


@pytest.fixture(autouse=True)
def inbound_token(settings):
    settings.SMS_INBOUND_TOKEN = TOKEN


@pytest.fixture
def resident(villages):
    return add_subscriber(
        villages["hn1"],
        by=None,
        consented_on=datetime.date(2026, 3, 2),
        name="Lê Văn A",
        phone="0905123456",
    )


def _post_json(client, body, token=TOKEN):
    headers = {"X-Gateway-Token": token} if token is not None else {}
    return client.post(
        URL, json.dumps(body), content_type="application/json", headers=headers
    )


def _unsubscribed_logs():
    return list(
        ActionLog.objects.filter(action="channel.subscriber.unsubscribed").values_list(
            "object_id", "data"
        )
    )


def test_sms_receive_opts_out_the_sender_and_logs_it(resident):
    # A gateway has no CSRF cookie; the endpoint must not ask for one.
    client = Client(enforce_csrf_checks=True)

    response = _post_json(
        client, {"from": "+84 905 123 456", "text": f"huy {resident.token}"}
    )

    assert response.status_code == 200
    assert response.json() == {"status": "opted_out"}
    resident.refresh_from_db()
    assert resident.opted_out_at is not None
    assert resident.opted_out_via == "keyword"
    assert _unsubscribed_logs() == [(str(resident.pk), {"via": "keyword"})]


def test_sms_receive_accepts_a_form_encoded_body(client, resident):
    response = client.post(
        URL,
        {"from": "84905123456", "text": f"STOP {resident.token}"},
        headers={"X-Gateway-Token": TOKEN},
    )

    assert response.status_code == 200
    assert response.json() == {"status": "opted_out"}
    resident.refresh_from_db()
    assert resident.opted_out_at is not None


def test_sms_receive_opts_out_once_when_the_gateway_resends(client, resident):
    body = {"from": resident.phone, "text": f"HUY {resident.token}"}
    _post_json(client, body)
    resident.refresh_from_db()
    first_time = resident.opted_out_at

    response = _post_json(client, body)

    assert response.status_code == 200
    assert response.json() == {"status": "opted_out"}
    resident.refresh_from_db()
    assert resident.opted_out_at == first_time
    assert len(_unsubscribed_logs()) == 1


@pytest.mark.parametrize("token", ["wrong-token", "", None])
def test_sms_receive_refuses_a_wrong_or_missing_token(client, resident, token):
    body = {"from": resident.phone, "text": f"HUY {resident.token}"}

    response = _post_json(client, body, token=token)

    assert response.status_code == 403
    resident.refresh_from_db()
    assert resident.opted_out_at is None


def test_sms_receive_does_not_take_the_token_from_the_query_string(client, resident):
    body = {"from": resident.phone, "text": f"HUY {resident.token}"}

    response = client.post(
        f"{URL}?token={TOKEN}", json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 403


def test_sms_receive_is_off_without_the_setting(client, settings, resident):
    settings.SMS_INBOUND_TOKEN = ""
    body = {"from": resident.phone, "text": f"HUY {resident.token}"}

    response = _post_json(client, body, token="")

    assert response.status_code == 404
    resident.refresh_from_db()
    assert resident.opted_out_at is None


@pytest.mark.parametrize("text", ["HUY KHONGCO", "xin chào trưởng thôn", "", "HUY"])
def test_sms_receive_ignores_a_text_naming_no_subscriber(client, resident, text):
    response = _post_json(client, {"from": resident.phone, "text": text})

    assert response.status_code == 200
    assert response.json() == {"status": "ignored"}
    assert _unsubscribed_logs() == []


@pytest.mark.parametrize("sender", ["0905999888", "", "không phải số"])
def test_sms_receive_ignores_a_token_sent_from_another_phone(client, resident, sender):
    response = _post_json(client, {"from": sender, "text": f"HUY {resident.token}"})

    assert response.status_code == 200
    assert response.json() == {"status": "ignored"}
    resident.refresh_from_db()
    assert resident.opted_out_at is None
    assert _unsubscribed_logs() == []


def test_sms_receive_refuses_an_oversized_body(client, resident):
    body = {"from": resident.phone, "text": f"HUY {resident.token}" + " " * 3000}

    response = _post_json(client, body)

    assert response.status_code == 413
    resident.refresh_from_db()
    assert resident.opted_out_at is None


def test_sms_receive_refuses_a_body_that_is_not_a_json_object(client):
    response = client.post(
        URL,
        "[1, 2]",
        content_type="application/json",
        headers={"X-Gateway-Token": TOKEN},
    )

    assert response.status_code == 400


def test_sms_receive_answers_only_post(client):
    response = client.get(URL, headers={"X-Gateway-Token": TOKEN})

    assert response.status_code == 405


@pytest.mark.parametrize("word", ["Hủy", "hủy", "từ chối".replace(" ", "")])
def test_sms_receive_reads_the_keyword_with_diacritics(client, resident, word):
    body = {"from": resident.phone, "text": f"{word} {resident.token.lower()}"}

    response = _post_json(client, body)

    assert response.json() == {"status": "opted_out"}
    resident.refresh_from_db()
    assert resident.opted_out_at is not None
