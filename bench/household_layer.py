"""The map's household layer over a million generated households (issue 13).

    DB_ENGINE=postgres DB_NAME=ntm_bench_layer .venv/bin/python bench/household_layer.py
    .venv/bin/python bench/household_layer.py --households 200000  # SQLite

A throwaway database (throwaway_db.py) gets one generated province: 25
communes of 40 villages, each village a point on a grid over about
1° × 1° around Quảng Nam, and ``--households`` households (1,000,000 by
default) spread around their village's centre, written by one
``INSERT … SELECT`` per million. Then the household layer
(``/ban-do/ho-gia-dinh.geojson``, the full middleware, in process) is asked
for the views a phone uses — the province (z 9), a quarter of it (z 11), a
commune (z 13), a street (z 16) — by an anonymous visitor and by an office
of the province (a register keeper: it sees every household's point from
z 16, grid clusters below); median and worst of ``--runs`` requests each,
the features returned and the bytes. A visitor is timed twice: the first
after a write (the shared copy emptied: the layer is computed) and any
later one (the shared copy, core/publiccache.py). Then the same views from
the production server (gunicorn, 2 sync workers, DEBUG off; bench/serving.py),
one request at a time over loopback: median, p95 and worst. Baseline in the
same run: one hand-written SQL query, the count of followed households per
village (what any layer showing every village needs to read). Goal: under
200 ms on PostgreSQL for every view.
"""

import argparse
import os
import shutil
import statistics
import tempfile
import time
from urllib.parse import urlencode

import throwaway_db  # noqa: E402  (before Django: picks the database)

throwaway_db.choose("ntm_bench_layer", "ntm-bench-layer-")
POSTGRES = throwaway_db.POSTGRES
PROVINCE_OF_UNIT = throwaway_db.PROVINCE_OF_UNIT

import django  # noqa: E402
import serving  # noqa: E402

# The server's key, so the office's session signed here is valid there.
os.environ["SECRET_KEY"] = serving.SECRET_KEY

COMMUNES, VILLAGES_PER_COMMUNE = 25, 40
WEST, SOUTH, SIZE = 107.5, 15.4, 1.0  # the province's square, degrees
# A village every SIZE / 32 degrees (~3.5 km), households within ±0.006°.
GRID = 32
SPREAD = 0.006
LAYER = "/ban-do/ho-gia-dinh.geojson"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--port", type=int, default=8860)
    args = parser.parse_args()
    throwaway_db.recreate()
    django.setup()
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
        began = time.perf_counter()
        province = _generate(args.households)
        print(
            f"{args.households:,} households in {COMMUNES * VILLAGES_PER_COMMUNE:,}"
            f" villages: {time.perf_counter() - began:.0f} s",
            flush=True,
        )
        views, keeper = _measure(province, args.runs)
        _serve_and_measure(views, keeper, args.port, args.runs)
    finally:
        if not args.keep:
            throwaway_db.drop()


