"""Sharing over a real socket to a real server process that is killed (SIGKILL) in the middle of a push.

The server is `python -m server serve` on a free port with its SQLite file; the app is the real Services
with httpx over TCP. Killed before a batch reached it, or after it committed a batch whose answer never
left, the server is started again on the same file and the next sync completes: every shared record is
there exactly once (version 1: a replayed op answered `duplicate`, never applied twice)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from app.clock import FixedClock
from app.services import Services
from server import db
from tests.sync_world import NOW, ServerAdmin

ROOT = Path(__file__).resolve().parents[1]
RECORDS = 230  # three batches of at most 100


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    def __init__(self, tmp: Path):
        self.port = _free_port()
        self.env = {**os.environ, "REGROUP_SERVER_DATA_DIR": str(tmp / "srv"), "REGROUP_SERVER_PORT": str(self.port),
                    "REGROUP_SECRET_KEY": "socket-test"}
        self.env.pop("REGROUP_DATABASE_URL", None)
        self.env.pop("REGROUP_REDIS_URL", None)
        self.db_path = tmp / "srv" / "server.db"
        self.log = tmp / "server.log"
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cli(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run([sys.executable, "-m", "server", *args], cwd=ROOT, env=self.env, input=stdin, text=True,
                              capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout.strip().splitlines()[-1]

    def start(self) -> None:
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen([sys.executable, "-m", "server", "serve"], cwd=ROOT, env=self.env,
                                         stdout=subprocess.DEVNULL, stderr=out)
        for _ in range(600):
            try:
                if httpx.get(self.url + "/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        pytest.fail(f"the server did not start: {self.log.read_text(errors='replace')[-2000:]}", pytrace=False)

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


@pytest.fixture
def server(tmp_path):
    srv = ServerProcess(tmp_path)
    srv.cli("create-specialist", "--email", "sam@practice.test", "--name", "Sam Rivera",
            stdin="a long enough password 12\n")
    srv.start()
    yield srv
    srv.kill()


@pytest.mark.parametrize("when", ["before_the_batch_arrives", "after_the_batch_is_stored"])
def test_a_server_killed_mid_push_loses_nothing_and_doubles_nothing(server, tmp_path, when):
    family = server.cli("add-family", "--name", "The Byrnes", "--specialist", "sam@practice.test")
    code = server.cli("pairing-code", "--family", family)
    pushes = {"n": 0}

    async def on_request(request: httpx.Request):
        if request.url.path.endswith("/sync/push"):
            pushes["n"] += 1
            if pushes["n"] == 2 and when == "before_the_batch_arrives":
                server.kill()

    async def on_response(response: httpx.Response):
        if response.request.url.path.endswith("/sync/push") and pushes["n"] == 2 and when == "after_the_batch_is_stored":
            server.kill()  # the server committed the batch; its answer dies with it
            raise httpx.ReadError("the server died before its answer arrived", request=response.request)

    def client():
        return httpx.AsyncClient(event_hooks={"request": [on_request], "response": [on_response]})

    async def go():
        services = Services(tmp_path / "phone", clock=FixedClock(NOW, zone="Europe/Dublin"), http=client)
        await services.start()
        await services.sharing.pair(server=server.url, code=code, name="Maria")
        await services.sharing.set_default("checkin", True)
        for i in range(RECORDS):
            await services.checkins.add(mood=1 + i % 5, note=f"note {i}")
        first = await services.sharing.sync_now()
        assert first.error == "server_unreachable", first
        assert (await services.sharing.status()).waiting > 0
        server.start()
        second = await services.sharing.sync_now()
        assert second.error is None, second
        status = await services.sharing.status()
        assert status.waiting == 0 and status.refused == 0
        await services.close()

    asyncio.run(go())
    assert pushes["n"] >= 4  # three batches and the one that was cut off
    engine = db.make_engine(f"sqlite:///{server.db_path}")
    try:
        held = ServerAdmin(engine).records(family)
        with engine.begin() as conn:
            ops = conn.execute(select(func.count()).select_from(db.ops)).scalar_one()
    finally:
        engine.dispose()
    assert len(held) == RECORDS
    assert {r["version"] for r in held.values()} == {1}  # none applied twice
    assert sorted(r["data"]["note"] for r in held.values()) == sorted(f"note {i}" for i in range(RECORDS))
    assert ops == RECORDS  # one stored op each: a replay answered from the first, never stored again
