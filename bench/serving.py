"""The production server, a bare view beside it, and wrk: shared by the
server benchmarks (scan_page.py, public_pages.py).

The benchmark process prepares a throwaway database (throwaway_db.py), then
``start_server`` runs gunicorn on this module's ``application``: the
project's URLs plus ``/bench-bare/``, a view returning "ok" through the same
middleware, so both are measured on the same server in the same run.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import throwaway_db  # noqa: F401  (sys.path and settings module, before Django)
from django.http import HttpResponse

BARE_PATH = "/bench-bare/"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
SECRET_KEY = "bench-" + "x" * 50
urlpatterns = []  # the project's URLs + the baseline, when serving


def bare(request):
    return HttpResponse("ok")


if os.environ.get("BENCH_SERVE") == "1":
    # Imported by gunicorn as serving:application, in the benchmark's
    # environment (its database, cache and settings).
    import django
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    django.setup()
    from django.urls import include, path

    urlpatterns[:] = [
        path(BARE_PATH.strip("/") + "/", bare),
        path("", include("ntm.urls")),
    ]
    settings.ROOT_URLCONF = __name__
    application = get_wsgi_application()


def server_env(**extra):
    """The environment of a production process: DEBUG off, a real key."""
    return {
        **os.environ,
        "BENCH_SERVE": "1",
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        **extra,
    }


def start_server(port, *, workers=2, worker_class="sync", threads=1, env=None):
    """gunicorn serving ``application`` on 127.0.0.1:``port``; the Popen."""
    log = open(os.environ.get("BENCH_LOG", os.devnull), "w")  # noqa: SIM115
    return subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--chdir",
            str(Path(__file__).parent),
            "--log-level",
            "warning",
            "--no-control-socket",
            "serving:application",
        ],
        env=env or server_env(),
        stdout=subprocess.DEVNULL,
        stderr=log,
    )


def stop(process):
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def run_wrk(port, path, seconds, clients, *, script=None):
    """(requests/s, p99 in ms) of wrk on ``path``; refuses failed answers."""
    command = [
        WRK,
        "-t2",
        f"-c{clients}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "--latency",
    ]
    if script:
        command += ["-s", script]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"],
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
    failed = re.search(r"Socket errors: .*timeout (\d+)", output)
    if failed and int(failed.group(1)):
        raise RuntimeError(f"{path}: {failed.group(1)} requests timed out")
    return rate, p99


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, path, timeout=60):
    import http.client

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path)
            status = connection.getresponse().status
            connection.close()
            if status == 200:
                return
            raise RuntimeError(f"{path} answered {status}")
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


def collect_static(static_root):
    """Hashed static files, as `make prod` collects them (DEBUG off needs
    the manifest)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=throwaway_db.ROOT,
        env={**server_env(STATIC_ROOT=static_root), "BENCH_SERVE": "0"},
        check=True,
    )


def session_cookie(user):
    """The Cookie header of a signed-in session of ``user`` (sign it with the
    server's key: set SECRET_KEY to this module's before Django starts)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def timed_gets(port, path, runs, cookie=""):
    """(median, p95, worst) in ms of ``runs`` GETs one at a time, after a
    warm-up; refuses any answer but 200."""
    import http.client
    import statistics

    timings = []
    for _ in range(runs + 1):  # the first is a warm-up
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start = time.perf_counter()
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        response.read()
        timings.append((time.perf_counter() - start) * 1000)
        connection.close()
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
    timings = sorted(timings[1:])
    p95 = timings[max(0, round(0.95 * runs) - 1)]
    return statistics.median(timings), p95, timings[-1]
