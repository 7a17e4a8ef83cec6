"""Backups and restores: SQLite's online backup API, or pg_dump and pg_restore for PostgreSQL.

A restore loses everything written after the backup was taken. So that no phone misses what comes
next, a restore moves every family's seq on by RESTORE_GAP and marks everything below as purged:
a cursor from before the restore (behind or ahead of the restored seq) then gets 410 and the phone
pulls from 0. Every session ends (sign in again).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from server import admin, db
from server.settings import Settings

RESTORE_GAP = 1_000_000  # more changes than any family makes between a backup and its restore


class BackupError(Exception):
    pass


def _libpq_url(settings: Settings) -> str:
    return settings.url.replace("postgresql+psycopg://", "postgresql://", 1)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not on PATH: install PostgreSQL's client programs (Debian: postgresql-client) "
                          "in the same major version as the server")
    return found


def backup(settings: Settings, into: Path) -> Path:
    """A consistent copy of the database, taken while the server runs; returns the file written."""
    into.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = db.utcnow().strftime("%Y%m%dT%H%M%SZ")
    if settings.is_postgres:
        target = into / f"regroup-{stamp}.dump"
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}", _libpq_url(settings)])
    else:
        target = into / f"regroup-{stamp}.db"
        source = sqlite3.connect(settings.data_dir / "server.db")
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # the online backup API: a consistent snapshot, writers carry on
        finally:
            copy.close()
            source.close()
    target.chmod(0o600)
    return target


def restore(settings: Settings, engine, source: Path) -> None:
    """Replace the database with a backup (stop the server first), then move every family's seq on."""
    if not source.is_file():
        raise BackupError(f"no backup at {source}")
    if settings.is_postgres:
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={_libpq_url(settings)}", str(source)])
    else:
        backup_db = sqlite3.connect(source)
        live = sqlite3.connect(settings.data_dir / "server.db")
        try:
            backup_db.backup(live)
        finally:
            live.close()
            backup_db.close()
    engine.dispose()
    db.migrate(engine)  # a backup from an older version is upgraded
    admin.after_restore(engine, RESTORE_GAP, str(source.name))


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-500:]}")