def _generate(household_count):
    from django.db import connection, transaction
    from django.utils import timezone

    from ntm.units.models import Unit

    now = timezone.now().isoformat()
    with transaction.atomic():
        province = Unit.objects.create(
            code="60",
            name="Tỉnh Thử Nghiệm",
            name_folded="tinh thu nghiem",
            kind=Unit.Kind.PROVINCE,
            level=Unit.Level.PROVINCE,
            path="60/",
            is_demo=True,
        )
        communes = Unit.objects.bulk_create(
            [
                Unit(
                    code=f"{n:05d}",
                    name=f"Xã {n}",
                    name_folded=f"xa {n}",
                    kind=Unit.Kind.COMMUNE,
                    level=Unit.Level.COMMUNE,
                    parent=province,
                    path=f"60/{n:05d}/",
                    is_demo=True,
                )
                for n in range(1, COMMUNES + 1)
            ]
        )
        villages = []
        for c, commune in enumerate(communes):
            for v in range(VILLAGES_PER_COMMUNE):
                # Communes are 5 × 5 blocks of the grid, their villages in it.
                n = c * VILLAGES_PER_COMMUNE + v
                col = (c % 5) * 6 + v % 6
                row = (c // 5) * 7 + v // 6
                villages.append(
                    Unit(
                        code=f"{commune.code}{v:03d}",
                        name=f"Thôn {n}",
                        name_folded=f"thon {n}",
                        kind=Unit.Kind.VILLAGE,
                        level=Unit.Level.VILLAGE,
                        parent=commune,
                        path=f"{commune.path}{commune.code}{v:03d}/",
                        lon=round(WEST + (col + 0.5) * SIZE / GRID, 6),
                        lat=round(SOUTH + (row + 0.5) * SIZE / GRID, 6),
                        is_demo=True,
                    )
                )
        Unit.objects.bulk_create(villages, batch_size=2000)
    ids = list(
        Unit.objects.villages()
        .filter(path__startswith="60/")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    first, count = ids[0], len(ids)
    assert ids[-1] - first + 1 == count, "village ids are not contiguous"
    per_village = household_count // count
    i = "g.i::bigint" if POSTGRES else "g.i"
    village = f"(({i} - 1) / {per_village})"
    # The village's centre (read from units_unit) plus a jitter from hashes of
    # the row number; every twentieth household has left (not counted).
    jitter = f"((({i} * %d) %% 1000) - 500) * {2 * SPREAD / 1000}"
    left_on = "DATE '2025-01-01'" if POSTGRES else "'2025-01-01'"
    select = f"""
        SELECT '{now}', '{now}', 'L' || g.i, 'Hộ ' || g.i, 3, '', '', NULL,
            u.lat + {jitter % 7919}, u.lon + {jitter % 104729},
            FALSE, 1, 0, FALSE, FALSE, TRUE, '', '', '',
            CASE WHEN {i} % 20 = 0 THEN {left_on} END, u.id, {PROVINCE_OF_UNIT}
    """
    columns = (
        "created_at, updated_at, code, head_name, members, phone, address, "
        "address_code, lat, lon, has_fibre, smartphones, health_app_members, "
        "is_business, uses_traceability, is_demo, search_text, left_reason, "
        "water_source, left_on, village_id, province_code"
    )
    step = 1_000_000
    with connection.cursor() as cursor:
        if not POSTGRES:
            cursor.execute("PRAGMA synchronous = OFF")
        for start in range(1, household_count + 1, step):
            stop = min(start + step - 1, household_count)
            if POSTGRES:
                source = f"generate_series({start}, {stop}) AS g(i)"
                prefix = ""
            else:
                source = "g"
                prefix = (
                    f"WITH RECURSIVE g(i) AS (SELECT {start} UNION ALL "
                    f"SELECT i + 1 FROM g WHERE i < {stop}) "
                )
            sql = (
                f"{prefix}INSERT INTO households_household ({columns}) {select} "
                f"FROM {source} JOIN units_unit u ON u.id = {first} + {village}"
            )
            with transaction.atomic():
                cursor.execute(sql)
        cursor.execute("VACUUM ANALYZE" if POSTGRES else "ANALYZE")
    return province


def _measure(province, runs):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from ntm.accounts.models import Membership, Office, Role

    keeper = get_user_model().objects.create_user("bench_layer_office", password="x")
    Membership.objects.create(
        user=keeper, unit=province, role=Role.OFFICE_STAFF, office=Office.AGRICULTURE
    )
    visitor, office = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
    office.force_login(keeper)
    quarter = SIZE / 2
    commune = SIZE / 5
    street = 0.004
    views = [
        ("province, z 9", (WEST, SOUTH, WEST + SIZE, SOUTH + SIZE), 9),
        ("a quarter, z 11", (WEST, SOUTH, WEST + quarter, SOUTH + quarter), 11),
        ("a commune, z 13", (WEST, SOUTH, WEST + commune, SOUTH + commune), 13),
        (
            "a street, z 16",
            (
                WEST + 0.5 * SIZE / GRID - street / 2,
                SOUTH + 0.5 * SIZE / GRID - street / 2,
                WEST + 0.5 * SIZE / GRID + street / 2,
                SOUTH + 0.5 * SIZE / GRID + street / 2,
            ),
            16,
        ),
    ]

    def count_per_village():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT village_id, COUNT(*) FROM households_household"
                " WHERE left_on IS NULL GROUP BY village_id"
            )
            return cursor.fetchall()

    assert len(count_per_village()) == COMMUNES * VILLAGES_PER_COMMUNE
    baseline = _timed(runs, count_per_village)
    print(f"baseline: one SQL count per village, {_ms(baseline)}")
    print(f"{'view':18} {'who':14} {'median / worst':>18} {'features':>9} {'KB':>7}")
    queries = []
    for label, bbox, zoom in views:
        query = {"bbox": ",".join(f"{x:.6f}" for x in bbox), "z": zoom}
        queries.append((label, query))
        for who, client in (
            ("visitor", visitor),
            ("visitor, copy", visitor),
            ("office", office),
        ):
            response = client.get(LAYER, query)
            assert response.status_code == 200, response.content[:300]
            features = len(response.json()["features"])
            fresh = who == "visitor"  # the first visitor after a write
            times = _timed(runs, lambda c=client, q=query, f=fresh: _get(c, q, f))
            print(
                f"{label:18} {who:14} {_ms(times):>18} {features:>9,}"
                f" {len(response.content) / 1024:>7.1f}",
                flush=True,
            )
    return queries, keeper


def _get(client, query, fresh):
    from django.core.cache import cache

    from ntm.core.publiccache import forget_local

    if fresh:
        cache.clear()
        forget_local()
    return client.get(LAYER, query)


def _serve_and_measure(views, keeper, port, runs):
    """The same views from the production server (gunicorn, 2 sync
    workers, DEBUG off), one request at a time over loopback: a visitor
    (the shared copy after the first) and the office (computed each time)."""
    from django.db import connections

    cookie = serving.session_cookie(keeper)
    connections.close_all()
    static_root = tempfile.mkdtemp(prefix="ntm-bench-static-")
    server = None
    try:
        serving.collect_static(static_root)
        server = serving.start_server(
            port, env=serving.server_env(STATIC_ROOT=static_root)
        )
        serving.wait_for(port, serving.BARE_PATH)
        print("production server (gunicorn, 2 sync workers, DEBUG off):")
        print(f"{'view':18} {'who':14} {'median / p95 / worst':>26}")
        for label, query in views:
            path = f"{LAYER}?{urlencode(query)}"
            for who, sent in (("visitor", ""), ("office", cookie)):
                median, p95, worst = serving.timed_gets(port, path, runs, sent)
                print(
                    f"{label:18} {who:14} {median:8.1f} / {p95:.1f} / {worst:.1f} ms",
                    flush=True,
                )
    finally:
        serving.stop(server)
        shutil.rmtree(static_root, ignore_errors=True)


def _timed(runs, call):
    call()  # warm
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return times


def _ms(times):
    return f"{statistics.median(times):.1f} / {max(times):.1f} ms"


if __name__ == "__main__":
    main()
