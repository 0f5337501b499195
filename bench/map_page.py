"""The map page's first view on a phone: time and bytes, households included.

    .venv/bin/python bench/map_page.py [--runs 5] [--port 8850]
    DB_ENGINE=postgres DB_NAME=ntm_bench_map .venv/bin/python bench/map_page.py

One run: a throwaway database (a temporary SQLite file, or the PostgreSQL
database ``ntm_bench_map``) holding the full demo (``load_demo``: 38,588
households in 161 villages), the production server (gunicorn, 2 sync
workers, DEBUG off, hashed and compressed static files; bench/serving.py)
with MAP_TILE_URL empty (the closed-network mode: the communes' outlines are
the base, no tile server is reached), and Debian's Chromium through
Playwright on a 360 × 740 screen. Each run opens ``/ban-do/`` in a fresh
browser context (nothing cached) and waits until the communes are coloured
and the household layer is drawn; printed: the time from the start of the
navigation to then, and the bytes received (bodies as sent, plus headers),
for a visitor and for a village head signed in (who sees the points of the
own village's households when zoomed in). Then the household layer alone at
the zooms a phone uses, one request at a time (median of 20).
Goal (issue 13): first view under 1 s and under 300 KB.
"""

import argparse
import os
import statistics
import subprocess
import tempfile
import time

import throwaway_db  # noqa: E402  (before Django: picks the database)

throwaway_db.choose("ntm_bench_map", "ntm-bench-map-")
os.environ["MAP_TILE_URL"] = ""
os.environ["SECRET_KEY"] = "bench-" + "x" * 50  # serving.SECRET_KEY: the
# server's key, so the session signed here is valid there.

import django  # noqa: E402
import serving  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
VILLAGE_HEAD = "thon.hanha1"


def first_view(browser, base, *, cookie=None):
    """(seconds, bytes received, household features) of one cold first view."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    if cookie:
        name, value = cookie.split("=", 1)
        context.add_cookies([{"name": name, "value": value, "url": base}])
    page = context.new_page()
    received = []

    def count(request):
        sizes = request.sizes()
        received.append(sizes["responseBodySize"] + sizes["responseHeadersSize"])

    page.on("requestfinished", count)
    started = time.monotonic()
    page.goto(base + "/ban-do/")
    page.wait_for_function(
        "() => { const m = document.getElementById('map');"
        " return m.dataset.unitsLoaded && m.dataset.householdFeatures; }"
    )
    elapsed = time.monotonic() - started
    features = int(page.eval_on_selector("#map", "m => m.dataset.householdFeatures"))
    context.close()
    return elapsed, sum(received), features


def phone_views():
    """(label, bbox, zoom): the district, the village head's commune and a
    phone screen (about 400 m wide) on the village head's village."""
    from shapely.geometry import shape

    from ntm.accounts.models import User

    village = User.objects.get(username=VILLAGE_HEAD).memberships.get().unit
    west, south, east, north = shape(village.parent.boundary).bounds
    lat, lon = float(village.lat), float(village.lon)
    return [
        ("district, z=11", "107.85,15.70,108.25,16.00", 11),
        ("commune, z=13", f"{west},{south},{east},{north}", 13),
        (
            "village, z=16",
            f"{lon - 0.002},{lat - 0.004},{lon + 0.002},{lat + 0.004}",
            16,
        ),
    ]


def layer_requests(port, views, cookie=None, runs=20):
    """(label, median ms, bytes) of the household layer at phone zooms."""
    import http.client

    rows = []
    for label, bbox, zoom in views:
        times, size = [], 0
        for _ in range(runs):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            headers = {"Cookie": cookie} if cookie else {}
            started = time.perf_counter()
            connection.request(
                "GET",
                f"/ban-do/ho-gia-dinh.geojson?bbox={bbox}&z={zoom}",
                headers=headers,
            )
            response = connection.getresponse()
            body = response.read()
            times.append((time.perf_counter() - started) * 1000)
            size = len(body)
            count = body.count(b'"type": "Feature"')
            connection.close()
            assert response.status == 200, (response.status, bbox, body[:300])
        rows.append((label, statistics.median(times), size, count))
    return rows


def session_cookie(user):
    """A signed-in session of ``user``, as the browser holds it."""
    from django.conf import settings
    from django.test import Client

    from ntm.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=user))
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--port", type=int, default=8850)
    args = parser.parse_args()
    throwaway_db.recreate()
    django.setup()
    server = None
    static_root = tempfile.mkdtemp(prefix="ntm-bench-static-")
    try:
        from django.core.management import call_command
        from django.db import connection
        from playwright.sync_api import sync_playwright

        started = time.monotonic()
        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0)
        print(f"demo loaded in {time.monotonic() - started:.0f} s")
        serving.collect_static(static_root)
        vendor = connection.vendor
        env = serving.server_env(STATIC_ROOT=static_root, MAP_TILE_URL="")
        cookie = session_cookie(VILLAGE_HEAD)
        screens = phone_views()
        connection.close()
        server = serving.start_server(args.port, env=env)
        serving.wait_for(args.port, serving.BARE_PATH)
        serving.wait_for(args.port, "/ban-do/")
        base = f"http://127.0.0.1:{args.port}"
        print(f"Database: {vendor}; server: gunicorn, 2 sync workers, DEBUG off")
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
            )
            first_view(browser, base)  # warm-up: the server's first requests
            for who, sent in (("visitor", None), ("village head", cookie)):
                views = [
                    first_view(browser, base, cookie=sent) for _ in range(args.runs)
                ]
                seconds = statistics.median(v[0] for v in views)
                size = statistics.median(v[1] for v in views)
                print(
                    f"first view, {who:12}: median {seconds * 1000:5.0f} ms, "
                    f"worst {max(v[0] for v in views) * 1000:5.0f} ms, "
                    f"{size / 1024:5.0f} KB received, {views[0][2]} clusters/points"
                )
            browser.close()
        for who, sent in (("visitor", None), ("village head", cookie)):
            for label, median, size, count in layer_requests(args.port, screens, sent):
                print(
                    f"household layer, {who:12} {label:15}: "
                    f"median {median:5.1f} ms, {size / 1024:6.1f} KB, {count} features"
                )
    finally:
        serving.stop(server)
        throwaway_db.drop()
        subprocess.run(["rm", "-rf", static_root], check=False)


if __name__ == "__main__":
    main()
