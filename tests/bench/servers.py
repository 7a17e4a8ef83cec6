"""Real server processes for the bench: the Regroup server on SQLite or PostgreSQL, and the bare ceiling."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

from server import admin
from server.db import make_engine
from server.settings import Settings
from tests.e2e.harness import free_port

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN = os.environ.get("REGROUP_TEST_PG", "postgresql://root@127.0.0.1:5432/postgres")
REDIS = os.environ.get("REGROUP_BENCH_REDIS", "redis://127.0.0.1:6379/0")
SPECIALIST = "bench@practice.example"
# The server's code: this checkout, or another one to measure a baseline (git archive main | tar -x -C DIR).
SERVER_ROOT = Path(os.environ.get("REGROUP_BENCH_SERVER_ROOT") or ROOT)


def wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    for _ in range(300):
        if proc.poll() is not None:
            break
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"server at {url} did not start: {log.read_text()[-2000:]}")


def stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(timeout=15)
        except subprocess.TimeoutExpired:
            p.kill()


def start_server(env: dict, log: Path) -> tuple[str, subprocess.Popen]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "server", "serve"], cwd=SERVER_ROOT,
                            env={**env, "REGROUP_SERVER_PORT": str(port)},
                            stdout=subprocess.DEVNULL, stderr=log.open("ab"))
    wait_healthy(url, proc, log)
    return url, proc


def start_bare(log: Path) -> tuple[str, subprocess.Popen]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "tests.bench.bare", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=log.open("ab"))
    wait_healthy(url, proc, log)
    return url, proc


@contextlib.contextmanager
def pg_database():
    """A throwaway PostgreSQL database, dropped afterwards."""
    import psycopg
    name = f"regroup_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(work: Path, database_url: str | None = None, redis_url: str | None = None) -> dict:
    env = {**os.environ, "REGROUP_SERVER_DATA_DIR": str(work / "server"), "REGROUP_SECRET_KEY": "bench-secret"}
    for key in ("REGROUP_DATABASE_URL", "REGROUP_REDIS_URL"):
        env.pop(key, None)
    if database_url:
        env["REGROUP_DATABASE_URL"] = database_url
    if redis_url:
        env["REGROUP_REDIS_URL"] = redis_url
    return env


def settings_for(env: dict) -> Settings:
    return Settings.from_env(env)


def populate(env: dict, urls: list[str], families: int, members: int) -> list[dict]:
    """A specialist, `families` families of `members` members, each with one paired device (spread over urls)."""
    settings = settings_for(env)
    engine = make_engine(settings.url)
    try:
        admin.create_specialist(engine, SPECIALIST, "Bench", "a long enough password 12")
        devices = []
        for f in range(families):
            family = admin.add_family(engine, f"Family {f}", SPECIALIST)
            for m in range(members):
                url = urls[len(devices) % len(urls)]
                code = admin.create_pairing_code(engine, family, None, "bench")
                r = httpx.post(f"{url}/api/v1/pair", json={"code": code, "device_name": f"M{f}-{m}"}, timeout=30)
                r.raise_for_status()
                devices.append({"url": url, "token": r.json()["token"], "device_id": r.json()["device_id"]})
        return devices
    finally:
        engine.dispose()
