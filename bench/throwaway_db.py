"""A database that a benchmark creates, migrates and drops: never the real one.

Import this before Django: it points DB_NAME at a temporary SQLite file, or at
a PostgreSQL database of its own when DB_ENGINE=postgres.
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "ntm.settings"
# The development settings the figures in docs/performance.md were taken with
# (a server benchmark turns DEBUG off in its server process).
os.environ.setdefault("DEBUG", "true")
POSTGRES = os.environ.get("DB_ENGINE") == "postgres"
# The province code (the partition key) of the unit ``u`` in raw INSERTs.
PROVINCE_OF_UNIT = (
    "split_part(u.path, '/', 1)"
    if POSTGRES
    else "substr(u.path, 1, instr(u.path, '/') - 1)"
)
SQLITE_FILE = None


def choose(postgres_name, sqlite_prefix):
    """Point Django at a throwaway database; call before django.setup()."""
    global SQLITE_FILE
    if POSTGRES:
        os.environ.setdefault("DB_NAME", postgres_name)
    else:
        handle, SQLITE_FILE = tempfile.mkstemp(prefix=sqlite_prefix, suffix=".sqlite3")
        os.close(handle)
        os.environ["DB_NAME"] = SQLITE_FILE


def recreate():
    """Start from an empty PostgreSQL database (SQLite files start empty)."""
    if POSTGRES:
        with _admin_connection() as admin:
            admin.execute(
                f'DROP DATABASE IF EXISTS "{os.environ["DB_NAME"]}" WITH (FORCE)'
            )
            admin.execute(f'CREATE DATABASE "{os.environ["DB_NAME"]}"')


def drop():
    from django.db import connections

    connections.close_all()
    if POSTGRES:
        with _admin_connection() as admin:
            admin.execute(
                f'DROP DATABASE IF EXISTS "{os.environ["DB_NAME"]}" WITH (FORCE)'
            )
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(SQLITE_FILE + suffix).unlink(missing_ok=True)


def _admin_connection():
    import psycopg

    return psycopg.connect(
        host=os.environ.get("DB_HOST", "127.0.0.1"),
        port=os.environ.get("DB_PORT", "5432"),
        user=os.environ.get("DB_USER", "postgres"),
        password=os.environ.get("DB_PASSWORD", ""),
        dbname="postgres",
        autocommit=True,
    )
