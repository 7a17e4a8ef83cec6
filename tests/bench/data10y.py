"""Item 2: ten years of data (20,000 journal entries, 40,000 check-ins, text encrypted) in the Python process,
each screen's work against raw SQLite reading the same rows (issue 16)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import statistics
import time
from pathlib import Path

from app import store, trends
from app.clock import clock_from_env
from app.demo_data import generate
from app.store import journal
from app.store import trends as series


def _ms(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


def ensure_data(folder: Path) -> dict | None:
    """The demo generator's ten years, made once into folder (git-ignored .bench/)."""
    if (folder / store.DB_NAME).exists():
        return None
    return generate(folder, years=10)


def _open_and_index(folder: Path, clock):
    s = store.open_store(folder, clock=clock)
    journal.build_index(s)
    return s


def _without_saved_index(folder: Path) -> None:
    with sqlite3.connect(store.db_path(folder)) as raw:
        raw.execute("DELETE FROM meta WHERE key = ?", [journal.SNAPSHOT])


def _cold(folder: Path, clock) -> None:
    _without_saved_index(folder)
    _open_and_index(folder, clock).close()


def measure(folder: Path, runs: int = 7) -> dict:
    clock = clock_from_env()
    open_runs = max(3, runs // 2)
    # Alternated: the first start (no saved index: every entry decrypted, then the index saved) and the next
    # ones (the saved index read and checked against the table).
    cold, warm = [], []
    for _ in range(open_runs):
        cold.append(_ms(lambda: _cold(folder, clock), 1))
        warm.append(_ms(lambda: _open_and_index(folder, clock).close(), 1))
    open_ms, cold_ms = statistics.median(warm), statistics.median(cold)
    raw = sqlite3.connect(store.db_path(folder))
    check_ms = _ms(lambda: raw.execute("PRAGMA quick_check").fetchall(), open_runs)
    s = _open_and_index(folder, clock)
    try:
        today = clock.today()
        since90, until = (today - dt.timedelta(days=89)).isoformat(), today.isoformat()
        deep = journal.list_entries(s, limit=5000)[1]  # the cursor 100 pages of 50 back
        q = "SELECT * FROM journal_entries WHERE deleted_at IS NULL {} ORDER BY rowid DESC LIMIT 51"
        figures = {
            "open_ms": (open_ms, _ms(lambda: raw.execute(
                "SELECT id, body_enc, title_enc, tags FROM journal_entries").fetchall(), open_runs)),
            "open_cold_ms": (cold_ms, None),
            "quick_check_ms": (check_ms, None),
            "list_first_ms": (_ms(lambda: journal.list_entries(s), runs),
                              _ms(lambda: raw.execute(q.format("")).fetchall(), runs)),
            "list_deep_ms": (_ms(lambda: journal.list_entries(s, before=deep), runs),
                             _ms(lambda: raw.execute(q.format("AND rowid < ?"), [deep]).fetchall(), runs)),
            "search_one_ms": (_ms(lambda: journal.list_entries(s, query="boundary"), runs),
                              _ms(lambda: raw.execute(q.format("")).fetchall(), runs)),
            "search_two_ms": (_ms(lambda: journal.list_entries(s, query="specialist tries"), runs),
                              _ms(lambda: raw.execute(q.format("")).fetchall(), runs)),
            "trend90_ms": (_ms(lambda: series.daily_series(s, since=since90, until=until), runs),
                           _ms(lambda: raw.execute("SELECT local_day, mood, stress FROM checkins WHERE "
                                                   "local_day >= ? AND local_day <= ?", [since90, until]).fetchall(),
                               runs)),
            "use_vs_non_use_ms": (_ms(lambda: trends.use_vs_non_use(series.day_records(s, since=since90,
                                                                                      until=until)), runs),
                                  _ms(lambda: raw.execute("SELECT local_day, mood, loved_one_day, my_response FROM "
                                                          "checkins WHERE local_day >= ? AND local_day <= ?",
                                                          [since90, until]).fetchall(), runs)),
        }
        entries = journal.count_entries(s)
    finally:
        raw.close()
        s.close()
    return {"figures": figures, "entries": entries, "runs": runs, "open_runs": open_runs}
