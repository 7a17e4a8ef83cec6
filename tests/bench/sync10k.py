"""Item 4: a phone pushing, and a fresh phone pulling, 10,000 shared records to a real server process over
loopback: seconds and requests (issue 16). The phones are the app's own Services and sync engine."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from app.clock import clock_from_env
from app.demo_data import generate
from app.services import Services
from server import admin
from server.db import make_engine
from tests.bench import servers

RECORDS = 10_000


class Counting(httpx.AsyncHTTPTransport):
    """The real transport, counting requests by path."""

    def __init__(self):
        super().__init__()
        self.requests: dict[str, int] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests[request.url.path] = self.requests.get(request.url.path, 0) + 1
        return await super().handle_async_request(request)


async def _phone(folder: Path, counter: Counting) -> Services:
    services = Services(folder, clock=clock_from_env(), http=lambda: httpx.AsyncClient(transport=counter, timeout=60))
    await services.start()
    return services


def _cpu(server_pid: int) -> tuple[float, float]:
    """CPU seconds so far of this process (the phone: all its threads) and of the server process."""
    from tests.bench.server_load import cpu_seconds
    return time.process_time(), cpu_seconds([server_pid])


async def _run(work: Path, url: str, engine, server_pid: int) -> dict:
    family = admin.add_family(engine, "Sync bench", servers.SPECIALIST)
    pusher_dir = work / "phone-push"
    generate(pusher_dir, years=1, entries=0, checkin_count=RECORDS)
    counter = Counting()
    phone = await _phone(pusher_dir, counter)
    try:
        await phone.sharing.pair(server=url, code=admin.create_pairing_code(engine, family, None, "bench"),
                                 name="Pusher")
        await phone.sharing.set_default("checkin", True, include_existing=True)
        counter.requests.clear()
        cpu0 = _cpu(server_pid)
        began = time.perf_counter()
        report = await phone.sharing.sync_now()
        push_s = time.perf_counter() - began
        push_cpu = [b - a for a, b in zip(cpu0, _cpu(server_pid))]
        push_requests = dict(counter.requests)
    finally:
        await phone.close()
    member = _member_of(engine, family)
    with engine.begin() as conn:  # what the specialist sends: 10,000 messages to that member, in one transaction
        for i in range(RECORDS):
            admin._send_down(conn, family, "message", {"body": f"Message {i}: how did the talk go?",
                                                       "in_reply_to": None, "created_at": "2026-11-26T12:00:00.000Z",
                                                       "sender": "Sam"}, member, "bench")
    counter2 = Counting()
    fresh = await _phone(work / "phone-pull", counter2)
    try:
        code = admin.create_pairing_code(engine, family, member, "bench")
        await fresh.sharing.engine.pair(url, code, "Puller")  # pairing without its first sync
        counter2.requests.clear()
        cpu0 = _cpu(server_pid)
        began = time.perf_counter()
        pulled = await fresh.sharing.sync_now()
        pull_s = time.perf_counter() - began
        pull_cpu = [b - a for a, b in zip(cpu0, _cpu(server_pid))]
        pull_requests = dict(counter2.requests)
    finally:
        await fresh.close()
    return {"push_s": push_s, "push_requests": sum(push_requests.values()), "pushed": report.sent,
            "refused": report.refused, "pull_s": pull_s, "pull_requests": sum(pull_requests.values()),
            "pulled": pulled.received, "push_paths": push_requests, "pull_paths": pull_requests,
            "push_cpu_s": {"phone": round(push_cpu[0], 2), "server": round(push_cpu[1], 2)},
            "pull_cpu_s": {"phone": round(pull_cpu[0], 2), "server": round(pull_cpu[1], 2)}}


def _member_of(engine, family: str) -> str:
    from sqlalchemy import select
    from server import db
    with engine.connect() as conn:
        return conn.execute(select(db.members.c.id).where(db.members.c.family_id == family)).scalar_one()


def measure(work: Path) -> dict:
    """One run (the data set takes longer to make than to sync; the figure is a single run, said so)."""
    log = work / "sync-server.log"
    env = servers.server_env(work / "sync")
    url, proc = servers.start_server(env, log)
    engine = make_engine(servers.settings_for(env).url)
    try:
        admin.create_specialist(engine, servers.SPECIALIST, "Bench", "a long enough password 12")
        return asyncio.run(_run(work, url, engine, proc.pid))
    finally:
        engine.dispose()
        servers.stop([proc])
