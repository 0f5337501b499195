"""Every public page and public API against a bare view on the production server.

    .venv/bin/python bench/public_pages.py [--seconds 5] [--rounds 2] [--clients 50]
    DB_ENGINE=postgres DB_NAME=ntm_bench_public .venv/bin/python bench/public_pages.py
    .venv/bin/python bench/public_pages.py --crowd  # --mix --clients 200 --seconds 60

One run: a throwaway database (a temporary SQLite file, or the PostgreSQL
database ``ntm_bench_public``) holding the full demo (``load_demo``: 38,588
households, the plan, surveys, OCOP, traced lots), Redis (``REDIS_URL``,
database 2 by default, emptied first) as the cache, the sessions' cache and
the task queue with one RQ worker, and the production server (gunicorn, 2
sync workers, DEBUG off, the full middleware; bench/serving.py) serving the
project and a bare Django view. For each public page wrk (2 threads,
``--clients`` connections) runs ``--seconds`` on the page, then on the bare
view, ``--rounds`` times after a warm-up; printed per page: requests/s, the
ratio to the bare view's run just before it (median over rounds) and wrk's
p99. Goal (issue 10): every ratio >= 0.7 and p99 < 100 ms at 50 clients.

``--mix`` runs all the pages at once instead (a wrk script picks the next
URL from the list, round robin) for ``--seconds``, then the bare view as
long; ``--crowd`` is the crowd of issue 10 item 9 ("the public pages at 200
clients for a minute"): ``--mix --clients 200 --seconds 60``.

Then the staff pages, signed in as the focal office (vhtt), one request at a
time: the staff dashboard, a commune's unit page, the household register
(median and p95 of ``--staff-runs`` requests; goal p95 < 300 ms).

The API's rate limit (300 requests a minute per address) is raised for the
run: every request comes from 127.0.0.1, and the limit is not what is
measured.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import throwaway_db  # noqa: E402  (before Django: picks the database)

throwaway_db.choose("ntm_bench_public", "ntm-bench-public-")
REDIS_URL = os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/2")

import django  # noqa: E402
import serving  # noqa: E402

# The server's key, so the staff session signed here is valid there.
os.environ["SECRET_KEY"] = serving.SECRET_KEY

STAFF_USER = "vhtt"


def public_pages():
    """(label, path) of every public page and API call, from the demo's data."""
    from ntm.ocop.models import Entity, Product
    from ntm.plans.models import Plan
    from ntm.surveys.models import Survey
    from ntm.traceability.models import Lot

    plan = Plan.objects.first()
    survey = Survey.objects.open_now().order_by("pk").first()
    published = (
        Survey.objects.for_citizens().filter(publish_results=True).order_by("pk")
    ).first()
    product = Product.objects.active().order_by("pk").first()
    entity = Entity.objects.order_by("pk").first()
    lot = Lot.objects.order_by("pk").first()
    pages = [
        ("home /", "/"),
        ("plan summary", "/bang-dieu-khien/"),
        ("plan map", "/bang-dieu-khien/ban-do/"),
        ("plan map GeoJSON", "/bang-dieu-khien/ban-do.geojson?muc-tieu=2"),
        ("survey list", "/khao-sat/"),
        ("unit list", "/don-vi/"),
        ("unit page (commune)", "/don-vi/20515/"),
        ("unit boundary GeoJSON", "/don-vi/20515/ranh-gioi.geojson"),
        ("OCOP products", "/ocop/"),
        ("OCOP entities", "/ocop/chu-the/"),
        # The platform as of a past day (issue 12): the register's versions.
        ("home, as of 31/12/2024", "/?ngay=2024-12-31"),
        ("unit page, as of 31/12/2024", "/don-vi/20515/?ngay=2024-12-31"),
        ("plan summary, as of 31/12/2024", "/bang-dieu-khien/?ngay=2024-12-31"),
        ("OCOP products, as of 31/12/2024", "/ocop/?ngay=2024-12-31"),
        # Scoped evaluations (issue 15): a unit's own villages, not all.
        ("scorecard (village)", "/chi-tieu/danh-gia/THON_THONG_MINH_DAI_LOC/2051201/"),
        ("matrix (commune)", "/chi-tieu/ma-tran/THON_THONG_MINH_DAI_LOC/20515/"),
        (
            "API evaluation children",
            "/api/v1/evaluations/THON_THONG_MINH_DAI_LOC/20515/children",
        ),
        ("API units (communes)", "/api/v1/units?level=commune"),
        ("API unit", "/api/v1/units/20515"),
        ("API plan targets", f"/api/v1/plans/{plan.code}/targets"),
        ("API open surveys", "/api/v1/surveys/"),
        ("know-how library", "/kien-thuc/"),
        ("library search", "/kien-thuc/?q=ky+thuat+trong+lua"),
        ("environment points", "/moi-truong/"),
        ("map page", "/ban-do/"),
        ("tourism map, one commune", "/du-lich/?xa=20515&loai=homestay"),
        ("open data catalogue", "/du-lieu-mo/"),
        ("open data DCAT-AP", "/du-lieu-mo/catalog.jsonld"),
        ("open data CSV", "/du-lieu-mo/danh-gia-thon.csv"),
        ("OGC collections", "/du-lieu-mo/ogc/collections"),
        (
            "OGC items, bbox",
            "/du-lieu-mo/ogc/collections/danh-gia-xa-ntm/items"
            "?bbox=107.9,15.7,108.3,16.0&limit=10",
        ),
    ]
    if survey:
        pages.append(("survey page", f"/khao-sat/{survey.slug}/"))
    if published:
        pages.append(("survey results", f"/khao-sat/{published.slug}/ket-qua/"))
    if product:
        pages.append(("OCOP product", product.get_absolute_url()))
    if entity:
        pages.append(("OCOP entity", entity.get_absolute_url()))
    if lot:
        pages.append(("trace scan page", lot.link_path))
    return pages


