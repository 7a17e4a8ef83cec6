"""Many devices pushing at once: every applied op gets a distinct seq, no gaps, each op applied once.

Runs on SQLite, on the real local PostgreSQL, and with two server processes on one PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, text

from server import db, sync
from server.settings import Settings
from tests.e2e.harness import free_port
from tests.server.conftest import auth_headers, entry_op, make_world

ROOT = Path(__file__).resolve().parents[2]
DEVICES, THREADS_PER_DEVICE, BATCHES, OPS_PER_BATCH = 4, 2, 6, 5


def hammer(post, tokens) -> list[dict]:
    """Each device's threads push batches at the same time; every batch is sent twice (a replay)."""
    jobs = [(token, [entry_op() for _ in range(OPS_PER_BATCH)]) for token in tokens
            for _ in range(THREADS_PER_DEVICE * BATCHES)]

    def send(job):
        token, ops = job
        first = post(token, ops)
        again = post(token, ops)
        return ops, first, again

    with ThreadPoolExecutor(max_workers=len(tokens) * THREADS_PER_DEVICE) as pool:
        return list(pool.map(send, jobs))


def check(engine, family_id, outcomes) -> None:
    applied = []
    for ops, first, again in outcomes:
        assert [r["status"] for r in first] == ["applied"] * len(ops)
        assert [r["status"] for r in again] == ["duplicate"] * len(ops)
        assert [(r["version"], r["seq"]) for r in again] == [(r["version"], r["seq"]) for r in first]
        applied += [r["seq"] for r in first]
    with engine.begin() as conn:
        latest = conn.execute(select(db.families.c.latest_seq).where(db.families.c.id == family_id)).scalar_one()
        op_rows = conn.execute(select(func.count()).select_from(db.ops).where(db.ops.c.family_id == family_id)).scalar()
        records = conn.execute(select(func.count()).select_from(db.records)
                               .where(db.records.c.family_id == family_id)).scalar()
        logged = sorted(conn.execute(select(db.changes.c.seq).where(db.changes.c.family_id == family_id)).scalars())
    total = len(outcomes) * OPS_PER_BATCH
    assert len(applied) == len(set(applied)) == total          # distinct seqs
    assert sorted(applied) == list(range(1, total + 1)) == logged  # no gaps, in the log too
    assert latest == total and op_rows == total and records == total  # each op applied exactly once


def in_process(world):
    world.specialist("c@x.test")
    family = world.family("c@x.test")
    devices = [sync.Device(p["device_id"], p["family_id"], p["member_id"])
               for p in (world.pair(family, f"D{i}") for i in range(DEVICES))]
    engine = world.engine

    def post(device, ops):
        return sync.push(engine, device, ops)
    check(engine, family, hammer(post, devices))


def test_concurrent_pushes_on_sqlite(tmp_path):
    in_process(make_world(Settings(data_dir=tmp_path / "s", secret_key="k")))


def test_concurrent_pushes_on_postgresql(pg_url, tmp_path):
    in_process(make_world(Settings(data_dir=tmp_path / "s", secret_key="k", database_url=pg_url)))


def test_audit_log_is_append_only_on_sqlite_and_postgresql(pg_url, tmp_path):
    for settings in (Settings(data_dir=tmp_path / "s", secret_key="k"),
                     Settings(data_dir=tmp_path / "p", secret_key="k", database_url=pg_url)):
        world = make_world(settings)
        world.specialist("d@x.test")
        family = world.family("d@x.test")
        for statement in ("UPDATE audit SET action = 'nothing'", "DELETE FROM audit"):
            with pytest.raises(Exception, match="append-only"):
                with world.engine.begin() as conn:
                    conn.execute(text(statement))
        with world.engine.begin() as conn:
            assert conn.execute(select(func.count()).select_from(db.audit_log)
                                .where(db.audit_log.c.family_id == family)).scalar() == 1
        world.engine.dispose()


def _serve(port: int, env: dict) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "server", "serve"], cwd=ROOT,
                            env={**env, "REGROUP_SERVER_PORT": str(port)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(150):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(proc.stderr.read().decode(errors="replace"))


def test_two_server_processes_on_one_postgresql_behave_like_one(pg_url, tmp_path):
    env = {**os.environ, "REGROUP_DATABASE_URL": pg_url, "REGROUP_SECRET_KEY": "shared-secret",
           "REGROUP_SERVER_DATA_DIR": str(tmp_path / "srv")}
    cli = [sys.executable, "-m", "server"]
    run = lambda *a, stdin=None: subprocess.run(cli + list(a), cwd=ROOT, env=env, input=stdin, text=True,  # noqa: E731
                                                capture_output=True, check=True).stdout.strip().splitlines()[-1]
    run("migrate")
    run("create-specialist", "--email", "e@x.test", "--name", "E", stdin="a long enough password\n")
    family = run("add-family", "--name", "Two processes", "--specialist", "e@x.test")
    ports = [free_port(), free_port()]
    procs = [_serve(p, env) for p in ports]
    try:
        tokens = []
        for i in range(DEVICES):
            code = run("pairing-code", "--family", family)
            r = httpx.post(f"http://127.0.0.1:{ports[i % 2]}/api/v1/pair", json={"code": code, "device_name": f"D{i}"})
            tokens.append(r.json()["token"])
        clients = [httpx.Client(base_url=f"http://127.0.0.1:{p}", timeout=60) for p in ports]
        counter = iter(range(10**6))

        def post(token, ops):
            client = clients[next(counter) % 2]  # alternate processes, even for a replay of the same batch
            r = client.post("/api/v1/sync/push", json={"ops": ops}, headers=auth_headers(token))
            assert r.status_code == 200, r.text
            return r.json()["results"]
        outcomes = hammer(post, tokens)
        from server.db import make_engine
        engine = make_engine(Settings(database_url=pg_url).url)
        check(engine, family, outcomes)
        engine.dispose()
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=10)
