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
import shutil
import statistics
import tempfile

import throwaway_db  # noqa: E402  (before Django: picks the database)

throwaway_db.choose("ntm_bench_scan", "ntm-bench-scan-")

import django  # noqa: E402
import serving  # noqa: E402


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
    static_root = tempfile.mkdtemp(prefix="ntm-bench-static-")
    try:
        scan_path = prepare()
        serving.collect_static(static_root)
        from django.db import connection

        vendor = connection.vendor
        connection.close()
        port = serving.free_port()
        server = serving.start_server(
            port,
            worker_class=args.worker_class,
            threads=args.threads,
            env=serving.server_env(STATIC_ROOT=static_root),
        )
        load = os.getloadavg()[0]
        serving.wait_for(port, "/bench-bare/")
        serving.wait_for(port, scan_path)
        urls = {"bare view": serving.BARE_PATH, "scan page": scan_path}
        for url in urls.values():
            serving.run_wrk(port, url, 2, args.clients)  # warm-up: caches, connections
        # Alternate the URLs so both see the same machine load; medians.
        runs = {label: [] for label in urls}
        for _round in range(args.rounds):
            for label, url in urls.items():
                runs[label].append(
                    serving.run_wrk(port, url, args.seconds, args.clients)
                )
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
        serving.stop(server)
        throwaway_db.drop()
        shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    main()