def staff_pages():
    return [
        ("staff dashboard", "/bang-dieu-khien/ke-hoach/"),
        ("unit page (commune)", "/don-vi/20515/"),
        ("household register", "/ho-gia-dinh/"),
        ("export files", "/tep-xuat/"),
    ]


def staff_cookie():
    """A signed-in session of the focal office, as the browser holds it."""
    from ntm.accounts.models import User

    return serving.session_cookie(User.objects.get(username=STAFF_USER))


def timed_gets(port, path, runs, cookie):
    median, p95, _worst = serving.timed_gets(port, path, runs, cookie)
    return median, p95


def mix_script(paths):
    handle, name = tempfile.mkstemp(prefix="ntm-bench-mix-", suffix=".lua")
    quoted = ", ".join(f'"{p}"' for p in paths)
    with os.fdopen(handle, "w") as script:
        script.write(
            f"local paths = {{{quoted}}}\n"
            "local i = 0\n"
            "request = function()\n"
            "  i = i % #paths + 1\n"
            '  return wrk.format("GET", paths[i])\n'
            "end\n"
        )
    return name


def flush_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--staff-runs", type=int, default=40)
    parser.add_argument("--port", type=int, default=8101)
    parser.add_argument("--mix", action="store_true")
    parser.add_argument(
        "--crowd", action="store_true", help="--mix --clients 200 --seconds 60"
    )
    parser.add_argument(
        "--only",
        default="",
        help="pages whose label holds one of these (comma-separated)",
    )
    args = parser.parse_args()
    if args.crowd:
        args.mix, args.clients, args.seconds = True, 200, 60
    throwaway_db.recreate()
    flush_redis()
    django.setup()
    server = worker = None
    static_root = tempfile.mkdtemp(prefix="ntm-bench-static-")
    try:
        from django.core.management import call_command
        from django.db import connection

        started = time.monotonic()
        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0)
        print(f"demo loaded in {time.monotonic() - started:.0f} s")
        serving.collect_static(static_root)
        wanted = args.only.split(",")
        pages = [p for p in public_pages() if any(w in p[0] for w in wanted)]
        cookie = staff_cookie()
        vendor = connection.vendor
        connection.close()
        env = serving.server_env(
            STATIC_ROOT=static_root,
            REDIS_URL=REDIS_URL,
            RATE_LIMIT_API="1000000/m",
        )
        worker = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "rqworker",
                "default",
                "--job-class",
                "django_tasks_rq.Job",
                "--with-scheduler",
            ],
            cwd=throwaway_db.ROOT,
            env={**env, "BENCH_SERVE": "0"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        server = serving.start_server(args.port, env=env)
        serving.wait_for(args.port, serving.BARE_PATH)
        for _label, path in pages:
            serving.wait_for(args.port, path)
        load = os.getloadavg()[0]
        print(
            f"Database: {vendor}; cache: Redis ({REDIS_URL}); server: gunicorn, "
            "2 sync workers, DEBUG off"
        )
        print(f"load average before: {load:.2f}")
        if args.mix:
            run_mix(args, pages)
        else:
            run_pages(args, pages)
        print(f"\nSigned in as {STAFF_USER}, one request at a time:")
        for label, path in staff_pages():
            median, p95 = timed_gets(args.port, path, args.staff_runs, cookie)
            print(f"  {label:28} median {median:6.1f} ms   p95 {p95:6.1f} ms")
    finally:
        serving.stop(server)
        serving.stop(worker)
        throwaway_db.drop()
        flush_redis()
        subprocess.run(["rm", "-rf", static_root], check=False)


def run_pages(args, pages):
    port = args.port
    serving.run_wrk(port, serving.BARE_PATH, 2, args.clients)  # warm-up
    for _label, path in pages:
        # Two connections: a page's first rendering can take seconds, and 50
        # clients queued behind it would hold both workers past the warm-up.
        serving.run_wrk(port, path, 2, 2)
    print(
        f"wrk: 2 threads, {args.clients} connections, {args.rounds} rounds of "
        f"{args.seconds} s per URL, each page after a bare-view run (medians)"
    )
    print(f"{'page':28} {'req/s':>8} {'bare':>8} {'ratio':>6} {'p99 ms':>7}")
    worst = []
    for label, path in pages:
        rates, bares, ratios, tails = [], [], [], []
        for _round in range(args.rounds):
            bare_rate, _bare_p99 = serving.run_wrk(
                port, serving.BARE_PATH, args.seconds, args.clients
            )
            rate, p99 = serving.run_wrk(port, path, args.seconds, args.clients)
            if not bare_rate:
                raise RuntimeError(f"the bare view got no answer before {path}")
            rates.append(rate)
            bares.append(bare_rate)
            ratios.append(rate / bare_rate)
            tails.append(p99)
        ratio, p99 = statistics.median(ratios), statistics.median(tails)
        mark = "" if ratio >= 0.7 and p99 < 100 else "  <- misses"
        print(
            f"{label:28} {statistics.median(rates):8.1f} "
            f"{statistics.median(bares):8.1f} {ratio:6.2f} {p99:7.1f}{mark}"
        )
        worst.append((ratio, label))
    ratio, label = min(worst)
    print(f"lowest ratio: {ratio:.2f} ({label}); goal >= 0.70 and p99 < 100 ms")


def run_mix(args, pages):
    script = mix_script([path for _label, path in pages])
    try:
        serving.run_wrk(args.port, "/", 2, args.clients, script=script)
        rate, p99 = serving.run_wrk(
            args.port, "/", args.seconds, args.clients, script=script
        )
        bare_rate, bare_p99 = serving.run_wrk(
            args.port, serving.BARE_PATH, args.seconds, args.clients
        )
    finally:
        os.unlink(script)
    print(
        f"wrk: 2 threads, {args.clients} connections, {args.seconds} s on all "
        f"{len(pages)} public pages round robin, then as long on the bare view"
    )
    print(f"all public pages  {rate:8.1f} req/s   p99 {p99:7.1f} ms   no failures")
    print(f"bare view         {bare_rate:8.1f} req/s   p99 {bare_p99:7.1f} ms")
    print(f"ratio {rate / bare_rate:.2f}")


if __name__ == "__main__":
    main()
