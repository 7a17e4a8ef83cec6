"""Benchmark the PIN's key derivation (issue 16, item 6: a budget, no baseline; figures only).

    .venv/bin/python -m tests.bench_pin [--runs 7] [--json]

Times one unlock's scrypt derivation with the parameters the app stores today (app.lock.CURRENT),
the median of several runs, and, for tuning, the costs one step below and above. `--json` prints
only {"pin.kdf_ms": ..., "pin.params": ...} for `make bench` to merge into .bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

from app import lock

BUDGET_MS = 250  # the aim: slow for a guesser, quick enough for a person


def kdf_ms(params: lock.KdfParams, runs: int) -> float:
    samples = []
    for _ in range(runs):
        salted = lock.KdfParams(params.n, params.r, params.p, os.urandom(16))
        began = time.perf_counter()
        lock.derive("4821", "pin", salted)
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    current = lock.CURRENT
    ms = kdf_ms(current, args.runs)
    params = {"name": current.name, "version": current.version, "n": current.n, "r": current.r, "p": current.p,
              "memory_mib": 128 * current.n * current.r // 2 ** 20}
    if args.json:
        print(json.dumps({"pin.kdf_ms": round(ms, 1), "pin.params": params}))
        return
    print(f"PIN key derivation, median of {args.runs} runs on {os.cpu_count()} cores")
    for n in (current.n // 2, current.n, current.n * 2):
        figure = ms if n == current.n else kdf_ms(lock.KdfParams(n, current.r, current.p), args.runs)
        mark = "  <- stored today" if n == current.n else ""
        print(f"  scrypt n=2^{n.bit_length() - 1} r={current.r} p={current.p} "
              f"({128 * n * current.r // 2 ** 20} MiB): {figure:7.1f} ms{mark}")
    print(f"budget about {BUDGET_MS} ms: a 4-digit PIN's 10,000 values take "
          f"{10_000 * ms / 1000 / 60:.0f} min on one core; 6 digits {1_000_000 * ms / 1000 / 3600:.0f} h")


if __name__ == "__main__":
    main()
