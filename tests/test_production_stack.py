"""`make prod` on a fresh checkout: web, static files and worker, DEBUG off.

Copies the working tree (what a clone would hold, plus uncommitted files)
beside this checkout's virtualenv, runs `make prod` in it on a free port with
a new database, and stops it at the end.
"""

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
import uuid

import psycopg
import pytest

from tests.core.production import ROOT, free_port, production_env, redis_or_skip

STARTUP_SECONDS = 90


def _checkout(target):
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(ROOT / ".venv")


def _database(tmp_path):
    """A new empty database on the engine the suite runs on."""
    if os.environ.get("DB_ENGINE") != "postgres":
        return {"DB_NAME": str(tmp_path / "stack.sqlite3")}, lambda: None
    name = f"ntm_stack_{uuid.uuid4().hex[:8]}"
    dsn = {
        "host": os.environ.get("DB_HOST", "127.0.0.1"),
        "port": os.environ.get("DB_PORT", "5432"),
        "user": os.environ.get("DB_USER", "postgres"),
        "password": os.environ.get("DB_PASSWORD", ""),
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**dsn) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(**dsn) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return {"DB_NAME": name}, drop


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def _wait_for(url, stack):
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if stack.poll() is not None:
            pytest.fail(f"make prod stopped: {stack.stdout.read()}")
        try:
            return _get(url)
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"nothing answered on {url} in {STARTUP_SECONDS} s")


def test_make_prod_serves_pages_static_files_and_runs_tasks(tmp_path):
    redis_url = redis_or_skip()
    checkout = tmp_path / "ntm"
    _checkout(checkout)
    database, drop_database = _database(tmp_path)
    port = free_port()
    env = production_env(
        **database,
        PORT=str(port),
        HTTPS="false",
        ALLOWED_HOSTS="127.0.0.1",
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX=f"ntm-stack-{uuid.uuid4().hex}",
        MEDIA_ROOT=str(tmp_path / "media"),
        WEB_WORKERS="1",
        WEB_THREADS="2",
    )
    stack = subprocess.Popen(
        ["make", "-o", ".venv/.installed", "prod"],
        cwd=checkout,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        status, home = _wait_for(f"http://127.0.0.1:{port}/", stack)
        stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home)
        static_status, css = _get(f"http://127.0.0.1:{port}{stylesheet[1]}")
        missing_status, missing = _get(f"http://127.0.0.1:{port}/khong-co-trang-nay/")
        check = subprocess.run(
            [".venv/bin/python", "manage.py", "check_production", "--wait", "30"],
            cwd=checkout,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.killpg(stack.pid, signal.SIGTERM)
        try:
            stack.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(stack.pid, signal.SIGKILL)
            stack.wait()
        drop_database()

    assert status == 200
    assert ".topbar" in css and static_status == 200
    assert missing_status == 404
    assert "Traceback" not in missing and "URLconf" not in missing  # no debug page
    assert check.returncode == 0, check.stdout + check.stderr
    assert "✓ Tiến trình nền (worker): trả lời lúc" in check.stdout
    assert "✓ Chế độ gỡ lỗi (DEBUG): tắt" in check.stdout
