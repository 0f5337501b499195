"""Fault tests: what is lost when the database, a worker or an import dies.

    .venv/bin/python bench/faults.py                 # all three
    .venv/bin/python bench/faults.py --only worker   # postgres | worker | import

Never touches the shared PostgreSQL on port 5432: each run creates its own
cluster with initdb in a temporary folder, on 127.0.0.1:55432 (FAULTS_PG_PORT),
and deletes it at the end. The servers it starts listen on FAULTS_PORT
(8111); the task queue is Redis database FAULTS_REDIS_URL (db 3).

1. postgres: the production server (gunicorn) serves public and staff pages
   while writers add households through the service layer; the cluster is
   restarted with `pg_ctl restart -m immediate` (a crash: WAL recovery) in
   the middle. Checked: every acknowledged write is there, no household
   without its audit entry or the reverse, the pages answer again.
2. worker: the RQ worker (`manage.py rqworker`, as in the Procfile) builds the
   register export of 40,000 households; it and its work horse are killed
   with SIGKILL half-way. A new worker retries the job. Checked: the job is
   done once, one file, one audit entry, every household in it.
3. import: a 40,000-row household import (the file bench/import_households.py
   writes) runs in its own process, killed with SIGKILL while its transaction
   is open. Checked: nothing of it saved, no transaction left behind; the
   same file then imports whole.
"""

import argparse
import contextlib
import io
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PYTHON = ROOT / ".venv" / "bin" / "python"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_PORT = int(os.environ.get("FAULTS_PG_PORT", 55432))
WEB_PORT = int(os.environ.get("FAULTS_PORT", 8111))
REDIS_URL = os.environ.get("FAULTS_REDIS_URL", "redis://127.0.0.1:6379/3")
DB_NAME = "ntm_faults"
WORK = Path(tempfile.mkdtemp(prefix="ntm-faults-"))
RUN = secrets.token_hex(4)

# The settings of a production server on the throwaway cluster, for this
# process and every process it starts.
ENV = {
    "DJANGO_SETTINGS_MODULE": "ntm.settings",
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "HTTPS": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DB_ENGINE": "postgres",
    "DB_HOST": "127.0.0.1",
    "DB_PORT": str(PG_PORT),
    "DB_USER": "postgres",
    "DB_NAME": DB_NAME,
    "REDIS_URL": REDIS_URL,
    "CACHE_KEY_PREFIX": f"ntm-faults-{RUN}",
    "MEDIA_ROOT": str(WORK / "media"),
    "EXPORTS_ROOT": str(WORK / "exports"),
    "STATIC_ROOT": str(WORK / "static"),
    "PYTHONDONTWRITEBYTECODE": "1",
}
os.environ.update(ENV)


def child_env(**extra):
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    return {**keep, **ENV, **extra}


# -- The throwaway cluster -------------------------------------------------


