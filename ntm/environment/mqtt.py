"""Readings from sensors over MQTT (the district's Mosquitto broker).

A sensor publishes JSON to ``ntm/cam-bien/<device id>`` with QoS 1::

    {"key": "<its key>", "parameter": "ph", "value": 7.2,
     "measured_at": "2026-12-02T08:00:00+07:00"}

or several at once as ``{"key": …, "readings": [{…}, …]}``. The listener
keeps a persistent session (the broker holds messages while it is down) and
acknowledges a message only after its readings are committed, so a crash
loses nothing: the broker re-delivers, and ``record_readings`` skips what it
already stored. Messages are written in batches (one transaction for up to
``batch_size`` messages), which is what lets one process keep up with
thousands of readings a second. A message with a wrong key or bad readings
is acknowledged and counted as refused: re-delivering it would not help.
"""

import json
import logging
import queue
import time
from dataclasses import dataclass, field

import paho.mqtt.client as mqtt
from django.db import close_old_connections, connection
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from .models import Reading, Sensor
from .services import ReadingError, parse_readings, record_readings

logger = logging.getLogger(__name__)
TOPIC_PREFIX = "ntm/cam-bien/"
RECEIVE_WINDOW = 5000


@dataclass
class Counts:
    messages: int = 0
    stored: int = 0
    refused: int = 0
    alerts: int = 0
    reasons: list = field(default_factory=list)


class SensorListener:
    def __init__(
        self,
        host="127.0.0.1",
        port=1883,
        *,
        client_id="ntm-sensors",
        batch_size=500,
        flush_seconds=0.2,
        session_expiry=24 * 3600,
    ):
        self.host, self.port = host, port
        self.batch_size, self.flush_seconds = batch_size, flush_seconds
        self.session_expiry = session_expiry
        self.inbox = queue.Queue()
        self.counts = Counts()
        self.running = False
        self._sensors = {}
        self._warned = {}
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=client_id,
            protocol=mqtt.MQTTv5,
            manual_ack=True,
        )
        self.client.on_connect = self._on_connect
        self.client.on_message = lambda client, data, message: self.inbox.put(message)

    def _on_connect(self, client, userdata, flags, reason, properties):
        client.subscribe(TOPIC_PREFIX + "+", qos=1)

    def start(self):
        self.running = True
        properties = Properties(PacketTypes.CONNECT)
        # Kept by the broker (a day by default) while the listener is away.
        properties.SessionExpiryInterval = self.session_expiry
        # Unacknowledged messages the broker may send at once: acknowledging
        # only after the commit, a small window (Mosquitto's default is 20)
        # would cap the rate at a window per batch.
        properties.ReceiveMaximum = RECEIVE_WINDOW
        # Asynchronous: a broker that is down (or restarting) is retried by
        # the network loop, every few seconds, instead of stopping the process.
        self.client.reconnect_delay_set(min_delay=1, max_delay=30)
        self.client.connect_async(
            self.host, self.port, keepalive=30, clean_start=False, properties=properties
        )
        self.client.loop_start()

    def stop(self):
        self.running = False
        self.client.loop_stop()
        self.client.disconnect()

    def serve(self, until=None):
        """Write batches until stopped (or until ``until()`` is true)."""
        while self.running and not (until and until()):
            self.flush_once()

    def flush_once(self):
        """Take what arrived (waiting up to ``flush_seconds``) and store it."""
        messages = []
        deadline = time.monotonic() + self.flush_seconds
        while len(messages) < self.batch_size:
            timeout = deadline - time.monotonic()
            if timeout <= 0:
                break
            try:
                messages.append(self.inbox.get(timeout=timeout))
            except queue.Empty:
                break
        if messages:
            self.store(messages)
        return len(messages)

    def store(self, messages):
        # A long-running process: drop a connection the database closed. (A
        # caller's transaction, as in tests, keeps its connection.)
        if not connection.in_atomic_block:
            close_old_connections()
        batch = []
        for message in messages:
            rows = self._rows(message)
            if rows:
                batch.extend(rows)
        if batch:
            stored, opened = record_readings(batch, source=Reading.Source.MQTT)
            self.counts.stored += stored
            self.counts.alerts += len(opened)
        self.counts.messages += len(messages)
        # Committed: now the broker may forget them.
        for message in messages:
            self.client.ack(message.mid, message.qos)

    def _rows(self, message):
        device_id = message.topic[len(TOPIC_PREFIX) :]
        try:
            payload = json.loads(message.payload)
            if not isinstance(payload, dict):
                raise ValueError
        except ValueError:
            return self._refuse(device_id, "payload is not a JSON object")
        sensor = self._sensor(device_id)
        if sensor is None or not sensor.accepts(payload.get("key")):
            return self._refuse(device_id, "unknown device or wrong key")
        items = payload.get("readings") or [payload]
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            return self._refuse(device_id, "readings must be a list of objects")
        try:
            rows = parse_readings(items, point=sensor.point)
        except ReadingError as error:
            return self._refuse(device_id, str(error))
        return [(sensor.point, sensor, p, v, at) for p, v, at in rows]

    def _sensor(self, device_id):
        # Keys are looked up once per device; a re-issued key or a deactivated
        # sensor is seen within a minute.
        cached = self._sensors.get(device_id)
        if cached is None or time.monotonic() - cached[1] > 60:
            sensor = (
                Sensor.objects.select_related("point")
                .prefetch_related("point__parameters")
                .filter(device_id=device_id)
                .first()
            )
            cached = (sensor, time.monotonic())
            self._sensors[device_id] = cached
        return cached[0]

    def _refuse(self, device_id, reason):
        self.counts.refused += 1
        if len(self.counts.reasons) < 20:
            self.counts.reasons.append(f"{device_id}: {reason}")
        # One line per device a minute: a misconfigured device sending a
        # thousand messages a second must not flood the log.
        last = self._warned.get(device_id)
        if last is None or time.monotonic() - last > 60:
            self._warned[device_id] = time.monotonic()
            logger.warning("Refused readings from %s: %s", device_id, reason)
        return []
