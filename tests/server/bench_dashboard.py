"""Page weight and server time of the dashboard with a year of shared data (not collected by pytest).

    .venv/bin/python tests/server/bench_dashboard.py --members 10 --members 50

Each member shares a year: a check-in a day, a WHO-5 a week, 100 journal entries (~600 characters), three
worksheets and ten messages. Prints the family page's HTML size and its median server time, and the
family list's time with 200 families. Run from another checkout's root to measure that code instead."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, os.getcwd())

from server import db  # noqa: E402
from server.settings import Settings  # noqa: E402
from tests.server.conftest import auth_headers, make_world, stamp  # noqa: E402

BODY = ("Today was hard again. He came home late and would not talk. I kept to the plan and did not shout. "
        "I made tea and sat with it for a while, then called my sister. ") * 2


def year_of(member_id: str) -> list[dict]:
    start = dt.datetime(2025, 12, 1, 20, tzinfo=dt.timezone.utc)
    ops = []

    def op(entity, data, minutes):
        return {"op_id": str(uuid.uuid4()), "entity": entity, "entity_id": str(uuid.uuid4()), "kind": "upsert",
                "base_version": 0, "hlc": f"{stamp(-minutes)}-0001-bench", "data": data}
    for d in range(365):
        when = db.iso(start + dt.timedelta(days=d))
        ops.append(op("checkin", {"mood": 1 + d % 5, "feelings": [], "stress": d % 11, "sleep": 3, "note": None,
                                  "loved_one_day": None, "my_response": [], "created_at": when, "tz": "UTC"}, d))
        if d % 7 == 0:
            items = [d % 6] * 5
            ops.append(op("wellbeing", {"items": items, "score": sum(items) * 4, "created_at": when, "tz": "UTC"}, d))
        if d % 4 == 0 and sum(1 for o in ops if o["entity"] == "journal_entry") < 100:
            ops.append(op("journal_entry", {"body": BODY, "title": f"Day {d}", "tags": [], "step_id": None,
                                            "created_at": when, "updated_at": when, "tz": "UTC"}, d))
        if d % 36 == 0:
            ops.append(op("message", {"body": "Could we talk this week?", "in_reply_to": None, "created_at": when}, d))
    for kind, step in (("reapproach_plan", "reapproach.plan"), ("rewards", "reapproach.rewards"),
                       ("safety_plan", "coping.safety-plan")):
        ops.append(op("worksheet", {"journey_id": step.split(".")[0], "step_id": step, "kind": kind,
                                    "fields": {"who": "Me and his sister", "when_where": "Saturday, on a walk"},
                                    "updated_at": db.iso(start)}, 1))
    return ops


def build(world, members: int) -> str:
    world.specialist("bench@practice.test", "Bench")
    family = world.family("bench@practice.test", "The Benches")
    for n in range(members):
        device = world.pair(family, f"Member {n}")
        ops = year_of(device["member_id"])
        for i in range(0, len(ops), 100):
            r = world.client.post("/api/v1/sync/push", headers=auth_headers(device["token"]), json={"ops": ops[i:i + 100]})
            assert r.status_code == 200, r.text
    return family


def timed(client, url: str, runs: int = 5) -> tuple[int, float]:
    sizes, times = [], []
    for _ in range(runs):
        started = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert r.status_code == 200, r.status_code
        sizes.append(len(r.content))
    return sizes[-1], statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, action="append", default=None)
    parser.add_argument("--families", type=int, default=200)
    args = parser.parse_args()
    for members in args.members or [10]:
        with tempfile.TemporaryDirectory() as tmp:
            world = make_world(Settings(data_dir=Path(tmp) / "s", secret_key="bench", device_limit="100000/minute"))
            family = build(world, members)
            size, ms = timed(world.login("bench@practice.test"), f"/families/{family}")
            print(f"family page, {members} members with a year each: {size / 1024:.0f} KB of HTML, {ms:.0f} ms median")
    with tempfile.TemporaryDirectory() as tmp:
        world = make_world(Settings(data_dir=Path(tmp) / "s", secret_key="bench", device_limit="100000/minute"))
        world.specialist("bench@practice.test", "Bench")
        for n in range(args.families):
            family = world.family("bench@practice.test", f"Family {n:03d}")
            if n % 4 == 0:
                device = world.pair(family, "Ana")
                world.client.post("/api/v1/sync/push", headers=auth_headers(device["token"]),
                                  json={"ops": year_of(device["member_id"])[:60]})
        size, ms = timed(world.login("bench@practice.test"), "/")
        print(f"family list, {args.families} families: {size / 1024:.0f} KB of HTML, {ms:.0f} ms median")


if __name__ == "__main__":
    main()
