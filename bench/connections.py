"""PostgreSQL connections the production web server holds under load.

    DB_ENGINE=postgres .venv/bin/python bench/connections.py [--seconds 10]

Serves the home page with gunicorn as `make prod` does (2 workers x 4
threads, DEBUG off) on the throwaway database ``ntm_bench_connections`` (the
real units), loads it with wrk (50 connections) and samples
``pg_stat_activity`` for that database every 0.2 s: once with the pool
(DB_POOL_MAX=4, the default) and once with persistent connections per thread
(DB_POOL_MAX=0, CONN_MAX_AGE=60). Prints the most connections seen during the
load, how many are still open 5 s after it, and the requests/s.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import throwaway_db  # noqa: E402  (before Django: picks the database)

throwaway_db.choose("ntm_bench_connections", "ntm-bench-connections-")

import django  # noqa: E402

MODES = {
    "pool (DB_POOL_MAX=4)": {"DB_POOL_MAX": "4"},
    "persistent (CONN_MAX_AGE=60)": {"DB_POOL_MAX": "0", "DB_CONN_MAX_AGE": "60"},
}


def prepare(static_root):
    from django.core.management import call_command

    from ntm.units.services import load_reference_units

    call_command("migrate", verbosity=0)
    load_reference_units(by=None)
    env = {**server_env(static_root), "DB_POOL_MAX": "0"}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=throwaway_db.ROOT,
        env=env,
        check=True,
    )


def server_env(static_root):
    return {
        **os.environ,
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": static_root,
    }


def connections_now(admin):
    name = os.environ["DB_NAME"]
    row = admin.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name]
    ).fetchone()
    return row[0]


def measure(mode_env, static_root, port, seconds):
    env = {**server_env(static_root), **mode_env}
    server = subprocess.Popen(
        [
            str(throwaway_db.ROOT / ".venv/bin/gunicorn"),
            "ntm.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--no-control-socket",
        ],
        cwd=throwaway_db.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port)
        samples = []
        with throwaway_db._admin_connection() as admin:
            done = threading.Event()

            def sample():
                while not done.is_set():
                    samples.append(connections_now(admin))
                    time.sleep(0.2)

            sampler = threading.Thread(target=sample)
            sampler.start()
            load = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    "-c50",
                    f"-d{seconds}s",
                    f"http://127.0.0.1:{port}/",
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            done.set()
            sampler.join()
            time.sleep(5)
            after = connections_now(admin)
    finally:
        server.terminate()
        server.wait()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", load)[1])
    return max(samples), after, rate


def wait_for(port):
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if not throwaway_db.POSTGRES:
        sys.exit("Run with DB_ENGINE=postgres: SQLite has no connections to count.")
    throwaway_db.recreate()
    django.setup()
    from django.db import connections

    with tempfile.TemporaryDirectory() as static_root:
        try:
            prepare(static_root)
            connections.close_all()
            print("gunicorn 2 workers x 4 threads, wrk 50 connections, home page")
            for label, mode_env in MODES.items():
                most, after, rate = measure(mode_env, static_root, 8107, args.seconds)
                print(
                    f"{label:30} at most {most:3d} connections, {after:3d} open 5 s"
                    f" after, {rate:7.1f} req/s"
                )
        finally:
            throwaway_db.drop()


if __name__ == "__main__":
    main()
