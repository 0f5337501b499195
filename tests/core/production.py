"""Running the project's own commands in a child process with production
settings: the environment of a server, not the test settings."""

import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Redis database and key prefix of this project's tests: the machine's Redis
# is shared with other projects' runs.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


def production_env(**extra):
    """A server's environment: no DEBUG, a real key, the test run's database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key in ("PATH", "HOME", "LANG", "DB_ENGINE", "DB_HOST", "DB_PORT")
        or key in ("DB_USER", "DB_PASSWORD")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ntm.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return {key: value for key, value in env.items() if value is not None}


def run_python(code, env, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def redis_or_skip():
    """Skip where no Redis runs; CI starts one, so there it is a failure."""
    host, port = "127.0.0.1", 6379
    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no Redis on 127.0.0.1:6379")
    return TEST_REDIS_URL


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
