"""Item 7: the dashboard's family page (10 members, a year of shared data each) and the list of 200 families,
by URL against a real server process: milliseconds and kilobytes (budgets, issue 16). The dashboard is being
reworked in parallel, so only its URLs are assumed: /login, / and /families/{id}."""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import time
from pathlib import Path

import httpx

from app.demo_data import CHECKINS_A_YEAR, ENTRIES_A_YEAR
from server import admin, db, sync
from server.db import make_engine
from tests.bench import servers
from tests.bench.load import make_op

PASSWORD = "a long enough password 12"


def _year_of_ops(device_id: str, seed: int) -> list[dict]:
    """A member's year at the demo generator's rates: journal entries and check-ins spread over the year."""
    rng, ops, end = random.Random(seed), [], db.utcnow() - dt.timedelta(hours=1)
    total = ENTRIES_A_YEAR + CHECKINS_A_YEAR
    for i in range(total):
        when = db.iso(end - dt.timedelta(seconds=rng.random() * 365 * 86400))
        op = make_op(rng, device_id, i + 1, when)
        while (op["entity"] == "journal_entry") != (i < ENTRIES_A_YEAR):
            op = make_op(rng, device_id, i + 1, when)
        ops.append(op)
    return ops


def _populate(engine, members: int, families: int) -> str:
    admin.create_specialist(engine, servers.SPECIALIST, "Bench", PASSWORD)
    big = admin.add_family(engine, "The Byrnes", servers.SPECIALIST)
    for f in range(families - 1):
        admin.add_family(engine, f"Family {f}", servers.SPECIALIST)
    for m in range(members):
        code = admin.create_pairing_code(engine, big, None, "bench")
        paired = sync.pair(engine, code, f"Member {m}")
        device = sync.Device(paired["device_id"], paired["family_id"], paired["member_id"])
        ops = _year_of_ops(device.id, m)
        for i in range(0, len(ops), 100):
            sync.push(engine, device, ops[i:i + 100])
    return big


def _sign_in(client: httpx.Client) -> None:
    page = client.get("/login").text
    stamp = page.split('name="stamp" value="')[1].split('"')[0]
    token = page.split('name="token" value="')[1].split('"')[0]
    r = client.post("/login", data={"email": servers.SPECIALIST, "password": PASSWORD, "stamp": stamp,
                                    "token": token}, follow_redirects=False)
    if r.status_code != 303:
        raise RuntimeError(f"sign-in failed: {r.status_code}")


def _time(client: httpx.Client, path: str, runs: int, cap_s: float = 20) -> tuple[float, float, int, int]:
    """Median of `runs` GETs, fewer when they have already taken cap_s (a page of many seconds)."""
    samples, size, status = [], 0, 0
    for _ in range(runs):
        if sum(samples) > cap_s * 1000:
            break
        began = time.perf_counter()
        r = client.get(path)
        samples.append((time.perf_counter() - began) * 1000)
        size, status = len(r.content), r.status_code
    return statistics.median(samples), size / 1024, status, len(samples)


def measure(work: Path, runs: int = 5, members: int = 10, families: int = 200) -> dict:
    env = servers.server_env(work / "dash")
    settings = servers.settings_for(env)
    settings.prepare_data_dir()
    engine = make_engine(settings.url)
    db.migrate(engine)
    began = time.perf_counter()
    big = _populate(engine, members, families)
    setup_s = time.perf_counter() - began
    engine.dispose()
    url, proc = servers.start_server(env, work / "dash-server.log")
    try:
        with httpx.Client(base_url=url, timeout=120) as client:
            _sign_in(client)
            family_ms, family_kb, family_status, family_runs = _time(client, f"/families/{big}", runs)
            list_ms, list_kb, list_status, list_runs = _time(client, "/", runs)
    finally:
        servers.stop([proc])
    return {"family_ms": family_ms, "family_kb": family_kb, "family_status": family_status, "list_ms": list_ms,
            "list_kb": list_kb, "list_status": list_status, "family_runs": family_runs, "list_runs": list_runs, "setup_s": setup_s,
            "records": members * (ENTRIES_A_YEAR + CHECKINS_A_YEAR), "note": json.dumps(
                {"members": members, "families": families})}
