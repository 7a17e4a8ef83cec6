"""Items 3 and 8: switching screens in Chromium, from a tab press to the new screen's first named control (its
heading), for each of the five bottom tabs (screens/routes.py DESTINATIONS).

Four phones, alternated round by round so that the machine's load moves them alike:
  * "empty": an onboarded person with nothing saved (the baseline of item 3);
  * "small": 60 entries and 120 check-ins, every screen's first page full (a second baseline: 10 years
    against the same screens with little behind them, where "empty" shows empty states);
  * "10y": the same with the 10-year demo data in the data folder (item 3);
  * "10y + pull": the same 10-year app process while it pulls 10,000 records from a local server (item 8;
    its baseline is "10y"). Before each of these switches the phone's pull cursor is set back to 0 and a
    second tab on the same app process (one Services, one store thread, as two windows share them) taps
    "Send and check now"; the tab is pressed once the first page of the pull has been stored, and the
    cursor is read again when the heading appears: a switch that ended after the pull is counted apart.

The time is taken in the page: from the tab's pointerdown (window, capture phase) to a mutation of the
semantics tree that shows a heading with the tab's name, so Playwright's polling adds nothing to it.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import statistics
import time
from pathlib import Path

from app import store
from app.demo_data import generate
from tests.e2e.harness import CHROMIUM_ARGS, PHONE, AppProcess, Phone, seed

TABS = ("Today", "Journeys", "Journal", "Check-in", "More")
RECORDS = 10_000
# A second baseline: enough to fill every screen's first page (the journal's 50 entries, the latest check-ins),
# so that 10 years are compared with the same screens full rather than with empty states.
SMALL_ENTRIES, SMALL_CHECKINS = 60, 120

ARM_JS = """(label) => {
  const named = () => [...document.querySelectorAll('[role=heading], h1, h2, h3, h4, h5, h6')].some(
      h => ((h.getAttribute('aria-label') || h.textContent || '').trim() === label));
  const there = named();
  window.__switch = new Promise(resolve => {
    let t0 = null;
    const start = () => { if (t0 === null) t0 = performance.now(); };
    window.addEventListener('pointerdown', start, {capture: true, once: true});
    window.addEventListener('mousedown', start, {capture: true, once: true});
    const check = () => {
      if (t0 !== null && named()) { observer.disconnect(); clearInterval(poll); resolve(performance.now() - t0); }
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
    const poll = setInterval(check, 50);  // a safety net; the observer normally answers first
    setTimeout(() => { observer.disconnect(); clearInterval(poll); resolve(-1); }, 60000);
  });
  return there;
}"""


def _switch(phone: Phone, label: str) -> float:
    """Milliseconds from pressing the tab to the heading of its screen."""
    tab = phone.wait("tab", label, exact=False, timeout=60_000)  # More carries an unread count
    if phone.page.evaluate(ARM_JS, label):
        raise RuntimeError(f"a heading {label!r} was already on screen before its tab was pressed")
    tab.click()
    ms = phone.page.evaluate("() => window.__switch")
    if ms < 0:
        raise RuntimeError(f"the {label} screen's heading did not appear within 60 s")
    phone.settle(quiet=150, cap=3_000)  # the screen's late parts (lists, charts) land before the next press
    return ms


def _order(start: str) -> list[str]:
    """Every tab once, starting after the one on screen (each press leaves a different screen)."""
    i = TABS.index(start)
    return [TABS[(i + k) % len(TABS)] for k in range(1, len(TABS) + 1)]


class _Cursor:
    """The phone's pull cursor, read from its store file (a second WAL reader; no text is read)."""

    def __init__(self, data_dir: Path):
        self.conn = sqlite3.connect(store.db_path(data_dir), timeout=10)

    def get(self) -> int:
        return self.conn.execute("SELECT cursor FROM sync_connection").fetchone()[0]

    def reset(self) -> None:
        with self.conn:
            self.conn.execute("UPDATE sync_connection SET cursor = 0")

    def wait(self, test, what: str, timeout: float = 120) -> int:
        deadline = time.monotonic() + timeout
        while True:
            value = self.get()
            if test(value):
                return value
            if time.monotonic() > deadline:
                raise RuntimeError(f"waited {timeout:.0f} s for the pull cursor to {what} (at {value})")
            time.sleep(0.01)


def measure(data10y: Path, work: Path, rounds: int = 5, with_pull: bool = True) -> dict:
    from playwright.sync_api import sync_playwright
    empty_dir, full_dir = work / "switch-empty" / "data", work / "switch-10y" / "data"
    small_dir = work / "switch-small" / "data"
    seed(empty_dir, onboarded=True)
    generate(small_dir, years=1, entries=SMALL_ENTRIES, checkin_count=SMALL_CHECKINS)
    seed(small_dir, onboarded=True)
    full_dir.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(data10y, full_dir)
    seed(full_dir, onboarded=True)
    server = None
    final = 0
    if with_pull:
        server = _prepare_pull(work, full_dir)
        final = server["final"]
    apps = {"empty": AppProcess(empty_dir).start(120), "small": AppProcess(small_dir).start(120),
            "10y": AppProcess(full_dir).start(120)}
    samples: dict[str, dict[str, list[float]]] = {k: {t: [] for t in TABS}
                                                  for k in ("empty", "small", "10y", "10y+pull")}
    after_pull, pull_s = 0, []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            try:
                phones = {}
                for name, app in apps.items():
                    phone = Phone(browser.new_context(viewport=PHONE).new_page(), f"bench-{name}").open(app.url)
                    phone.wait("heading", "Today", timeout=120_000)
                    phones[name] = phone
                cursor = sharing = None
                if with_pull:
                    cursor = _Cursor(full_dir)
                    cursor.wait(lambda v: v >= final, "reach the end of the first sync")
                    sharing = Phone(browser.new_context(viewport=PHONE).new_page(), "bench-sync").open(
                        apps["10y"].url + "sharing")
                    sharing.wait("button", "Send and check now", timeout=120_000)
                at = {"empty": "Today", "small": "Today", "10y": "Today"}
                for name in ("empty", "small", "10y"):  # a first visit of each screen (Flutter builds its widgets once)
                    for label in _order(at[name]):
                        _switch(phones[name], label)
                        at[name] = label
                for _ in range(rounds):
                    for name in ("empty", "small", "10y"):
                        for label in _order(at[name]):
                            samples[name][label].append(_switch(phones[name], label))
                            at[name] = label
                    if with_pull:
                        for label in _order(at["10y"]):
                            cursor.reset()
                            sharing.wait("button", "Send and check now").click()
                            tapped = time.monotonic()
                            cursor.wait(lambda v: v > 0, "move (the pull's first page stored)", timeout=60)
                            ms = _switch(phones["10y"], label)
                            if cursor.get() >= final:
                                after_pull += 1  # the pull had ended before the heading came
                            samples["10y+pull"][label].append(ms)
                            at["10y"] = label
                            cursor.wait(lambda v: v >= final, "reach the end of the pull")
                            pull_s.append(time.monotonic() - tapped)
                            sharing.settle(quiet=150, cap=3_000)
            finally:
                browser.close()
    finally:
        for app in apps.values():
            app.stop()
        if server:
            server["stop"]()
    return _summary(samples, rounds, after_pull, with_pull, pull_s)


def _prepare_pull(work: Path, full_dir: Path) -> dict:
    from sqlalchemy import func, select
    from server import admin, db
    from server.db import make_engine
    from tests.bench import servers
    env = servers.server_env(work / "switch-server")
    url, proc = servers.start_server(env, work / "switch-server.log")
    engine = make_engine(servers.settings_for(env).url)
    try:
        admin.create_specialist(engine, servers.SPECIALIST, "Bench", "a long enough password 12")
        family = admin.add_family(engine, "Switch bench", servers.SPECIALIST)
        code = admin.create_pairing_code(engine, family, None, "bench")
        _pair_with_code(full_dir, url, code)
        with engine.connect() as conn:
            member = conn.execute(select(db.members.c.id).where(db.members.c.family_id == family)).scalar_one()
        with engine.begin() as conn:
            for i in range(RECORDS):
                admin._send_down(conn, family, "message", {"body": f"Message {i}: how did the talk go?",
                                                           "in_reply_to": None,
                                                           "created_at": "2026-11-26T12:00:00.000Z",
                                                           "sender": "Sam"}, member, "bench")
        with engine.connect() as conn:
            final = conn.execute(select(func.max(db.changes.c.seq)).where(db.changes.c.family_id == family)
                                 ).scalar_one()
    finally:
        engine.dispose()
    return {"url": url, "final": final, "stop": lambda: servers.stop([proc])}


def _pair_with_code(data_dir: Path, url: str, code: str) -> None:
    import httpx
    from app.clock import clock_from_env
    from app.services import Services

    async def pair():
        services = Services(data_dir, clock=clock_from_env(), http=lambda: httpx.AsyncClient(timeout=60))
        await services.start()
        try:
            await services.sharing.engine.pair(url, code, "Switcher")
        finally:
            await services.close()
    asyncio.run(pair())


def _summary(samples: dict, rounds: int, after_pull: int, with_pull: bool, pull_s: list[float]) -> dict:
    med = {k: {t: (statistics.median(v) if v else None) for t, v in per.items()} for k, per in samples.items()}
    total = {k: (sum(m.values()) if all(x is not None for x in m.values()) else None) for k, m in med.items()}
    out = {"rounds": rounds, "median_ms": med, "total_ms": total, "samples": samples,
           "ratio": round(total["10y"] / total["empty"], 3),
           "worst_tab_ratio": max((med["10y"][t] / med["empty"][t], t) for t in TABS),
           "small_ratio": round(total["10y"] / total["small"], 3),
           "worst_tab_small_ratio": max((med["10y"][t] / med["small"][t], t) for t in TABS)}
    if with_pull:
        out["pull_ratio"] = round(total["10y+pull"] / total["10y"], 3)
        out["worst_tab_pull_ratio"] = max((med["10y+pull"][t] / med["10y"][t], t) for t in TABS)
        out["switches_ended_after_pull"] = after_pull
        out["pull_s_median"] = round(statistics.median(pull_s), 2) if pull_s else None
    return out
