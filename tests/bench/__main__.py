"""`make bench` (issue 16): every figure beside a baseline measured in the same run, or a budget.

    .venv/bin/python -m tests.bench [--only startup,data10y,switch,pin,sync,server,dashboard,pwa] [--runs N] [--seconds S]

Prints a table and writes .bench/results.json (git-ignored) with the keys issue 16 lists. A figure that
could not be measured is printed and stored as "not measured" with its reason, never as a number.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / ".bench"
ITEMS = ("startup", "data10y", "switch", "pin", "sync", "server", "dashboard", "pwa")


def machine() -> dict:
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    return {"cores": os.cpu_count(), "memory_gib": round(mem_kb / 2**20, 1), "python": platform.python_version(),
            "platform": platform.platform(), "load_average_at_start": os.getloadavg()}


class Table:
    def __init__(self):
        self.rows: list[tuple] = []
        self.results: dict = {}

    def add(self, name: str, key: str | None, value, baseline=None, goal: str = "", met: bool | None = None,
            unit: str = "") -> None:
        if key:
            self.results[key] = value
        ratio = (value / baseline) if isinstance(value, (int, float)) and isinstance(baseline, (int, float)) \
            and baseline else None
        self.rows.append((name, value, baseline, ratio, goal, met, unit))

    def missing(self, names_keys: list[tuple[str, str]], reason: str) -> None:
        for name, key in names_keys:
            self.results[key] = reason if reason.startswith("not measured") else f"not measured: {reason}"
            self.rows.append((name, self.results[key], None, None, "", None, ""))

    def print(self) -> None:
        def fmt(v, unit=""):
            if v is None:
                return ""
            if isinstance(v, float):
                return f"{v:,.1f}{unit}" if abs(v) >= 10 else f"{v:,.2f}{unit}"
            if isinstance(v, int):
                return f"{v:,}{unit}"
            return str(v)
        print()
        print(f"{'figure':52} {'Regroup':>12} {'baseline':>12} {'ratio':>7}  {'goal':24} met")
        print("-" * 118)
        for name, value, base, ratio, goal, met, unit in self.rows:
            if isinstance(value, str):
                print(f"{name:52} {value}")
                continue
            print(f"{name:52} {fmt(value, unit):>12} {fmt(base, unit):>12} "
                  f"{(f'{ratio:.2f}x' if ratio is not None else ''):>7}  {goal:24} "
                  f"{'' if met is None else ('yes' if met else 'NO')}")


def bench_startup(t: Table, work: Path, runs: int) -> None:
    from tests.bench import data10y, startup
    folder = OUT / "data10y"
    data10y.ensure_data(folder)
    r = startup.measure(folder, work, runs)
    t.results["startup.detail"] = r
    t.add(f"start-up to first button in Chromium, 10y data (median of {runs}, alternated)", "startup.app_s",
          r["app_s"], r["hello_s"], "<= 1.1x hello-world", r["app_s"] <= 1.1 * r["hello_s"], " s")
    t.results["startup.hello_s"] = r["hello_s"]
    t.results["startup.ratio"] = round(r["app_s"] / r["hello_s"], 3)
    t.add(f"peak memory of the Python process, MiB (median of {runs})", None, r["app_mib"], r["hello_mib"],
          "<= 1.3x hello-world", r["app_mib"] <= 1.3 * r["hello_mib"])
    t.results["memory.ratio"] = round(r["app_mib"] / r["hello_mib"], 3)


def bench_data10y(t: Table, runs: int) -> None:
    from tests.bench import data10y
    folder = OUT / "data10y"
    made = data10y.ensure_data(folder)
    if made:
        print("made the 10-year data set:", made, flush=True)
    r = data10y.measure(folder, runs)
    f = r["figures"]
    label = f"(median of {r['runs']})"
    t.add(f"10y: open store + search index, saved index (median of {r['open_runs']})", "data10y.open_ms",
          f["open_ms"][0], f["open_ms"][1], "< 200 ms", f["open_ms"][0] < 200, " ms")
    t.add(f"10y: the same, first start or after a delete: no saved index (median of {r['open_runs']})",
          "data10y.open_cold_ms", f["open_cold_ms"][0], f["open_ms"][1], "< 200 ms", f["open_cold_ms"][0] < 200,
          " ms")
    t.add("  of which the store's PRAGMA quick_check at open", "data10y.quick_check_ms", f["quick_check_ms"][0],
          None, "", None, " ms")
    t.add(f"10y: journal list, first page {label}", None, f["list_first_ms"][0], f["list_first_ms"][1], "< 50 ms",
          f["list_first_ms"][0] < 50, " ms")
    t.add(f"10y: journal list, 100 pages back {label}", None, f["list_deep_ms"][0], f["list_deep_ms"][1],
          "< 50 ms", f["list_deep_ms"][0] < 50, " ms")
    t.results["data10y.journal_list_ms"] = max(f["list_first_ms"][0], f["list_deep_ms"][0])
    t.add(f"10y: search one word {label}", None, f["search_one_ms"][0], f["search_one_ms"][1], "< 50 ms",
          f["search_one_ms"][0] < 50, " ms")
    t.add(f"10y: search two words {label}", None, f["search_two_ms"][0], f["search_two_ms"][1], "< 50 ms",
          f["search_two_ms"][0] < 50, " ms")
    t.results["data10y.search_ms"] = max(f["search_one_ms"][0], f["search_two_ms"][0])
    t.add(f"10y: 90-day trend {label}", "data10y.trend90_ms", f["trend90_ms"][0], f["trend90_ms"][1], "< 50 ms",
          f["trend90_ms"][0] < 50, " ms")
    t.add(f"10y: use vs non-use, 90 days {label}", "data10y.use_vs_non_use_ms", f["use_vs_non_use_ms"][0],
          f["use_vs_non_use_ms"][1], "< 50 ms", f["use_vs_non_use_ms"][0] < 50, " ms")


def bench_switch(t: Table, work: Path, rounds: int) -> None:
    from tests.bench import data10y, switch
    folder = OUT / "data10y"
    data10y.ensure_data(folder)
    r = switch.measure(folder, work, rounds=rounds)
    t.results["switch.detail"] = r
    med, total = r["median_ms"], r["total_ms"]
    label = f"(medians of {rounds}, alternated)"
    for tab in switch.TABS:
        t.add(f"switch to {tab}, 10y vs empty store", None, med["10y"][tab], med["empty"][tab], "", None, " ms")
    t.add(f"screen switch, 5 tabs summed, 10y vs empty {label}", "switch.ratio", total["10y"], total["empty"],
          "<= 1.2x empty", total["10y"] <= 1.2 * total["empty"], " ms")
    t.results["switch.ratio"] = r["ratio"]
    for tab in switch.TABS:
        t.add(f"switch to {tab}, 10y vs a small store (60 entries)", None, med["10y"][tab], med["small"][tab], "",
              None, " ms")
    t.add(f"screen switch, 5 tabs summed, 10y vs small store {label}", "switch.small_ratio", total["10y"],
          total["small"], "(second baseline)", None, " ms")
    for tab in switch.TABS:
        t.add(f"switch to {tab} during a 10k pull vs without", None, med["10y+pull"][tab], med["10y"][tab], "",
              None, " ms")
    t.add(f"screen switch during a 10,000-record pull vs without {label}", None, total["10y+pull"], total["10y"],
          "<= 1.2x without", total["10y+pull"] <= 1.2 * total["10y"], " ms")
    t.results["sync.switch_ratio"] = r["pull_ratio"]
    t.add(f"  (pull alone, median s; switches that outlasted it: {r['switches_ended_after_pull']} of "
          f"{rounds * len(switch.TABS)})", None, r["pull_s_median"], None, "", None, " s")


def bench_pin(t: Table, runs: int) -> None:
    from app import lock
    from tests.bench_pin import BUDGET_MS, kdf_ms
    ms = kdf_ms(lock.CURRENT, runs)
    c = lock.CURRENT
    t.add(f"PIN key derivation, scrypt n=2^{c.n.bit_length() - 1} r={c.r} p={c.p} (median of {runs})", "pin.kdf_ms",
          ms, None, f"budget ~{BUDGET_MS} ms", ms <= BUDGET_MS, " ms")


def bench_sync(t: Table, work: Path) -> None:
    from tests.bench import sync10k
    r = sync10k.measure(work)
    t.results["sync.detail"] = r
    t.add(f"sync: push {r['pushed']:,} records (1 run)", "sync.push_s", r["push_s"], None, "< 5 s",
          r["push_s"] < 5, " s")
    t.add(f"sync: pull {r['pulled']:,} records, fresh phone (1 run)", "sync.pull_s", r["pull_s"], None, "< 5 s",
          r["pull_s"] < 5, " s")
    for what in ("push", "pull"):
        cpu = r[f"{what}_cpu_s"]
        t.add(f"sync: {what}, CPU seconds of phone + server (load-free; phone {cpu['phone']:.2f} s)",
              f"sync.{what}_cpu_s", round(cpu["phone"] + cpu["server"], 2), None, "< 5 s",
              cpu["phone"] + cpu["server"] < 5, " s")
    pushes = r["push_paths"].get("/api/v1/sync/push", 0)
    t.results["sync.requests"] = {"push": pushes, "pull": r["pull_requests"], "push_run_total": r["push_requests"]}
    t.add("sync: push requests (the run also pulled once)", None, pushes, None, "<= 100 (1 per 100)", pushes <= 100)
    t.add("sync: requests, pull", None, r["pull_requests"], None, "<= 100 (1 per 100)", r["pull_requests"] <= 100)


def bench_server(t: Table, work: Path, runs: int, seconds: float) -> None:
    from tests.bench import server_load
    got = {}
    for kind in ("bare", "sqlite", "postgres"):
        try:
            got[kind] = server_load.measure(kind, work, runs=runs, seconds=seconds)
            print(kind, {k: v for k, v in got[kind].items() if k != "runs"}, flush=True)
        except Exception as exc:  # noqa: BLE001 - a missing service is a reason, not a crash
            got[kind] = f"not measured: {type(exc).__name__}: {exc}"[:300]
    t.results["server.detail"] = got
    bare = got["bare"]
    label = f"(median of {runs} x {seconds:g} s, 50 devices)"
    if isinstance(bare, dict):
        t.add(f"server: bare FastAPI ceiling, requests/s {label}", "server.bare_rps", bare["rps"], None, "", None)
        t.add("server: bare ceiling, requests per server CPU-second", "server.bare_requests_per_cpu_s",
              bare["requests_per_cpu_s"], None, "", None)
    else:
        t.missing([("server: bare FastAPI ceiling, requests/s", "server.bare_rps")], bare)
    for kind, name in (("sqlite", "SQLite, 1 process"), ("postgres", "PostgreSQL, 2 processes + Redis")):
        r = got[kind]
        if not isinstance(r, dict):
            t.missing([(f"server {name}: ops/s", f"server.{kind}.ops_s")], r)
            continue
        t.add(f"server {name}: ops/s {label}", f"server.{kind}.ops_s", r["ops_s"], None, ">= 5,000",
              r["ops_s"] >= 5000)
        base = bare["rps"] if isinstance(bare, dict) else None
        t.add(f"server {name}: requests/s vs bare", None, r["rps"], base, ">= 0.40x bare",
              bool(base) and r["rps"] / base >= 0.4)
        t.results[f"server.{kind}.ratio"] = round(r["rps"] / base, 3) if base else "not measured: no ceiling"
        t.add(f"server {name}: ops per server CPU-second (load-free)", f"server.{kind}.ops_per_cpu_s",
              r["ops_per_cpu_s"], None, ">= 5,000", r["ops_per_cpu_s"] >= 5000)
        base_cpu = bare["requests_per_cpu_s"] if isinstance(bare, dict) else None
        t.add(f"server {name}: requests per CPU-second vs bare", f"server.{kind}.cpu_ratio",
              r["requests_per_cpu_s"], base_cpu, ">= 0.40x bare", bool(base_cpu) and
              r["requests_per_cpu_s"] / base_cpu >= 0.4)
        t.add(f"server {name}: p50 ms", None, r["p50_ms"], None, "", None)
        t.add(f"server {name}: p99 ms", f"server.{kind}.p99_ms", r["p99_ms"], None, "", None)


def bench_dashboard(t: Table, work: Path, runs: int) -> None:
    from tests.bench import dashboard
    r = dashboard.measure(work, runs=runs)
    t.results["dashboard.detail"] = r
    t.add(f"dashboard: family page, 10 members x a year ({r['records']:,} records), ms (median of {r['family_runs']})",
          "dashboard.family_ms", r["family_ms"], None, "budget 300 ms", r["family_ms"] <= 300, " ms")
    t.add(f"dashboard: family page, KB (HTTP {r['family_status']})", "dashboard.family_kb", r["family_kb"], None,
          "budget 200 KB", r["family_kb"] <= 200)
    t.add(f"dashboard: list of 200 families, ms (median of {r['list_runs']})", "dashboard.list_ms", r["list_ms"], None,
          "budget 300 ms", r["list_ms"] <= 300, " ms")
    t.add(f"dashboard: list of 200 families, KB (HTTP {r['list_status']})", "dashboard.list_kb", r["list_kb"], None,
          "budget 200 KB", r["list_kb"] <= 200)


def bench_pwa(t: Table, runs: int) -> None:
    from tests.bench import pwa
    r = pwa.measure(runs)
    t.results["pwa.detail"] = r
    label = f"(median of {runs}, alternated)"
    t.add(f"PWA first visit, MB gzip ({r['regroup_files']:.0f} files) vs hello-world PWA {label}",
          "pwa.first_visit_mb", round(r["regroup_gzip_bytes"] / 1e6, 2), round(r["hello_gzip_bytes"] / 1e6, 2),
          "<= 1.5x hello-world", r["regroup_gzip_bytes"] <= 1.5 * r["hello_gzip_bytes"])
    t.results["pwa.transfer_ratio"] = round(r["regroup_gzip_bytes"] / r["hello_gzip_bytes"], 3)
    t.add(f"PWA cached start to the first named control vs hello-world {label}", "pwa.cached_start_s",
          r["regroup_cached_s"], r["hello_cached_s"], "<= 1.5x hello-world",
          r["regroup_cached_s"] <= 1.5 * r["hello_cached_s"], " s")
    t.results["pwa.cached_start_ratio"] = round(r["regroup_cached_s"] / r["hello_cached_s"], 3)
    t.add(f"PWA first visit to the first named control vs hello-world {label}", "pwa.first_start_s",
          r["regroup_first_s"], r["hello_first_s"], "", None, " s")
    from tests.bench import data10y
    folder = OUT / "data10y"
    data10y.ensure_data(folder)
    y = pwa.measure_10y(folder, runs)
    t.results["pwa.data10y"] = y
    t.add(f"PWA with the 10y data ({y['files_mb']} MB in IndexedDB): start to the first named control "
          f"(median of {runs}) vs the empty first visit", "pwa.data10y_start_s", y["start_s"], r["regroup_first_s"],
          "", None, " s")
    t.add(f"PWA with the 10y data: Journal tab to its first page (median of {runs})", "pwa.data10y_journal_s",
          y["journal_s"], None, "< 2 s", y["journal_s"] < 2, " s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(ITEMS), help=f"comma-separated, from {', '.join(ITEMS)}")
    parser.add_argument("--runs", type=int, default=3, help="runs per server load and dashboard page")
    parser.add_argument("--seconds", type=float, default=8, help="length of one server load")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    OUT.mkdir(exist_ok=True)
    began = time.perf_counter()
    t = Table()
    t.results["machine"] = machine()
    work = Path(tempfile.mkdtemp(prefix="regroup-bench-"))
    steps = [("startup", lambda: bench_startup(t, work, 5), [("start-up vs hello-world", "startup.ratio"),
                                                             ("start-up, Regroup", "startup.app_s"),
                                                             ("start-up, hello-world", "startup.hello_s"),
                                                             ("peak memory vs hello-world", "memory.ratio")]),
             ("data10y", lambda: bench_data10y(t, 7), [("10y: open + index", "data10y.open_ms"),
                                                        ("10y: journal list", "data10y.journal_list_ms"),
                                                        ("10y: search", "data10y.search_ms"),
                                                        ("10y: 90-day trend", "data10y.trend90_ms")]),
             ("switch", lambda: bench_switch(t, work, 5), [("screen switch, 10y vs empty", "switch.ratio"),
                                                           ("screen switch during a pull", "sync.switch_ratio")]),
             ("pin", lambda: bench_pin(t, 5), [("PIN key derivation", "pin.kdf_ms")]),
             ("sync", lambda: bench_sync(t, work), [("sync push", "sync.push_s"), ("sync pull", "sync.pull_s"),
                                                    ("sync requests", "sync.requests")]),
             ("server", lambda: bench_server(t, work, args.runs, args.seconds), []),
             ("dashboard", lambda: bench_dashboard(t, work, args.runs),
              [("dashboard family ms", "dashboard.family_ms"), ("dashboard family KB", "dashboard.family_kb"),
               ("dashboard list ms", "dashboard.list_ms")]),
             ("pwa", lambda: bench_pwa(t, args.runs), [("PWA first visit vs hello-world", "pwa.transfer_ratio"),
                                                       ("PWA cached start vs hello-world", "pwa.cached_start_ratio")])]
    try:
        for name, run, keys in steps:
            if name not in only:
                t.missing(keys, f"not measured: left out with --only")
                continue
            print(f"measuring {name} ...", flush=True)
            step_began = time.perf_counter()
            try:
                run()
            except Exception as exc:  # noqa: BLE001 - one failing measure must not hide the others
                traceback.print_exc()
                t.missing(keys, f"{type(exc).__name__}: {exc}"[:300])
            print(f"  {name}: {time.perf_counter() - step_began:.0f} s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    t.results["machine"]["load_average_at_end"] = os.getloadavg()
    t.results["machine"]["bench_seconds"] = round(time.perf_counter() - began, 1)
    t.print()
    (OUT / "results.json").write_text(json.dumps(t.results, indent=2, default=str))
    print(f"\n{sys.argv[0]}: {t.results['machine']['bench_seconds']} s; figures in {OUT / 'results.json'}; "
          f"load average {t.results['machine']['load_average_at_start']} -> {t.results['machine']['load_average_at_end']}"
          f" on {t.results['machine']['cores']} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
