"""Readings over MQTT through the local Mosquitto broker: every message
stored once, acknowledged only after it is committed (a listener that stops
mid-stream gets the rest re-delivered), refusals counted."""

import json
import time
import uuid

import paho.mqtt.client as mqtt
import pytest

from ntm.environment.models import Alert, Reading
from ntm.environment.mqtt import TOPIC_PREFIX, SensorListener

from .conftest import at

BROKER = ("127.0.0.1", 1883)


@pytest.fixture
def client_id():
    # Unique per test: a persistent session of an earlier run must not
    # deliver its leftovers here.
    return f"ntm-test-{uuid.uuid4().hex[:12]}"


def publish(messages, device_id):
    publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    publisher.connect(*BROKER)
    publisher.loop_start()
    infos = [
        publisher.publish(TOPIC_PREFIX + device_id, json.dumps(m), qos=1)
        for m in messages
    ]
    for info in infos:
        info.wait_for_publish(timeout=10)
    publisher.loop_stop()
    publisher.disconnect()


def serve_until(listener, count, seconds=20):
    deadline = time.monotonic() + seconds
    while listener.counts.messages < count and time.monotonic() < deadline:
        listener.flush_once()


def subscribed(listener):
    listener.start()
    deadline = time.monotonic() + 5
    while not listener.client.is_connected() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)  # the SUBSCRIBE round trip
    return listener


def turbidity(key, minute, value):
    return {
        "key": key,
        "parameter": "do-duc",
        "value": value,
        "measured_at": at(minute).isoformat(),
    }


def test_every_message_is_stored_once_and_episodes_counted(sensor, client_id):
    device, key = sensor
    # 300 readings: three episodes of 10 readings above 2 NTU.
    values = [3.0 if minute % 100 < 10 else 0.5 for minute in range(300)]
    listener = subscribed(
        SensorListener(*BROKER, session_expiry=30, client_id=client_id, batch_size=100)
    )
    try:
        publish([turbidity(key, m, v) for m, v in enumerate(values)], device.device_id)
        serve_until(listener, 300)
    finally:
        listener.stop()
    assert (listener.counts.messages, listener.counts.stored) == (300, 300)
    assert Reading.objects.filter(source="mqtt").count() == 300
    assert listener.counts.alerts == 3
    assert Alert.objects.filter(closed_at__isnull=False).count() == 3


def test_wrong_keys_and_bad_payloads_are_refused_and_counted(sensor, client_id):
    device, key = sensor
    listener = subscribed(
        SensorListener(*BROKER, session_expiry=30, client_id=client_id)
    )
    try:
        publish([turbidity("sai-khoa", 0, 1.0)], device.device_id)
        publish([turbidity(key, 1, 1.0)], "thiet-bi-la")
        publish([{"key": key, "readings": "không phải danh sách"}], device.device_id)
        publish([turbidity(key, 2, 1.0)], device.device_id)
        serve_until(listener, 4)
    finally:
        listener.stop()
    assert (listener.counts.refused, listener.counts.stored) == (3, 1)
    assert Reading.objects.count() == 1


def test_unacknowledged_messages_are_redelivered_to_the_next_listener(
    sensor, client_id
):
    device, key = sensor
    first = subscribed(
        SensorListener(*BROKER, session_expiry=30, client_id=client_id, batch_size=50)
    )
    publish([turbidity(key, m, 1.0) for m in range(120)], device.device_id)
    # The first listener commits one batch of 50, then dies with the rest
    # received but neither stored nor acknowledged.
    deadline = time.monotonic() + 10
    while first.inbox.qsize() < 120 and time.monotonic() < deadline:
        time.sleep(0.05)
    first.flush_once()
    first.client.loop_stop()
    first.client._sock_close()  # no DISCONNECT: as a killed process
    assert Reading.objects.count() == 50
    second = subscribed(
        SensorListener(*BROKER, session_expiry=30, client_id=client_id, batch_size=50)
    )
    try:
        serve_until(second, 70)
        time.sleep(0.5)
        second.flush_once()  # anything re-sent twice
    finally:
        second.stop()
    assert Reading.objects.count() == 120
    assert sorted(Reading.objects.values_list("measured_at", flat=True)) == [
        at(m) for m in range(120)
    ]
