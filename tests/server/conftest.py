"""Server fixtures: a fresh app on SQLite per test; PostgreSQL on the real local server when asked."""

from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import insert

from server import admin, auth, db
from server.app import create_app
from server.settings import Settings

PG_ADMIN = os.environ.get("REGROUP_TEST_PG", "postgresql://root@127.0.0.1:5432/postgres")
PASSWORD = "correct horse battery staple"
FULL_COST_HASHER = auth._hasher  # what the server hashes with; test_the_server_hashes_at_full_cost holds it


@pytest.fixture(autouse=True)
def quick_password_hashes(monkeypatch):
    """argon2 at the server's cost (64 MiB, 3 passes) takes 0.2-0.4 s a hash here, and these tests make and
    check passwords hundreds of times (each mutant of `make mutants` runs them again): they test who gets in,
    not the cost, so passwords are hashed at argon2's lowest cost. A hash records its own cost, so checking
    one works the same way; the dummy hash for unknown emails keeps the full cost."""
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def pg_available() -> bool:
    try:
        import psycopg
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001
        return False


def _throwaway_pg_database():
    """A fresh PostgreSQL database on the local server, dropped afterwards. CI requires it."""
    if not pg_available():
        if os.environ.get("REGROUP_REQUIRE_E2E") == "1":
            pytest.fail("PostgreSQL is not reachable on 127.0.0.1:5432 (.ci/run starts it)", pytrace=False)
        pytest.skip("PostgreSQL TESTS NOT RUN: no server on 127.0.0.1:5432")
    import psycopg
    name = f"regroup_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    yield url
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url():
    yield from _throwaway_pg_database()


@pytest.fixture(scope="module")
def module_pg_url():
    """One throwaway database for a whole module (tests then keep apart by using their own family)."""
    yield from _throwaway_pg_database()


class World:
    """A server with specialists and families, and helpers to act as a device or a specialist."""

    def __init__(self, app):
        self.app = app
        self.engine = app.state.engine
        self.client = TestClient(app)

    def specialist(self, email: str, name: str = "Dr Test") -> str:
        sid = str(uuid.uuid4())
        with self.engine.begin() as conn:
            conn.execute(insert(db.specialists).values(id=sid, email=email, name=name,
                                                       password_hash=auth.hash_password(PASSWORD),
                                                       created_at=db.now()))
        return sid

    def family(self, specialist_email: str, name: str = "The Smiths") -> str:
        return admin.add_family(self.engine, name, specialist_email)

    def code(self, family_id: str, member_id: str | None = None) -> str:
        return admin.create_pairing_code(self.engine, family_id, member_id, "test")

    def pair(self, family_id: str, name: str = "Ana", member_id: str | None = None, client=None) -> dict:
        r = (client or self.client).post("/api/v1/pair", json={"code": self.code(family_id, member_id),
                                                              "device_name": name})
        assert r.status_code == 201, r.text
        return r.json()

    def login(self, email: str, client: TestClient | None = None) -> TestClient:
        c = client or TestClient(self.app, base_url="http://127.0.0.1")  # loopback: plain-HTTP cookie
        page = c.get("/login").text
        stamp = page.split('name="stamp" value="')[1].split('"')[0]
        token = page.split('name="token" value="')[1].split('"')[0]
        r = c.post("/login", data={"email": email, "password": PASSWORD, "stamp": stamp, "token": token},
                   follow_redirects=False)
        assert r.status_code == 303, r.text
        return c


def make_world(settings: Settings) -> World:
    return World(create_app(settings))


@pytest.fixture
def world(tmp_path):
    return make_world(Settings(data_dir=tmp_path / "server", secret_key="test-secret"))


def auth_headers(token: str) -> dict:
    return {"Authorization": f"Bearer {token}", "Regroup-Protocol": "1"}


# hlc times derive from the server's clock (db.utcnow): two hours before it when the tests start, so a
# stamp is never more than 5 minutes ahead (SYNC.md would take it as the server's time), whatever the date.
HLC_BASE = db.utcnow().replace(microsecond=0) - dt.timedelta(hours=2)


def stamp(minutes: float = 0) -> str:
    """An hlc time `minutes` after the tests' base (negative: before it)."""
    return db.iso(HLC_BASE + dt.timedelta(minutes=minutes))


def entry_op(entity_id: str | None = None, *, body: str = "hello", base_version: int = 0, op_id: str | None = None,
             hlc_time: str | None = None, counter: int = 1, device: str = "dev", **extra) -> dict:
    hlc_time = hlc_time or stamp(0)
    data = {"body": body, "title": None, "tags": [], "step_id": None, "created_at": hlc_time,
            "updated_at": hlc_time, "tz": "Europe/Dublin"}
    op = {"op_id": op_id or str(uuid.uuid4()), "entity": "journal_entry", "entity_id": entity_id or str(uuid.uuid4()),
          "kind": "upsert", "base_version": base_version, "hlc": f"{hlc_time}-{counter:04d}-{device}", "data": data}
    op.update(extra)
    return op
