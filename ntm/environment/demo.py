"""Demo monitoring points of Đại Lộc with a week of readings (synthetic,
labelled demo): hourly sensor readings at two water sources, one of them
with a turbidity episode after rain, and a lab result at a waste site.
Called by ``ntm.demo`` with its seeded ``random.Random``."""

import datetime

from django.utils import timezone

from ntm.units.models import Unit

from .models import MonitoringPoint, Parameter, Reading, Sensor
from .services import record_readings

POINTS = [
    (
        "hn-nuoc-01",
        "Trạm cấp nước tập trung Hà Nha",
        "water_source",
        "20515",
        ["ph", "do-duc", "clo-du"],
    ),
    (
        "vg-nuoc-01",
        "Giếng khoan nhà văn hóa Vu Gia",
        "water_source",
        "20539",
        ["ph", "do-duc", "asen"],
    ),
    (
        "hn-song-01",
        "Sông Vu Gia đoạn cầu Hà Nha",
        "water_body",
        "20515",
        ["do-hoa-tan", "cod"],
    ),
    (
        "dl-rac-01",
        "Bãi tập kết rác thải xã Đại Lộc",
        "waste_site",
        "20500",
        ["nuoc-ri-rac"],
    ),
]
# The usual value and daily spread of each parameter at the demo points.
NORMAL = {
    "ph": (7.2, 0.3),
    "do-duc": (0.8, 0.3),
    "clo-du": (0.5, 0.1),
    "asen": (0.004, 0.002),
    "do-hoa-tan": (6.5, 0.6),
    "cod": (9.0, 2.0),
}


def build(rng, *, days=7):
    parameters = {p.code: p for p in Parameter.objects.all()}
    end = timezone.now().replace(minute=0, second=0, microsecond=0)
    start = end - datetime.timedelta(days=days)
    created = []
    for code, name, kind, unit_code, watched in POINTS:
        unit = Unit.objects.by_code(unit_code)
        if unit is None:
            continue
        point = MonitoringPoint.objects.create(
            code=code, name=name, kind=kind, unit=unit, is_demo=True
        )
        point.parameters.set([parameters[c] for c in watched])
        created.append(point)
        if kind == "waste_site":
            record_readings(
                [
                    (
                        point,
                        None,
                        parameters["nuoc-ri-rac"],
                        320.0,
                        end - datetime.timedelta(days=3),
                    )
                ],
                source=Reading.Source.LAB,
                laboratory="Trung tâm Quan trắc môi trường tỉnh (minh họa)",
                notify=False,
            )
            continue
        sensor = Sensor(device_id=code, point=point)
        sensor.issue_key()  # unknown to anyone: demo sensors send nothing live
        sensor.save()
        batch = []
        moment = start
        while moment <= end:
            for parameter_code in watched:
                mean, spread = NORMAL[parameter_code]
                value = rng.gauss(mean, spread / 2)
                # Rain on the third day muddies the Hà Nha supply for six hours.
                if code == "hn-nuoc-01" and parameter_code == "do-duc":
                    hours = (moment - start).total_seconds() / 3600
                    if 50 <= hours < 56:
                        value = 3.5 + rng.random()
                batch.append(
                    (
                        point,
                        sensor,
                        parameters[parameter_code],
                        round(max(value, 0), 3),
                        moment,
                    )
                )
            moment += datetime.timedelta(hours=1)
        record_readings(batch, source=Reading.Source.MQTT, notify=False)
    return {"points": len(created)}
