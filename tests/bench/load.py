"""A small asyncio load generator: simulated devices pushing 100-op batches for a fixed time (issue 16, item 5).

    python -m tests.bench.load --devices devices.json --seconds 8 [--warmup 2]

devices.json: [{"url": "http://127.0.0.1:PORT", "token": "..."}, ...]. Prints one JSON line:
ops/s (ops answered in a 200), requests/s, p50 and p99 in ms, errors by status.

Why httpx and not locust: httpx is already the project's HTTP client, one asyncio process keeps 50
devices in flight on one core without locust's gevent workers and web UI, and the bodies are made
before they are needed, so the generator's own cost stays small beside the server's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import time
import uuid

import httpx

OPS_PER_BATCH = 100
WORDS = ("today hard quieter intervention small win talked sister sleep called family group boundary money "
         "dinner guilt breathing phone listened tired walked clearer connection hope specialist tries").split()


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def make_op(rng: random.Random, device_id: str, counter: int, now: str) -> dict:
    """A realistic new record: seven journal entries of 40 to 120 words for every three check-ins."""
    entity_id = str(uuid.uuid4())
    if rng.random() < 0.7:
        entity, data = "journal_entry", {
            "body": _text(rng, rng.randint(40, 120)), "title": rng.choice([None, _text(rng, 4)]),
            "tags": rng.sample(["hope", "boundary", "relapse", "self_care", "talk"], rng.randint(0, 3)),
            "step_id": None, "created_at": now, "updated_at": now, "tz": "Europe/Dublin"}
    else:
        entity, data = "checkin", {
            "mood": rng.randint(1, 5), "feelings": rng.sample(["anxious", "hopeful", "tired", "angry"], 2),
            "stress": rng.randint(0, 10), "sleep": rng.randint(1, 5), "note": rng.choice([None, _text(rng, 12)]),
            "loved_one_day": rng.choice(["use", "non_use", "unknown", None]), "my_response": [],
            "created_at": now, "tz": "Europe/Dublin"}
    return {"op_id": str(uuid.uuid4()), "entity": entity, "entity_id": entity_id, "kind": "upsert",
            "base_version": 0, "hlc": f"{now}-{counter:04d}-{device_id}", "data": data}


PLACE = re.compile(r"@(\d{3})([OEC])@")


def make_bodies(device_id: str, count: int, seed: int, now: str) -> list[bytes]:
    """count batches of new records. Three batches' worth of records are made, then each body takes one of
    them with fresh op ids, entity ids and hlc counters (cheap: the generator must not need the CPU the
    server is measured with)."""
    rng, shapes = random.Random(seed), []
    for _ in range(min(count, 3)):
        ops = []
        for k in range(OPS_PER_BATCH):
            op = make_op(rng, device_id, 0, now)
            op.update(op_id=f"@{k:03d}O@", entity_id=f"@{k:03d}E@", hlc=f"{now}-@{k:03d}C@-{device_id}")
            ops.append(op)
        shapes.append(json.dumps({"ops": ops}, ensure_ascii=False))
    run, bodies = uuid.uuid4().hex, []
    for b in range(count):
        def fill(m: re.Match, b=b) -> str:
            k, what = int(m.group(1)), m.group(2)
            if what == "O":
                return f"{run}-{b}-{k}"
            if what == "E":
                return f"{run[:8]}-{run[8:12]}-{run[12:16]}-{b:04x}-{k:012x}"
            return f"{b * OPS_PER_BATCH + k + 1:04d}"
        bodies.append(PLACE.sub(fill, shapes[b % len(shapes)]).encode())
    return bodies


async def run(devices: list[dict], seconds: float, warmup: float, bodies_each: int, now: str,
              cycle: bool = False) -> dict:
    began = time.perf_counter()
    pools = [make_bodies(d.get("device_id", "dev"), bodies_each, i, now) for i, d in enumerate(devices)]
    made_s = time.perf_counter() - began
    clients = {url: httpx.AsyncClient(base_url=url, timeout=120, limits=httpx.Limits(max_connections=len(devices)))
               for url in {d["url"] for d in devices}}
    start = time.perf_counter() + 0.2
    measure_from, stop = start + warmup, start + warmup + seconds
    latencies, ops, statuses, ran_out, every_op = [], 0, {}, 0, 0

    async def device(d: dict, pool: list[bytes]) -> None:
        nonlocal ops, ran_out, every_op
        client, headers = clients[d["url"]], {"Authorization": f"Bearer {d['token']}", "Regroup-Protocol": "1",
                                              "Content-Type": "application/json"}
        await asyncio.sleep(max(0.0, start - time.perf_counter()))
        for i in range(10**9):
            if i >= len(pool) and not cycle:
                break
            body, sent = pool[i % len(pool)], time.perf_counter()
            if sent >= stop:
                return
            r = await client.post("/api/v1/sync/push", content=body, headers=headers)
            done = time.perf_counter()
            if r.status_code == 200:
                every_op += OPS_PER_BATCH
            if measure_from <= done <= stop:
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                latencies.append((done - sent) * 1000)
                if r.status_code == 200:
                    ops += OPS_PER_BATCH
        ran_out += 1

    await asyncio.gather(*(device(d, p) for d, p in zip(devices, pools)))
    for c in clients.values():
        await c.aclose()
    ok = statuses.get(200, 0)
    q = statistics.quantiles(latencies, n=100) if len(latencies) >= 2 else [float("nan")] * 99
    return {"ops_s": round(ops / seconds, 1), "rps": round(ok / seconds, 1), "p50_ms": round(q[49], 1),
            "p99_ms": round(q[98], 1), "statuses": {str(k): v for k, v in statuses.items()},
            "devices": len(devices), "seconds": seconds, "bodies_made_s": round(made_s, 2),
            "devices_out_of_bodies": ran_out,
            "ops_all": every_op}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", required=True)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--bodies", type=int, default=40, help="batches made in advance per device")
    parser.add_argument("--cycle", action="store_true", help="send the bodies again (the bare endpoint)")
    parser.add_argument("--now", required=True, help="the hlc time of every op (near the server's clock)")
    args = parser.parse_args(argv)
    with open(args.devices) as f:
        devices = json.load(f)
    print(json.dumps(asyncio.run(run(devices, args.seconds, args.warmup, args.bodies, args.now, args.cycle))))


if __name__ == "__main__":
    main()
