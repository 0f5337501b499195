"""Backups of the database and the uploaded files, one tar file each time.

A backup holds ``manifest.json`` (when, which database engine, the SHA-256
and size of every other member), the database (``database.dump`` from
pg_dump's custom format, or ``database.sqlite3`` from SQLite's online backup
API, safe while the site runs) and ``media.tar`` (MEDIA_ROOT). A restore
checks every checksum before it touches anything.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from .models import ActionLog

FORMAT = 1


class BackupError(Exception):
    """The backup cannot be made or restored as asked."""


def make_backup(directory):
    """Write a backup of the database and media into ``directory``; return its path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = directory / f"ntm-backup-{stamp}.tar"
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        members = [_dump_database(work), _pack_media(work / "media.tar")]
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": connection.vendor,
            "files": {path.name: _describe(path) for path in members},
        }
        partial = target.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=2))
            for path in members:
                archive.add(path, arcname=path.name)
        partial.rename(target)
    return target


def read_manifest(path):
    """The backup's manifest, after checking every member against it."""
    try:
        with tarfile.open(path) as archive:
            return _checked_manifest(archive)
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Không đọc được tệp sao lưu {path}: {error}") from error


def _checked_manifest(archive):
    try:
        manifest = json.load(archive.extractfile("manifest.json"))
    except (KeyError, ValueError) as error:
        raise BackupError("Tệp sao lưu không có bản kê (manifest.json).") from error
    for name, expected in manifest["files"].items():
        try:
            member = archive.extractfile(name)
        except KeyError as error:
            raise BackupError(f"Tệp sao lưu thiếu {name}.") from error
        if _digest(member) != expected:
            raise BackupError(f"{name} không khớp mã kiểm tra: tệp đã hỏng.")
    return manifest


def database_is_empty():
    """True when no one has worked in the database: no user, no audit entry.

    Rows that migrate and flush create by themselves (content types,
    permissions) do not count.
    """
    if ActionLog._meta.db_table not in connection.introspection.table_names():
        return True
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return not (ActionLog.objects.exists() or user_model.objects.exists())


def restore_backup(path, *, force=False):
    """Replace the database and media with the backup at ``path``.

    Refuses a backup whose checksums do not match, one made on another
    database engine, and (unless ``force``) a database that holds records or
    a MEDIA_ROOT that holds files.
    """
    manifest = read_manifest(path)
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"Bản sao lưu của {manifest['engine']}, không khôi phục vào "
            f"{connection.vendor}."
        )
    media_root = Path(settings.MEDIA_ROOT)
    if not force and not database_is_empty():
        raise BackupError(
            "Cơ sở dữ liệu đang có dữ liệu; khôi phục sẽ ghi đè. Thêm --force nếu "
            "chắc chắn."
        )
    if not force and media_root.exists() and any(media_root.iterdir()):
        raise BackupError(f"{media_root} đang có tệp; thêm --force để ghi đè.")
    with tempfile.TemporaryDirectory() as work, tarfile.open(path) as archive:
        archive.extractall(work, filter="data")
        work = Path(work)
        if connection.vendor == "postgresql":
            _restore_postgres(work / "database.dump")
        else:
            _restore_sqlite(work / "database.sqlite3")
        if media_root.exists():
            shutil.rmtree(media_root)
        media_root.mkdir(parents=True)
        with tarfile.open(work / "media.tar") as media:
            media.extractall(media_root, filter="data")
    return manifest


def _dump_database(work):
    if connection.vendor == "postgresql":
        target = work / "database.dump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target)])
        return target
    target = work / "database.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(target) as copy:
        connection.connection.backup(copy)
    copy.close()
    return target


def _restore_postgres(dump):
    """The dump's SQL with --clean, run by psql in one transaction.

    pg_restore cannot run --clean against tables partitioned by province
    (ntm.core.partitions): it drops each partition's primary key, which the
    partition inherits from its table, and PostgreSQL refuses. Those drops
    are left out of the script; dropping the table's own key drops them.
    """
    connection.close()
    result = subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--file=-", str(dump)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore thất bại: {result.stderr.strip()}")
    script = without_inherited_key_drops(result.stdout, _partitions_of(dump))
    _run(
        ["psql", "--single-transaction", "--quiet", "-v", "ON_ERROR_STOP=1"],
        database_flag="--dbname",
        input=script,
    )


def _partitions_of(dump):
    """Names of the partitions in ``dump`` (its "TABLE ATTACH" entries)."""
    listing = subprocess.run(
        ["pg_restore", "--list", str(dump)], capture_output=True, text=True, check=True
    ).stdout
    return {
        line.split()[-2]
        for line in listing.splitlines()
        if " TABLE ATTACH " in line and not line.startswith(";")
    }


def without_inherited_key_drops(script, partitions):
    """``script`` without the DROP CONSTRAINT lines of ``partitions``."""
    return "\n".join(
        line
        for line in script.splitlines()
        if not (
            " DROP CONSTRAINT " in line
            and any(f" public.{name} DROP" in line for name in partitions)
        )
    )


def _restore_sqlite(copy_path):
    connection.ensure_connection()
    with sqlite3.connect(copy_path) as copy:
        copy.backup(connection.connection)
    copy.close()


def _run(command, database_flag=None, input=None):
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    command = [
        *command,
        "--host",
        db["HOST"] or "127.0.0.1",
        "--port",
        str(db["PORT"] or 5432),
        "--username",
        db["USER"],
    ]
    command += [database_flag, db["NAME"]] if database_flag else [db["NAME"]]
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, input=input
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} thất bại: {result.stderr.strip()}")


def _pack_media(target):
    root = Path(settings.MEDIA_ROOT)
    with tarfile.open(target, "w") as archive:
        if root.exists():
            for path in sorted(root.rglob("*")):
                archive.add(path, arcname=str(path.relative_to(root)), recursive=False)
    return target


def _describe(path):
    with open(path, "rb") as handle:
        return _digest(handle)


def _digest(handle):
    sha, size = hashlib.sha256(), 0
    while chunk := handle.read(1024 * 1024):
        sha.update(chunk)
        size += len(chunk)
    return {"sha256": sha.hexdigest(), "bytes": size}


def _add_bytes(archive, name, text):
    data = text.encode()
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))
