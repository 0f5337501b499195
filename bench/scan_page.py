"""Requests per second and latency of the public scan page against a bare view.

    .venv/bin/python bench/scan_page.py [--seconds 8] [--rounds 3] [--clients 50]
    DB_ENGINE=postgres .venv/bin/python bench/scan_page.py

Both URLs are served in the same run by one production server: gunicorn
with 2 sync workers, DEBUG off, on a throwaway database (a temporary SQLite
file, or the PostgreSQL database ``ntm_bench_scan``) holding the real units
and one traced lot (a coded growing area, a diary, four events). wrk
(``/usr/bin/wrk``, 2 threads) keeps ``--clients`` connections busy for N
seconds per URL after a 2-second warm-up of each, alternating the two URLs
for ``--rounds`` rounds; the figures are the medians of wrk's requests per
second and 99th-percentile latency. The goal (issue 11): the scan
page serves at least 0.7× the bare view's rate, with p99 under 100 ms at 50
clients.
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import throwaway_db  # noqa: E402  (before Django: picks the database)

SERVING = os.environ.get("BENCH_SCAN_SERVE") == "1"
if not SERVING:  # gunicorn's workers use the parent's database
    throwaway_db.choose("ntm_bench_scan", "ntm-bench-scan-")

import django  # noqa: E402
from django.http import HttpResponse  # noqa: E402

WRK = shutil.which("wrk") or "/usr/bin/wrk"
urlpatterns = []  # the project's URLs + the baseline, when serving


def bare(request):
    return HttpResponse("ok")


if SERVING:
    # Imported by gunicorn as bench/scan_page.py:application.
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    django.setup()
    from django.urls import include, path

    urlpatterns[:] = [path("bench-bare/", bare), path("", include("ntm.urls"))]
    settings.ROOT_URLCONF = __name__
    application = get_wsgi_application()


def prepare():
    """One traced lot, built through the services as producers build them."""
    import datetime
    from decimal import Decimal

    from django.core.management import call_command
    from django.utils import timezone
    from shapely.geometry import box

    from ntm.accounts.models import Membership, Office, Role, User
    from ntm.ocop.models import Entity, Product
    from ntm.traceability import services
    from ntm.units.models import Unit
    from ntm.units.services import load_reference_units

    call_command("migrate", verbosity=0)
    load_reference_units(by=None)
    commune = Unit.objects.by_code("20515")
    office = User.objects.create(username="nnptnt")
    Membership.objects.create(
        user=office, unit=commune, role=Role.OFFICE_STAFF, office=Office.AGRICULTURE
    )
    entity = Entity.objects.create(
        code="BENCH-1",
        name="HTX Rau an toàn Hà Nha",
        kind=Entity.Kind.COOPERATIVE,
        unit=commune,
        address="Thôn 1, xã Hà Nha",
        contact_phone="02353111222",
        contact_is_public=True,
    )
    product = Product.objects.create(
        entity=entity, name="Rau cải ngọt", group="thuc_pham", gtin="08930000000019"
    )
    today = timezone.localdate()
    area = services.declare_area(
        entity=entity,
        name="Cánh đồng rau Bàu Sen",
        unit=commune,
        crop="Rau cải",
        boundary=box(108.02, 15.86, 108.023, 15.863),
        on=today - datetime.timedelta(days=90),
        by=office,
    )
    for action, days in (("inspect", 80), ("issue", 70)):
        services.change_area_status(
            area,
            action,
            by=office,
            on=today - datetime.timedelta(days=days),
            reason="Đạt",
        )
    for kind, days, fields in (
        ("gieo_trong", 60, {"input_name": "Cải ngọt TN 15"}),
        ("bon_phan", 45, {"input_name": "NPK 16-16-8", "dose": "25 kg/sào"}),
        ("phun_thuoc", 30, {"input_name": "Radiant 60SC", "preharvest_days": 7}),
        ("tuoi_nuoc", 20, {}),
    ):
        services.record_diary_entry(
            area,
            kind=kind,
            on=today - datetime.timedelta(days=days),
            by=office,
            **fields,
        )
    lot = services.create_lot(
        product=product,
        area=area,
        number="HN-001",
        quantity_kg=Decimal(500),
        produced_on=today - datetime.timedelta(days=5),
        by=office,
    )
    now = timezone.now()
    for hours, kind, details in (
        (50, "dong_goi", {"packages": 25, "packaging": "Thùng 20 kg"}),
        (30, "van_chuyen", {"destination": "Chợ đầu mối Hòa Cường"}),
        (10, "ban_hang", {"channel": "Siêu thị Co.opmart Đà Nẵng"}),
    ):
        services.record_event(
            lot,
            kind=kind,
            occurred_at=now - datetime.timedelta(hours=hours),
            by=office,
            **details,
        )
    return lot.link_path


def run_wrk(port, path, seconds, clients):
    output = subprocess.run(
        [
            WRK,
            "-t2",
            f"-c{clients}",
            f"-d{seconds}s",
            "--timeout",
            "5s",
            "--latency",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", output).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise RuntimeError(f"{path}: {errors.group(1)} failed responses")
    return rate, p99


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, path, timeout=30):
    import http.client

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            status = connection.getresponse().status
            connection.close()
            if status == 200:
                return
            raise RuntimeError(f"{path} answered {status}")
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    throwaway_db.recreate()
    django.setup()
    server = None
    try:
        scan_path = prepare()
        from django.db import connection

        vendor = connection.vendor
        connection.close()
        port = free_port()
        env = {
            **os.environ,
            "BENCH_SCAN_SERVE": "1",
            "DEBUG": "false",
            "SECRET_KEY": "bench-" + "x" * 50,
        }
        log = open(os.environ.get("BENCH_LOG", os.devnull), "w")  # noqa: SIM115
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "--workers",
                "2",
                "--worker-class",
                args.worker_class,
                "--threads",
                str(args.threads),
                "--bind",
                f"127.0.0.1:{port}",
                "--chdir",
                str(Path(__file__).parent),
                "--log-level",
                "warning",
                "scan_page:application",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        load = os.getloadavg()[0]
        wait_for(port, "/bench-bare/")
        wait_for(port, scan_path)
        urls = {"bare view": "/bench-bare/", "scan page": scan_path}
        for url in urls.values():
            run_wrk(port, url, 2, args.clients)  # warm-up: caches, connections
        # Alternate the URLs so both see the same machine load; medians.
        runs = {label: [] for label in urls}
        for _round in range(args.rounds):
            for label, url in urls.items():
                runs[label].append(run_wrk(port, url, args.seconds, args.clients))
        results = {
            label: (
                statistics.median(rate for rate, _p99 in values),
                statistics.median(p99 for _rate, p99 in values),
            )
            for label, values in runs.items()
        }
        print(
            f"Database: {vendor}; server: gunicorn, 2 {args.worker_class} workers"
            f" × {args.threads} threads, DEBUG off"
        )
        print(
            f"wrk: 2 threads, {args.clients} connections, {args.rounds} rounds of "
            f"{args.seconds} s per URL, alternating (medians)"
        )
        print(f"load average before: {load:.2f}")
        for label, (rate, p99) in results.items():
            print(f"{label:10} {rate:8.1f} req/s   p99 {p99:6.1f} ms")
        ratio = results["scan page"][0] / results["bare view"][0]
        print(f"ratio scan/bare {ratio:.2f} (goal >= 0.70; p99 goal < 100 ms)")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        throwaway_db.drop()


if __name__ == "__main__":
    main()
