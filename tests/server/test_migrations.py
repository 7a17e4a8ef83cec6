"""The schema through Alembic (issue 9): `python -m server migrate` upgrades an empty SQLite and an empty
PostgreSQL database, and a database made by 90a2040's code, to exactly the models, without losing a row."""

from __future__ import annotations

import importlib
import json
import sqlite3
import os
import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import func, inspect, select, text

from server import db
from server.settings import Settings
from tests.server.conftest import auth_headers, make_world

ROOT = Path(__file__).resolve().parents[2]
# The database 90a2040 made (fixtures/make_90a2040_db.py at that commit), kept as its SQL dump (text, not a
# binary data file in git) and rebuilt byte for byte in each test's folder.
FIXTURE_SQL = Path(__file__).parent / "fixtures" / "server-90a2040.sql"


def fixture_db(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(FIXTURE_SQL.read_text())
    conn.close()
    return path
FIXTURE_FACTS = json.loads((Path(__file__).parent / "fixtures" / "server-90a2040.json").read_text())
REVISION_1 = importlib.import_module("server.migrations.versions.0001_initial")


def differences(engine) -> list:
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), db.metadata)


def row_counts(engine, tables) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar() for t in tables}


def cli_migrate(env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "server", "migrate"], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=True)


def test_migrate_upgrades_an_empty_sqlite_to_exactly_the_models(tmp_path):
    env = {**os.environ, "REGROUP_SERVER_DATA_DIR": str(tmp_path / "srv")}
    env.pop("REGROUP_DATABASE_URL", None)
    assert cli_migrate(env).stdout.strip().splitlines()[-1] == "migrated: 0001, 0002, 0003"
    assert cli_migrate(env).stdout.strip().splitlines()[-1] == "up to date"
    engine = db.make_engine(Settings(data_dir=tmp_path / "srv").url)
    assert differences(engine) == []
    with engine.connect() as conn:
        assert db.revision(conn) == "0003"


def test_migrate_upgrades_an_empty_postgresql_to_exactly_the_models(pg_url, tmp_path):
    env = {**os.environ, "REGROUP_DATABASE_URL": pg_url, "REGROUP_SERVER_DATA_DIR": str(tmp_path / "srv")}
    assert cli_migrate(env).stdout.strip().splitlines()[-1] == "migrated: 0001, 0002, 0003"
    engine = db.make_engine(Settings(database_url=pg_url).url)
    assert differences(engine) == []
    engine.dispose()


def test_a_database_made_by_90a2040_keeps_every_row_and_keeps_working(tmp_path):
    folder = tmp_path / "srv"
    folder.mkdir()
    fixture_db(folder / "server.db")
    old = db.make_engine(f"sqlite:///{folder / 'server.db'}")
    before = row_counts(old, [t for t in REVISION_1.metadata.sorted_tables if t.name != "schema_migrations"])
    assert all(before.values()), before  # the fixture has a row in every table
    with old.connect() as conn:
        entries = conn.execute(text("SELECT data FROM records WHERE data IS NOT NULL ORDER BY entity_id")).all()
    old.dispose()
    world = make_world(Settings(data_dir=folder, secret_key="k"))  # starting the server migrates
    assert row_counts(world.engine, [db.metadata.tables[name] for name in before]) == before
    assert differences(world.engine) == []
    with world.engine.connect() as conn:
        assert conn.execute(text("SELECT data FROM records WHERE data IS NOT NULL ORDER BY entity_id")).all() \
            == entries
        assert not inspect(conn).has_table("schema_migrations")
    # the phone paired before the upgrade still syncs, and the specialist still signs in
    assert world.client.get("/api/v1/sync/pull", headers=auth_headers(FIXTURE_FACTS["token_a"])).status_code == 200
    c = TestClient(world.app, base_url="http://127.0.0.1")
    world.login(FIXTURE_FACTS["email"], c)
    page = c.get(f"/families/{FIXTURE_FACTS['family']}").text
    assert "tablet edit" in page and "phone edit" in page  # the current text and its revision


def test_a_postgresql_database_at_revision_1_with_rows_keeps_every_row(pg_url, tmp_path):
    """Revision 1 is 90a2040's schema: fill it on PostgreSQL with the fixture's rows, then upgrade."""
    from alembic import command
    engine = db.make_engine(Settings(database_url=pg_url).url)
    with engine.begin() as conn:
        command.upgrade(db._alembic(conn), "0001")
    source = db.make_engine(f"sqlite:///{fixture_db(tmp_path / 'fixture.db')}")
    tables = [t for t in REVISION_1.metadata.sorted_tables]
    with source.connect() as src, engine.begin() as dst:
        for table in tables:
            rows = [dict(r) for r in src.execute(select(table)).mappings()]
            if rows:
                dst.execute(table.insert(), rows)
        for table in ("audit", "revisions", "pair_failures", "rate_hits"):  # serial columns follow the copied ids
            dst.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                             f"(SELECT max(id) FROM {table}))"))
    before = row_counts(engine, [t for t in tables if t.name != "schema_migrations"])
    assert db.migrate(engine) == ["0002", "0003"]
    assert row_counts(engine, [db.metadata.tables[name] for name in before]) == before
    assert differences(engine) == []
    world = make_world(Settings(data_dir=tmp_path / "srv", secret_key="k", database_url=pg_url))
    assert world.client.get("/api/v1/sync/pull", headers=auth_headers(FIXTURE_FACTS["token_b"])).status_code == 200
    world.engine.dispose()
    engine.dispose()
    source.dispose()
