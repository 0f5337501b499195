"""Requests per second of the public survey page against a bare Django view.

    .venv/bin/python bench/survey_page.py [--seconds 10] [--threads 4]
    DB_ENGINE=postgres .venv/bin/python bench/survey_page.py

Both URLs are served by one real server process (``runserver --noreload``,
threaded, DEBUG off) on a throwaway database (a temporary SQLite file, or the
PostgreSQL database ``ntm_bench_survey``) holding the real units, one village,
one household and one open survey. Four client threads send ``http.client``
GET requests for N seconds per URL; the figure is completed requests / second.
The goal (issue 5): the survey page serves at least half the bare view's rate.
"""

import argparse
import http.client
import os
import socket
import subprocess
import sys
import threading
import time

import throwaway_db  # noqa: E402  (before Django: picks the database)

if "--serve" not in sys.argv:  # the server child uses the parent's database
    throwaway_db.choose("ntm_bench_survey", "ntm-bench-survey-")

import django  # noqa: E402
from django.http import HttpResponse  # noqa: E402

SLUG = "bench-hai-long"
urlpatterns = []  # the project's URLs + the baseline, set in serve()


def bare(request):
    return HttpResponse("ok")


def serve(port):
    """Child process: the project's URLs plus /bench-bare/, on runserver."""
    from django.conf import settings
    from django.core.management import call_command
    from django.urls import include, path

    django.setup()
    urlpatterns[:] = [path("bench-bare/", bare), path("", include("ntm.urls"))]
    settings.ROOT_URLCONF = __name__
    # Uncollected static files: plain names, as before production mode.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, verbosity=0)


def prepare():
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from ntm.households.models import Household
    from ntm.surveys.demo import _questions
    from ntm.surveys.models import Survey
    from ntm.units.models import Unit
    from ntm.units.services import create_unit, load_reference_units

    call_command("migrate", verbosity=0)
    load_reference_units(by=None)
    commune = Unit.objects.by_code("20515")
    village = create_unit(
        code="2051501",
        name="Thôn 1",
        kind=Unit.Kind.VILLAGE,
        parent=commune,
        valid_from=commune.valid_from,
        by=None,
    )
    Household.objects.create(
        code="HN0001", village=village, head_name="A", phone="0905000111"
    )
    now = timezone.now()
    survey = Survey.objects.create(
        title="Khảo sát đo tốc độ",
        slug=SLUG,
        unit=commune,
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=1),
        status=Survey.Status.OPEN,
    )
    _questions(survey)


def hammer(port, path, seconds, threads):
    done = [0] * threads
    deadline = time.monotonic() + seconds

    def worker(index):
        while time.monotonic() < deadline:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path)
            answer = connection.getresponse()
            answer.read()
            connection.close()
            assert answer.status == 200, (path, answer.status)
            done[index] += 1

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(done) / seconds


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, timeout=30):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    throwaway_db.recreate()
    django.setup()
    server = None
    try:
        prepare()
        from django.db import connection

        vendor = connection.vendor
        connection.close()
        port = free_port()
        env = {
            **os.environ,
            "DEBUG": "false",
            "HTTPS": "false",
            "SECRET_KEY": "bench-" + "x" * 50,
        }
        log = open(os.environ.get("BENCH_LOG", os.devnull), "w")  # noqa: SIM115
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        wait_for(port)
        urls = {"bare view": "/bench-bare/", "survey page": f"/khao-sat/{SLUG}/"}
        rates = {}
        for label, url in urls.items():
            hammer(port, url, 1, args.threads)  # warm-up
            rates[label] = hammer(port, url, args.seconds, args.threads)
        print(f"Database: {vendor}; server: runserver --noreload, DEBUG off")
        print(f"{args.threads} client threads, {args.seconds:g} s per URL")
        for label, rate in rates.items():
            print(f"{label:15} {rate:8.1f} req/s")
        ratio = rates["survey page"] / rates["bare view"]
        print(f"ratio survey/bare {ratio:.2f} (goal >= 0.50)")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        throwaway_db.drop()


if __name__ == "__main__":
    main()
