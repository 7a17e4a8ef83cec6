"""Item 5: 50 devices in 10 families push 100-op batches for a fixed time, against the server on SQLite
(one process), on PostgreSQL (two processes and Redis) and against the bare ceiling (issue 16)."""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from server import db
from tests.bench import servers

FAMILIES, MEMBERS = 10, 5


def _load(devices: list[dict], work: Path, seconds: float, warmup: float, cycle: bool = False) -> dict:
    spec = work / "devices.json"
    spec.write_text(json.dumps(devices))
    now = db.iso(db.utcnow() - dt.timedelta(minutes=1))
    bodies = 8 if cycle else max(4, int((warmup + seconds) * 10_000 / 100 / len(devices)) + 2)
    out = subprocess.run([sys.executable, "-m", "tests.bench.load", "--devices", str(spec), "--seconds", str(seconds),
                          "--warmup", str(warmup), "--bodies", str(bodies), "--now", now]
                         + (["--cycle"] if cycle else []), cwd=servers.ROOT, capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of these processes so far (all their threads), from /proc."""
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def _median(runs: list[dict]) -> dict:
    keys = ("ops_s", "rps", "p50_ms", "p99_ms", "ops_per_cpu_s", "requests_per_cpu_s")
    merged = {k: statistics.median(r[k] for r in runs) for k in keys}
    merged["runs"] = runs
    return merged


def measure(kind: str, work: Path, *, runs: int = 3, seconds: float = 8, warmup: float = 2) -> dict:
    """kind: sqlite, postgres or bare. Median of `runs` loads (each a fixed time after a warm-up)."""
    log = work / f"{kind}.log"
    procs = []
    with (servers.pg_database() if kind == "postgres" else _nothing()) as pg_url:
        try:
            if kind == "bare":
                url, proc = servers.start_bare(log)
                procs.append(proc)
                devices = [{"url": url, "token": "x", "device_id": f"d{i}"} for i in range(FAMILIES * MEMBERS)]
            else:
                env = servers.server_env(work / kind, pg_url, servers.REDIS if kind == "postgres" else None)
                if kind == "postgres":  # both processes start on a migrated database
                    subprocess.run([sys.executable, "-m", "server", "migrate"], cwd=servers.ROOT, env=env,
                                   check=True, capture_output=True)
                urls = []
                for _ in range(2 if kind == "postgres" else 1):
                    url, proc = servers.start_server(env, log)
                    urls.append(url)
                    procs.append(proc)
                devices = servers.populate(env, urls, FAMILIES, MEMBERS)
            results = []
            for _ in range(runs):
                cpu_before = cpu_seconds([p.pid for p in procs])
                r = _load(devices, work, seconds, warmup, cycle=kind == "bare")
                r["server_cpu_s"] = round(cpu_seconds([p.pid for p in procs]) - cpu_before, 2)
                # Load-independent: what one core of the server's own processes got done (PostgreSQL's and
                # Redis's own CPU not counted)
                r["ops_per_cpu_s"] = round(r["ops_all"] / r["server_cpu_s"], 1) if r["server_cpu_s"] else None
                r["requests_per_cpu_s"] = round(r["ops_all"] / 100 / r["server_cpu_s"], 1) if r["server_cpu_s"] \
                    else None
                results.append(r)
            return _median(results)
        finally:
            servers.stop(procs)


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def main() -> None:
    import argparse
    parser = argparse.ArgumentParser()
    parser.add_argument("kinds", nargs="*", default=["sqlite", "postgres", "bare"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.kinds:
            r = measure(kind, Path(tmp), runs=args.runs, seconds=args.seconds)
            print(kind, json.dumps({k: v for k, v in r.items() if k != "runs"}),
                  [x["statuses"] for x in r["runs"]], flush=True)


if __name__ == "__main__":
    main()