class Cluster:
    """A PostgreSQL cluster of this run only (initdb in a temporary folder)."""

    def __init__(self, root):
        self.data = root / "pgdata"
        self.log = root / "postgres.log"
        self.root = root

    def _run(self, *args):
        command = [str(PG_BIN / args[0]), *args[1:]]
        if os.geteuid() == 0:  # initdb refuses root; the postgres user runs it
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, cwd=self.root, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"{' '.join(command)}: {done.stderr or done.stdout}")

    def create(self):
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            WORK.chmod(0o755)
            shutil.chown(self.root, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust")
        self.start()

    def _options(self):
        return f"-p {PG_PORT} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=on"

    def start(self):
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o",
                  self._options(), "-w", "start")  # fmt: skip

    def restart(self):
        """Stop at once, as a crash would (recovery from the WAL), and start."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        self.start()

    def destroy(self):
        with contextlib.suppress(RuntimeError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def sql(self, query, dbname=DB_NAME):
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=PG_PORT, user="postgres", dbname=dbname,
            autocommit=True,
        ) as connection:  # fmt: skip
            cursor = connection.execute(query)
            return cursor.fetchall() if cursor.description else None


# -- Shared set-up -----------------------------------------------------------


def seed(households):
    """Units, villages, an account, ``households`` households (bulk)."""
    import django

    django.setup()
    from django.core.management import call_command

    from ntm.accounts.models import Membership, Role, User
    from ntm.households.models import Household
    from ntm.units.models import Unit
    from ntm.units.services import create_unit, load_reference_units

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_reference_units(by=None)
    villages = [
        create_unit(
            code=f"{commune.code}{number:02d}",
            name=f"Thôn {number}",
            kind=Unit.Kind.VILLAGE,
            parent=commune,
            valid_from=commune.valid_from,
            is_demo=True,
            by=None,
        )
        for commune in Unit.objects.communes().valid_on()
        for number in range(1, 13)
    ]
    top = Unit.objects.valid_on().order_by("level").first()
    user = User.objects.create(username="faults", full_name="Fault test")
    Membership.objects.create(user=user, unit=top, role=Role.DISTRICT_ADMIN)
    batch = []
    for number in range(households):
        household = Household(
            code=f"S{number:07d}",
            village=villages[number % len(villages)],
            head_name=f"Nguyễn Văn {number}",
            members=1 + number % 7,
            phone=f"09{number:08d}",
            address=f"Tổ {1 + number % 12}",
            is_demo=True,
        )
        household.search_text = household.build_search_text()
        household.set_province_code()
        batch.append(household)
    Household.objects.bulk_create(batch, batch_size=2000)
    return user, villages


def table(title, rows):
    print(f"\n{title}")
    width = max(len(label) for label, _value in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")


def wait_for(check, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise SystemExit(f"gave up waiting for {what} after {seconds} s")


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return "no answer"


# -- 1. PostgreSQL restarted mid-load ---------------------------------------


def postgres_restart(cluster, user, villages, *, seconds_before=6, seconds_after=12):
    from django.db import close_old_connections
    from django.urls import reverse

    from ntm.core.models import ActionLog
    from ntm.households.models import Household
    from ntm.households.services import create_household

    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "ntm.wsgi", "--bind",
         f"127.0.0.1:{WEB_PORT}", "--workers", "2", "--threads", "4",
         "--worker-class", "gthread", "--no-control-socket"],
        cwd=ROOT, env=child_env(), stdout=open(WORK / "gunicorn.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{WEB_PORT}"
    pages = [
        reverse("home"),
        reverse("units:unit-list"),
        reverse("units:unit-detail", args=[villages[0].parent.code]),
        reverse("surveys:public-list")
        if _has_url("surveys:public-list")
        else reverse("units:unit-list"),
    ]
    reads, writes = [], []
    stop = threading.Event()

    def reader(offset):
        number = offset
        while not stop.is_set():
            page = pages[number % len(pages)]
            reads.append((time.monotonic(), _get(base + page)))
            number += 1

    def writer(prefix):
        number = 0
        while not stop.is_set():
            code = f"W{prefix}{number:06d}"
            number += 1
            close_old_connections()  # what a request's start does
            try:
                create_household(
                    village=villages[number % len(villages)],
                    by=user,
                    code=code,
                    head_name="Trần Thị Ghi",
                    members=3,
                )
            except Exception as error:  # the outage: refused, not lost
                writes.append((time.monotonic(), code, type(error).__name__))
                time.sleep(0.05)
            else:
                writes.append((time.monotonic(), code, "ok"))
        close_old_connections()

    try:
        try:
            wait_for(lambda: _get(base + "/") == 200, 60, "gunicorn")
        except SystemExit:
            print(_get(base + "/"), (WORK / "gunicorn.log").read_text()[-3000:])
            raise
        threads = [threading.Thread(target=reader, args=(i,)) for i in range(4)]
        threads += [threading.Thread(target=writer, args=(i,)) for i in range(3)]
        for thread in threads:
            thread.start()
        time.sleep(seconds_before)
        down = time.monotonic()
        cluster.restart()
        up = time.monotonic()
        time.sleep(seconds_after)
        stop.set()
        for thread in threads:
            thread.join()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    close_old_connections()
    acknowledged = {code for _t, code, result in writes if result == "ok"}
    refused = {code for _t, code, result in writes if result != "ok"}
    present = set(
        Household.objects.filter(code__startswith="W").values_list("code", flat=True)
    )
    logged = set(
        ActionLog.objects.filter(action="households.household.created").values_list(
            "object_repr", flat=True
        )
    )
    created_ids = set(
        ActionLog.objects.filter(action="households.household.created").values_list(
            "object_id", flat=True
        )
    )
    ids = dict(Household.objects.filter(code__startswith="W").values_list("code", "pk"))
    without_log = [code for code, pk in ids.items() if str(pk) not in created_ids]
    after = [status for t, status in reads if t > up + 2]
    first_ok = min((t for t, status in reads if t > up and status == 200), default=None)
    errors_during = [s for t, s in reads if down - 1 <= t <= up + 2 and s != 200]
    table(
        "1. PostgreSQL restarted (pg_ctl restart -m immediate) under load",
        [
            ("restart took", f"{up - down:.1f} s"),
            ("writes acknowledged", len(acknowledged)),
            ("writes refused during the outage", len(refused)),
            ("acknowledged writes missing (lost)", len(acknowledged - present)),
            ("refused writes saved whole anyway (answer lost)", len(refused & present)),
            ("households without their audit entry", len(without_log)),
            (
                "audit entries without a household",
                len(created_ids - {str(pk) for pk in ids.values()}),
            ),
            ("page requests", len(reads)),
            ("page errors around the restart", len(errors_during)),
            (
                "first page answered after restart",
                f"{first_ok - up:.2f} s" if first_ok else "never",
            ),
            ("page errors from 2 s after restart", len([s for s in after if s != 200])),
        ],
    )
    del logged
    return (
        not (acknowledged - present)
        and not without_log
        and all(s == 200 for s in after)
    )


def _has_url(name):
    from django.urls import NoReverseMatch, reverse

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


# -- 2. A task worker killed mid-task ---------------------------------------


def _start_worker(log):
    return subprocess.Popen(
        [str(PYTHON), "manage.py", "rqworker", "default", "--job-class",
         "django_tasks_rq.Job", "--with-scheduler",
         "--name", f"faults-{RUN}-{time.time_ns()}"],
        cwd=ROOT, env=child_env(), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def worker_killed(user, households):
    import django_rq

    from ntm.core.exports import request_export
    from ntm.core.models import ActionLog, ExportJob

    django_rq.get_queue("default").empty()
    log = open(WORK / "worker.log", "w")  # noqa: SIM115
    worker = _start_worker(log)
    job = request_export("households.register", by=user, params={}, purpose="bench")

    def half_way():
        job.refresh_from_db()
        return job.state == ExportJob.State.RUNNING and job.rows_done >= households // 3

    wait_for(half_way, 300, "the export to be a third done")
    at_kill = (job.state, job.rows_done, job.attempts)
    killed_at = time.monotonic()
    # The worker and its work horse (RQ puts the horse in a session of its
    # own), at once: a lost machine.
    horses = _children(worker.pid)
    os.killpg(worker.pid, signal.SIGKILL)
    for pid in horses:
        os.kill(pid, signal.SIGKILL)
    worker.wait()
    files_after_kill = sorted(
        p.name for p in (WORK / "exports").rglob("*") if p.is_file()
    )
    replacement = _start_worker(log)
    try:

        def finished():
            job.refresh_from_db()
            return job.is_finished

        wait_for(finished, 600, "the retried export")
        recovered = time.monotonic() - killed_at
        time.sleep(2)  # a duplicate run, if any, would finish now
    finally:
        os.killpg(replacement.pid, signal.SIGTERM)
        replacement.wait(timeout=30)
        log.close()
    job.refresh_from_db()
    files = sorted(p.name for p in (WORK / "exports").rglob("*") if p.is_file())
    rows = _rows_in(job)
    finished_logs = ActionLog.objects.filter(
        action="core.export.finished", object_id=str(job.pk)
    ).count()
    register_logs = ActionLog.objects.filter(
        action="households.register.exported"
    ).count()
    table(
        "2. RQ worker (and its work horse) killed with SIGKILL mid-export",
        [
            ("households in the register", households),
            (
                "job when killed",
                f"{at_kill[0]}, {at_kill[1]:,} rows written, attempt {at_kill[2]}",
            ),
            ("work horses killed with it", len(horses)),
            ("files left by the killed run", len(files_after_kill)),
            ("job after the new worker", f"{job.state}, attempt {job.attempts}"),
            (
                "recovered in",
                f"{recovered:.0f} s (heartbeat lapse + registry cleaning)",
            ),
            ("files kept", f"{len(files)} ({', '.join(files)})"),
            ("rows in the file", f"{rows:,}"),
            ("rows lost", households - rows),
            ("'finished' audit entries", finished_logs),
            ("'register exported' audit entries", register_logs),
        ],
    )
    return (
        job.state == ExportJob.State.DONE
        and rows == households
        and len(files) == 1
        and finished_logs == register_logs == 1
    )


def _children(pid):
    found = subprocess.run(
        ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
    )
    return [int(line) for line in found.stdout.split()]


def _rows_in(job):
    from openpyxl import load_workbook

    if not job.file.name:
        return 0
    with job.file.open("rb") as handle:
        book = load_workbook(io.BytesIO(handle.read()), read_only=True)
    return sum(1 for _row in book["Hộ gia đình"].iter_rows(min_row=2))


# -- 3. A 40,000-row import killed ------------------------------------------

IMPORT = """
import sys, time
import django
django.setup()
from ntm.accounts.models import User
from ntm.households.imports import import_households
print("started", flush=True)
user = User.objects.get(username="faults")
result = import_households(open(sys.argv[1], "rb"), by=user)
print("done", result.created, flush=True)
"""


def import_killed(cluster, villages, rows):
    import import_households as generator

    from ntm.core.models import ActionLog
    from ntm.households.exports import HOUSEHOLDS
    from ntm.households.models import EcommercePlatform, Household

    for name in generator.PLATFORMS:
        EcommercePlatform.objects.get_or_create(name=name)
    data = generator._rows(rows, villages)
    for row in data:  # codes of their own, beside the seeded households
        row["code"] = "I" + row["code"]
        row["address_code"] = None
    path = WORK / "households.xlsx"
    path.write_bytes(generator._workbook(data, HOUSEHOLDS.columns))
    before = Household.objects.count()
    logs_before = ActionLog.objects.count()

    child = subprocess.Popen(
        [str(PYTHON), "-c", IMPORT, str(path)], cwd=ROOT, env=child_env(),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    assert child.stdout.readline().strip() == "started"

    def writing():
        # The import's transaction is open and has written rows already.
        found = cluster.sql(
            "SELECT state, backend_xid IS NOT NULL FROM pg_stat_activity "
            f"WHERE datname = '{DB_NAME}' AND backend_type = 'client backend' "
            "AND backend_xid IS NOT NULL"
        )
        return found

    open_transaction = wait_for(writing, 300, "the import to start writing")
    time.sleep(1)
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    time.sleep(1)
    left_open = cluster.sql(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = "
        f"'{DB_NAME}' AND state LIKE 'idle in transaction%'"
    )[0][0]
    saved = Household.objects.count() - before
    logs = ActionLog.objects.count() - logs_before
    links = Household.ecommerce_platforms.through.objects.filter(
        household__code__startswith="I"
    ).count()

    started = time.monotonic()
    whole = subprocess.run(
        [str(PYTHON), "-c", IMPORT, str(path)], cwd=ROOT, env=child_env(),
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    seconds = time.monotonic() - started
    table(
        f"3. Household import of {rows:,} rows killed with SIGKILL",
        [
            ("import's transaction when killed", open_transaction[0][0]),
            ("households saved by the killed import", saved),
            ("audit entries saved by it", logs),
            ("e-commerce links saved by it", links),
            ("transactions left open", left_open),
            (
                "same file imported again",
                f"{whole.stdout.split()[-1]} households in {seconds:.0f} s",
            ),
        ],
    )
    return saved == logs == links == left_open == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="postgres,worker,import")
    parser.add_argument("--rows", type=int, default=40_000)
    args = parser.parse_args()
    chosen = args.only.split(",")
    cluster = Cluster(WORK / "cluster")
    print(f"Throwaway cluster: 127.0.0.1:{PG_PORT} in {WORK}")
    cluster.create()
    cluster.sql(f'CREATE DATABASE "{DB_NAME}"', dbname="postgres")
    results = {}
    try:
        user, villages = seed(args.rows if "worker" in chosen else 1000)
        if "postgres" in chosen:
            results["postgres"] = postgres_restart(cluster, user, villages)
        if "worker" in chosen:
            results["worker"] = worker_killed(user, args.rows)
        if "import" in chosen:
            results["import"] = import_killed(cluster, villages, args.rows)
    finally:
        from django.db import connections

        connections.close_all()
        cluster.destroy()
        shutil.rmtree(WORK, ignore_errors=True)
    table(
        "Lost",
        [(name, "nothing" if ok else "SOMETHING: see above") for name, ok in results.items()],  # noqa: E501
    )  # fmt: skip
    sys.exit(0 if all(results.values()) else 1)


if __name__ == "__main__":
    main()
