"""Time the staff plan dashboard against a bare view, through the test Client.

    .venv/bin/python bench/plan_dashboard.py [--runs 30]
    DB_ENGINE=postgres .venv/bin/python bench/plan_dashboard.py

Runs on a throwaway database (a temporary SQLite file, or the PostgreSQL
database ``ntm_bench_plan``, dropped and created again; override with
DB_NAME) holding the full demo (``load_demo`` then ``load_plans``). Both
requests go through the same logged-in Client (vhtt, the focal office), so
the baseline carries the session, middleware and client overhead.
"""

import argparse
import statistics
import time

import throwaway_db  # noqa: E402  (before Django: picks the database)

throwaway_db.choose("ntm_bench_plan", "ntm-bench-plan-")

import django  # noqa: E402
from django.http import HttpResponse  # noqa: E402

urlpatterns = []  # filled after django.setup(): the project's URLs + baseline


def bare(request):
    return HttpResponse("ok")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    throwaway_db.recreate()
    django.setup()
    try:
        _run(runs)
    finally:
        throwaway_db.drop()


def _run(runs):
    import sys

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings
    from django.urls import include, path

    from ntm.accounts.models import User

    # run_syncdb: apps whose first migration is still being written get
    # their tables too; harmless once every app has migrations.
    call_command("migrate", verbosity=0, run_syncdb=True)
    call_command("load_demo", verbosity=0)
    call_command("load_plans", verbosity=0)
    urlpatterns[:] = [path("bench-bare/", bare), path("", include("ntm.urls"))]
    client = Client()
    client.force_login(User.objects.get(username="vhtt"))
    urls = {
        "bare view (baseline)": "/bench-bare/",
        "staff dashboard /bang-dieu-khien/ke-hoach/": "/bang-dieu-khien/ke-hoach/",
        "staff dashboard, cold (cache cleared)": "/bang-dieu-khien/ke-hoach/?",
        "public summary /bang-dieu-khien/": "/bang-dieu-khien/",
        "API /api/v1/plans/…/targets": "/api/v1/plans/KH-CDS-NTM-DAI-LOC-2025/targets",
        "map GeoJSON (target 2)": "/bang-dieu-khien/ban-do.geojson?muc-tieu=2",
    }
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"Runs: {runs} per URL (after one warm-up request)")
    with override_settings(
        ROOT_URLCONF=sys.modules[__name__], ALLOWED_HOSTS=["testserver"]
    ):
        for label, url in urls.items():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            queries = []

            def count(execute, sql, *args, found=queries):
                found.append(sql)
                return execute(sql, *args)

            # A wrapper, not CaptureQueriesContext: request_started resets
            # the debug query log.
            with connection.execute_wrapper(count):
                client.get(url)
            timings = []
            for _ in range(runs):
                if url.endswith("?"):
                    cache.clear()  # every run computes the plan afresh
                start = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            timings.sort()
            p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
            print(
                f"{label:45} median {statistics.median(timings):7.1f} ms"
                f"  p95 {p95:7.1f} ms  queries {len(queries)}"
            )


if __name__ == "__main__":
    main()
