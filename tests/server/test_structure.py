"""The server's shape (DESIGN.md's module map): SQL only in the data modules, one door for the admin's
writes, one dependency for family routes, and a hot path that writes nothing it does not need."""

from __future__ import annotations

import ast
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from server import db, pages
from tests.server.conftest import auth_headers

ROOT = Path(__file__).resolve().parents[2]
# Where SQL may be written: the schema, the readers, and the three writers (device protocol, admin, counters).
DATA_MODULES = {"db.py", "queries.py", "sync.py", "admin.py", "ratelimit.py", "accounts.py"}


def sqlalchemy_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    return [n for n in names if n == "sqlalchemy" or n.startswith("sqlalchemy.")]


def test_sql_lives_only_in_the_data_modules():
    outside = {p.name: sqlalchemy_imports(p) for p in sorted((ROOT / "server").glob("*.py"))
               if p.name not in DATA_MODULES}
    assert {name: found for name, found in outside.items() if found} == {}


def test_the_cli_does_not_import_the_web_modules():
    code = ("import sys, server.__main__; "
            "print(sorted(m for m in sys.modules if m in ('server.pages', 'server.api', 'server.app', 'fastapi')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_family_route_gets_its_family_through_family_dep(world):
    def dependencies(dependant):
        for dep in dependant.dependencies:
            yield dep.call
            yield from dependencies(dep)
    family_routes = [r for r in pages.router.routes if r.path.startswith("/families/{family_id}")]  # not /admin
    assert len(family_routes) >= 10
    for route in family_routes:
        assert pages.family_of in set(dependencies(route.dependant)), route.path


def test_a_conflict_is_told_by_its_type_not_its_message():
    from psycopg import errors
    assert db.is_conflict(IntegrityError("INSERT", {}, Exception("whatever")))
    assert db.is_conflict(OperationalError("UPDATE", {}, errors.SerializationFailure("x")))
    assert db.is_conflict(OperationalError("UPDATE", {}, errors.DeadlockDetected("x")))
    assert not db.is_conflict(OperationalError("SELECT", {}, Exception("unique deadlock serialize")))
    assert not db.is_conflict(DBAPIError("SELECT", {}, errors.DataError("x")))


@pytest.fixture
def paired(world):
    world.specialist("s@x.test")
    family = world.family("s@x.test")
    return world.pair(family)


def _count_commits_and_device_updates(world, request):
    seen = {"commits": 0, "device_updates": 0}

    def on_commit(conn):
        seen["commits"] += 1

    def on_execute(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE DEVICES"):
            seen["device_updates"] += 1
    event.listen(world.engine, "commit", on_commit)
    event.listen(world.engine, "before_cursor_execute", on_execute)
    try:
        assert request().status_code == 200
    finally:
        event.remove(world.engine, "commit", on_commit)
        event.remove(world.engine, "before_cursor_execute", on_execute)
    return seen


def _last_seen(world, device_id):
    with world.engine.begin() as conn:
        return conn.execute(select(db.devices.c.last_seen_at).where(db.devices.c.id == device_id)).scalar()


def test_last_seen_is_written_at_most_once_a_minute_inside_the_requests_own_transaction(world, paired):
    def pull():
        return world.client.get("/api/v1/sync/pull", headers=auth_headers(paired["token"]))
    first = _count_commits_and_device_updates(world, pull)
    assert first == {"commits": 1, "device_updates": 1}  # never seen: written, in the pull's one transaction
    stamp = _last_seen(world, paired["device_id"])
    assert stamp is not None
    again = _count_commits_and_device_updates(world, pull)
    assert again == {"commits": 1, "device_updates": 0} and _last_seen(world, paired["device_id"]) == stamp
    old = db.iso(dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=61))
    with world.engine.begin() as conn:
        conn.execute(update(db.devices).values(last_seen_at=old))
    later = _count_commits_and_device_updates(world, pull)
    assert later == {"commits": 1, "device_updates": 1} and _last_seen(world, paired["device_id"]) > old


def test_a_device_is_noted_as_seen_once_a_full_minute_has_gone_and_no_other_device_with_it(world, paired,
                                                                                           monkeypatch):
    now = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)
    monkeypatch.setattr(db, "utcnow", lambda: now)
    other = world.pair(paired["family_id"], "Ben")
    with world.engine.begin() as conn:
        conn.execute(update(db.devices).values(last_seen_at=db.iso(now - dt.timedelta(minutes=1))))
    world.client.get("/api/v1/sync/pull", headers=auth_headers(paired["token"]))
    assert _last_seen(world, paired["device_id"]) == db.iso(now - dt.timedelta(minutes=1))  # a minute: not yet
    with world.engine.begin() as conn:
        conn.execute(update(db.devices).values(last_seen_at=db.iso(now - dt.timedelta(minutes=1, milliseconds=1))))
    world.client.get("/api/v1/sync/pull", headers=auth_headers(paired["token"]))
    assert _last_seen(world, paired["device_id"]) == db.iso(now)
    assert _last_seen(world, other["device_id"]) == db.iso(now - dt.timedelta(minutes=1, milliseconds=1))  # not Ben
