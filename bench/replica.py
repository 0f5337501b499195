"""Public pages served from a hot standby (issue 15 item 4).

    .venv/bin/python bench/replica.py [--seconds 5 --clients 50]

Starts two PostgreSQL 15 clusters of its own on loopback (``initdb``; the
standby made with ``pg_basebackup -R``, streaming), loads the Đại Lộc demo
into the primary, and runs gunicorn (2 sync workers, DEBUG off, Redis cache)
with ``DB_REPLICA_HOST`` pointing at the standby. Then:

1. a change written on the primary shows on a page served by the standby
   (time for the standby to replay it);
2. wrk on public pages and API calls: requests/s and p99, and how many
   transactions each cluster ran meanwhile (``pg_stat_database``);
3. replay paused on the standby (a lagging replica): a new change shows at
   once, read from the primary, and the standby runs no page's queries;
4. the standby stopped: every page still answers.

Both clusters live in a temporary folder removed at the end. As root the
clusters run as the ``postgres`` user (PostgreSQL refuses root).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PRIMARY_PORT, STANDBY_PORT = 5442, 5443
INITDB_OPTIONS = ("-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8")
DB_NAME = "ntm_bench_replica"
os.environ.update(
    DB_ENGINE="postgres",
    DB_HOST="127.0.0.1",
    DB_PORT=str(PRIMARY_PORT),
    DB_NAME=DB_NAME,
    DB_POOL_MAX="0",
)
REDIS_URL = os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/7")

import django  # noqa: E402
import serving  # noqa: E402  (sys.path and settings module)

MARKED_VILLAGE = "2051501"  # a demo village of Xã Hà Nha (its API page)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--port", type=int, default=8601)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="ntm-bench-replica-"))
    server = None
    try:
        _as_postgres(["chown", "-R", "postgres", str(folder)], root=True)
        _start_primary(folder)
        django.setup()
        _load_demo()
        standby = _start_standby(folder)
        server = _serve(args.port)
        village = _village()
        _replicated_change(args.port, village)
        _load(args, village)
        _renders(args)
        _lagging(args, village)
        _stopped(args, standby, village)
    finally:
        serving.stop(server)
        from django.db import connections

        connections.close_all()
        for cluster in ("standby", "primary"):
            _pg_ctl(folder / cluster, "stop", "-m", "immediate", check=False)
        shutil.rmtree(folder, ignore_errors=True)
        _flush_redis()


# -- the two clusters ----------------------------------------------------------


def _as_postgres(command, *, root=False, check=True):
    """Run ``command`` as the postgres user when we are root."""
    if os.geteuid() == 0 and not root:
        command = ["runuser", "-u", "postgres", "--", *command]
    elif os.geteuid() != 0 and root:
        return None
    return subprocess.run(command, check=check, capture_output=True, text=True)


def _pg(tool, *args, check=True):
    """A PostgreSQL 15 program (initdb, pg_ctl, pg_basebackup, psql)."""
    return _as_postgres([str(PG_BIN / tool), *map(str, args)], check=check)


def _pg_ctl(data, *command, check=True):
    return _pg("pg_ctl", "-D", data, "-l", f"{data}.log", "-w", *command, check=check)


def _settings(data, port):
    with open(data / "postgresql.conf", "a") as conf:
        conf.write(
            f"\nport = {port}\nlisten_addresses = '127.0.0.1'\n"
            f"unix_socket_directories = '{data.parent}'\n"
            "wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\n"
            # A benchmark's throwaway clusters: no need to survive a crash.
            "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            "shared_buffers = 256MB\n"
        )


def _start_primary(folder):
    started = time.monotonic()
    data = folder / "primary"
    _pg("initdb", "-D", data, *INITDB_OPTIONS)
    _settings(data, PRIMARY_PORT)
    with open(data / "pg_hba.conf", "w") as hba:
        hba.write(
            "local all all trust\nlocal replication all trust\n"
            "host all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n"
        )
    _pg_ctl(data, "start")
    _psql(PRIMARY_PORT, "postgres", f'CREATE DATABASE "{DB_NAME}"')
    print(f"primary cluster on :{PRIMARY_PORT} in {time.monotonic() - started:.1f} s")


def _start_standby(folder):
    started = time.monotonic()
    data = folder / "standby"
    _pg(
        "pg_basebackup",
        *f"-h 127.0.0.1 -p {PRIMARY_PORT} -U postgres -R -X stream -c fast".split(),
        "-D",
        data,
    )
    with open(data / "postgresql.conf", "a") as conf:
        conf.write(f"\nport = {STANDBY_PORT}\n")
    _pg_ctl(data, "start")
    recovering = _psql(STANDBY_PORT, DB_NAME, "SELECT pg_is_in_recovery()")
    assert recovering == "t", recovering
    print(
        f"hot standby on :{STANDBY_PORT} (pg_basebackup -R, streaming) in "
        f"{time.monotonic() - started:.1f} s"
    )
    return data


def _psql(port, database, sql):
    done = _pg(
        "psql",
        *f"-h 127.0.0.1 -p {port} -U postgres -tA".split(),
        "-d",
        database,
        "-c",
        sql,
    )
    return done.stdout.strip()


def _transactions(port):
    """Transactions committed in the benchmark's database so far.

    A backend reports its counts when it goes idle, at most every 10 s
    (PostgreSQL 15's PGSTAT_IDLE_INTERVAL): wait that long first.
    """
    time.sleep(11)
    return int(
        _psql(
            port,
            "postgres",
            f"SELECT xact_commit FROM pg_stat_database WHERE datname = '{DB_NAME}'",
        )
    )


# -- the platform ---------------------------------------------------------------


def _load_demo():
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    print(f"demo loaded into the primary in {time.monotonic() - started:.0f} s")


def _serve(port):
    static_root = tempfile.mkdtemp(prefix="ntm-bench-static-")
    serving.collect_static(static_root)
    env = serving.server_env(
        STATIC_ROOT=static_root,
        REDIS_URL=REDIS_URL,
        RATE_LIMIT_API="1000000/m",
        DB_REPLICA_HOST="127.0.0.1",
        DB_REPLICA_PORT=str(STANDBY_PORT),
        REPLICA_CHECK_SECONDS="1",
        REPLICA_MAX_LAG_SECONDS="2",
        # Enqueued recomputations run at once in the web process: this
        # benchmark measures reads, not the worker.
        TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
    )
    server = serving.start_server(port, env=env)
    serving.wait_for(port, serving.BARE_PATH)
    return server


def _village():
    from ntm.units.models import Unit

    return Unit.objects.get(code=MARKED_VILLAGE, valid_to__isnull=True)


def _rename(village, name):
    """Write on the primary as an edit would: the row, then the data version."""
    from ntm.core.publiccache import bump_data_version
    from ntm.units.models import Unit

    Unit.objects.filter(pk=village.pk).update(name=name)
    bump_data_version()


def _name_served(port, village):
    import json
    import urllib.request

    url = f"http://127.0.0.1:{port}/api/v1/units/{village.code}"
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)["name"]


def _replicated_change(port, village):
    name = f"{village.name} (sửa trên bản chính)"
    _rename(village, name)
    started = time.monotonic()
    while (
        _psql(
            STANDBY_PORT,
            DB_NAME,
            f"SELECT name FROM units_unit WHERE id = {village.pk}",
        )
        != name
    ):
        time.sleep(0.01)
    replayed = time.monotonic() - started
    before = _transactions(STANDBY_PORT)
    served = _name_served(port, village)
    assert served == name, served
    print(
        f"1. a change on the primary was replayed by the standby in "
        f"{replayed * 1000:.0f} ms; the page shows it, served by the standby "
        f"({_transactions(STANDBY_PORT) - before} transactions there)"
    )


LOAD_PAGES = [
    ("API unit (village)", "/api/v1/units/" + MARKED_VILLAGE),
    ("API units (communes)", "/api/v1/units?level=commune"),
    ("unit page (commune)", "/don-vi/20515/"),
    ("home /", "/"),
    ("OCOP products", "/ocop/"),
]


def _load(args, village):
    print(
        f"2. wrk, {args.clients} clients, {args.seconds} s per page "
        "(transactions run meanwhile by each cluster):"
    )
    for label, path in LOAD_PAGES:
        serving.run_wrk(args.port, path, 1, 2)  # warm
        primary, standby = _transactions(PRIMARY_PORT), _transactions(STANDBY_PORT)
        rate, p99 = serving.run_wrk(args.port, path, args.seconds, args.clients)
        primary = _transactions(PRIMARY_PORT) - primary
        standby = _transactions(STANDBY_PORT) - standby
        print(
            f"   {label:24} {rate:8.0f} req/s  p99 {p99:6.1f} ms   "
            f"standby {standby:6d}  primary {primary:6d}"
        )


def _renders(args):
    """Pages rendered afresh: each request after a write (a new data version)."""
    import urllib.request

    from ntm.core.publiccache import bump_data_version

    print("   rendered afresh, 20 requests each after a write:")
    for label, path in LOAD_PAGES:
        primary, standby = _transactions(PRIMARY_PORT), _transactions(STANDBY_PORT)
        timings = []
        for _ in range(20):
            bump_data_version()
            started = time.perf_counter()
            url = f"http://127.0.0.1:{args.port}{path}"
            with urllib.request.urlopen(url, timeout=10) as response:
                response.read()
            timings.append(time.perf_counter() - started)
        primary = _transactions(PRIMARY_PORT) - primary
        standby = _transactions(STANDBY_PORT) - standby
        timings.sort()
        print(
            f"   {label:24} median {timings[10] * 1000:6.1f} ms   "
            f"standby {standby:6d}  primary {primary:6d}"
        )


def _lagging(args, village):
    _psql(STANDBY_PORT, DB_NAME, "SELECT pg_wal_replay_pause()")
    name = f"{village.name} (sửa khi bản sao dừng phát lại)"
    _rename(village, name)
    time.sleep(2 + 1 + 0.5)  # REPLICA_MAX_LAG_SECONDS + REPLICA_CHECK_SECONDS
    before = _transactions(STANDBY_PORT)
    served = [_name_served(args.port, village) for _ in range(20)]
    rate, p99 = serving.run_wrk(args.port, LOAD_PAGES[0][1], args.seconds, 10)
    ran = _transactions(STANDBY_PORT) - before
    assert set(served) == {name}, set(served)
    print(
        f"3. replay paused on the standby: the new change is served at once "
        f"(from the primary: the standby ran {ran} transactions, the health "
        f"checks); {rate:.0f} req/s, p99 {p99:.1f} ms"
    )
    _psql(STANDBY_PORT, DB_NAME, "SELECT pg_wal_replay_resume()")


def _stopped(args, standby, village):
    _pg_ctl(standby, "stop", "-m", "fast")
    failures = 0
    for _label, path in LOAD_PAGES:
        try:
            serving.run_wrk(args.port, path, 2, 10)
        except RuntimeError as error:
            failures += 1
            print(f"   {error}")
    rate, p99 = serving.run_wrk(args.port, LOAD_PAGES[0][1], args.seconds, 10)
    print(
        f"4. standby stopped: {len(LOAD_PAGES) - failures}/{len(LOAD_PAGES)} pages "
        f"answered every request from the primary; API unit {rate:.0f} req/s, "
        f"p99 {p99:.1f} ms"
    )
    assert not failures


def _flush_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


if __name__ == "__main__":
    sys.exit(main())
