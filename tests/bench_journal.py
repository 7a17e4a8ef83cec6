"""Benchmark the journal and trends on a 10-year data set (figures only; no assertions).

    .venv/bin/python -m tests.bench_journal [DIR]

Makes the data set with app.demo_data when DIR holds none, then times, in this
Python process: opening the store with the search index, the first page of the
journal list, a search, a tag filter, and the 90-day trend, each the median of
several runs.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from app import store, trends
from app.clock import clock_from_env
from app.demo_data import generate
from app.store import journal
from app.store import trends as series


def timed(fn, runs: int = 7) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples), result


def main(folder: Path) -> None:
    if not (folder / store.DB_NAME).exists():
        print("generating:", generate(folder))
    began = time.perf_counter()
    clock = clock_from_env()
    s = store.open_store(folder, clock=clock)
    opened = (time.perf_counter() - began) * 1000
    began = time.perf_counter()
    size = journal.build_index(s)
    indexed = (time.perf_counter() - began) * 1000
    today = clock.today()
    since90 = (today - dt.timedelta(days=89)).isoformat()
    deep = journal.list_entries(s, limit=5000)[1]
    rows = [
        ("open store", opened, ""),
        ("build search index (once, at start)", indexed, f"{size} entries"),
    ]
    for name, fn in [
        ("journal list, first page", lambda: journal.list_entries(s)),
        ("journal list, a page 100 pages back", lambda: journal.list_entries(s, before=deep)),
        ("search 'boundary'", lambda: journal.list_entries(s, query="boundary")),
        ("search two words 'specialist tries'", lambda: journal.list_entries(s, query="specialist tries")),
        ("filter by tag 'hope', last year", lambda: journal.list_entries(
            s, tag="hope", day_from=(today - dt.timedelta(days=365)).isoformat())),
        ("90-day mood and stress trend", lambda: series.daily_series(s, since=since90, until=today.isoformat())),
        ("use vs non-use comparison, 90 days", lambda: trends.use_vs_non_use(
            series.day_records(s, since=since90, until=today.isoformat()))),
    ]:
        ms, result = timed(fn)
        detail = f"{len(result[0])} shown" if isinstance(result, tuple) else (
            f"{len(result)} days" if isinstance(result, list) else "")
        rows.append((name, ms, detail))
    s.close()
    for name, ms, detail in rows:
        print(f"{name:45} {ms:8.1f} ms  {detail}")


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "data"
    main(target)
