"""A sensor publishing readings over MQTT at a steady rate: are all stored,
once, and are exactly the expected alerts raised?

    .venv/bin/python bench/sensor_readings.py --rate 1000 --seconds 60
    DB_ENGINE=postgres .venv/bin/python bench/sensor_readings.py

Runs the real listener (``manage.py listen_sensors``) as its own process on
a throwaway database, against the local Mosquitto broker (127.0.0.1:1883),
and publishes with QoS 1 from this process. The readings carry episodes of
turbidity above its limit at known places, so the alerts to expect are known.
Prints what was sent, stored, lost and duplicated, the alerts expected and
raised, the rate published and stored, and how long the listener needed after
the last message to have everything committed.
"""

import argparse
import datetime
import json
import os
import signal
import subprocess
import sys
import time
import uuid

import throwaway_db

throwaway_db.choose("ntm_bench_sensors", "ntm-bench-sensors-")

import django  # noqa: E402

django.setup()

import paho.mqtt.client as mqtt  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from ntm.environment.models import Alert, Parameter, Reading  # noqa: E402
from ntm.environment.mqtt import TOPIC_PREFIX  # noqa: E402
from ntm.environment.services import create_point, issue_sensor_key  # noqa: E402
from ntm.units.models import Unit  # noqa: E402
from ntm.units.services import load_reference_units  # noqa: E402

# Every EPISODE_EVERY readings, the first EPISODE_LENGTH are above the limit.
EPISODE_EVERY, EPISODE_LENGTH = 5000, 50


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=1000, help="readings per second")
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    throwaway_db.recreate()
    call_command("migrate", verbosity=0)
    load_reference_units(by=None)
    point = create_point(
        code="bench-01",
        name="Điểm đo thử",
        kind="water_source",
        unit=Unit.objects.by_code("20515"),
        parameters=Parameter.objects.filter(code="do-duc"),
        by=None,
    )
    sensor, key = issue_sensor_key(point, device_id="bench-s1", by=None)
    listener = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "listen_sensors",
            "--client-id",
            f"bench-{uuid.uuid4().hex[:8]}",
            "--session-expiry",
            "60",
        ],
        cwd=throwaway_db.ROOT,
        env={**os.environ, "DEBUG": "false", "SECRET_KEY": "bench-" + "x" * 50},
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(3)  # connected and subscribed
    total = args.rate * args.seconds
    base = timezone.now() - datetime.timedelta(days=1)
    publisher = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    publisher.max_inflight_messages_set(5000)
    publisher.max_queued_messages_set(0)
    publisher.connect("127.0.0.1", 1883)
    publisher.loop_start()
    topic = TOPIC_PREFIX + sensor.device_id
    started = time.monotonic()
    infos = []
    tick = 0.01
    per_tick = max(1, round(args.rate * tick))
    sent = 0
    while sent < total:
        due = started + (sent / args.rate)
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        for _ in range(min(per_tick, total - sent)):
            breach = sent % EPISODE_EVERY < EPISODE_LENGTH
            payload = {
                "key": key,
                "parameter": "do-duc",
                "value": 3.5 if breach else 0.6,
                "measured_at": (
                    base + datetime.timedelta(milliseconds=sent)
                ).isoformat(),
            }
            infos.append(publisher.publish(topic, json.dumps(payload), qos=1))
            sent += 1
    for info in infos:
        info.wait_for_publish(timeout=60)
    published_in = time.monotonic() - started
    publisher.loop_stop()
    publisher.disconnect()
    last_published = time.monotonic()
    stored = 0
    while time.monotonic() - last_published < 300:
        stored = Reading.objects.count()
        if stored >= total:
            break
        time.sleep(0.2)
    caught_up = time.monotonic() - last_published
    time.sleep(1)
    listener.send_signal(signal.SIGTERM)
    out, _ = listener.communicate(timeout=60)
    stored = Reading.objects.count()
    duplicates = (
        Reading.objects.values("measured_at")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    expected_alerts = -(-total // EPISODE_EVERY)
    alerts = Alert.objects.count()
    print(f"database: {'PostgreSQL' if throwaway_db.POSTGRES else 'SQLite'}")
    print(
        f"published: {sent} readings in {published_in:.1f} s "
        f"({sent / published_in:,.0f}/s, QoS 1)"
    )
    print(f"stored: {stored}  lost: {sent - stored}  duplicated: {duplicates}")
    print(f"alerts: expected {expected_alerts}, raised {alerts}")
    print(f"listener caught up {caught_up:.2f} s after the last message")
    print(f"listener: {out.strip().splitlines()[-1] if out.strip() else '(no output)'}")
    throwaway_db.drop()
    ok = stored == sent and duplicates == 0 and alerts == expected_alerts
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
