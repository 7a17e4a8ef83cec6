"""Issue 18's speed figures: the offline web app against a hello-world PWA built the same way, alternated.

- First visit: what the page, Python's worker and the service worker's precache download, gzip-compressed as a
  server would send each file, until the first named control is on screen and the precache is complete.
- Cached start: the same browser profile opened again (the service worker answers), to the first named control.

The hello-world is a one-button Flet app staged, published and fixed by the same steps of web/build.py (the
flet publish fixes, the bundled wheels, the precaching service worker), with only flet in its requirements.

    .venv/bin/python -m tests.bench --only pwa        (needs `make web` first: dist/web)
"""

from __future__ import annotations

import gzip
import json
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from tests.e2e.harness import CHROMIUM_ARGS, PHONE, free_port
from web import build
from web.serve import serve

HELLO_MAIN = '''"""A hello-world Flet app: the baseline of the PWA benchmark (tests/bench/pwa.py)."""
import flet as ft


def main(page: ft.Page) -> None:
    page.add(ft.Text("Hello"), ft.Button("Hello world"))


ft.run(main, view=ft.AppView.WEB_BROWSER, web_renderer=ft.WebRenderer.CANVAS_KIT, no_cdn=True)
'''
FIRST_CONTROL = {"regroup": "Start using Regroup", "hello": "Hello world"}
TIMEOUT = 240_000  # ms: Python starting in the browser on a busy 2-core machine


def build_hello(dist: Path) -> Path:
    """The hello-world PWA through web/build.py's own steps, into `dist`."""
    stage, cache = build.WORK / "hello-stage", build.WORK / "flet-cache"
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    (stage / "main.py").write_text(HELLO_MAIN, encoding="utf-8")
    shutil.copytree(build.ROOT / "assets", stage / "assets", ignore=shutil.ignore_patterns("*.ttf", "OFL.txt", ".*"))
    (stage / "requirements.txt").write_text(f"flet=={build.md.version('flet')}\n")
    version, python_full = build.prepare_flet_cache(cache)
    manifest = build.WORK / "python-build-manifest.json"
    manifest.write_text(json.dumps(build.python_build_manifest(version, python_full)))
    graph = build.requirement_closure(["flet"], build.requires_of)
    wheels = build.fetch_wheels(graph, build.WORK / "wheels")
    if dist.exists():
        shutil.rmtree(dist)
    build.run_publish(stage, dist, manifest, cache)
    build.apply_fixes(dist)
    build.bundle_wheels(dist, graph, wheels)
    build.write_service_worker(dist)
    return dist


class _Site:
    def __init__(self, dist: Path):
        self.dist = dist
        self.server = serve(dist, free_port())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def gzip_bytes(self) -> tuple[int, int]:
        """Files sent since the last call (200s), and their size gzip-compressed."""
        paths = {p for p in self.server.requested if (self.dist / p.lstrip("/")).is_file()}
        self.server.requested.clear()
        return len(paths), sum(len(gzip.compress((self.dist / p.lstrip("/")).read_bytes(), 6)) for p in paths)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _to_first_control(page, url: str, name: str) -> float:
    began = time.monotonic()
    page.goto(url)
    page.wait_for_selector("#loading", state="detached", timeout=TIMEOUT)
    page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=TIMEOUT)
    page.locator("flt-semantics-placeholder").dispatch_event("click")
    page.get_by_role("button", name=name, exact=True).first.wait_for(state="visible", timeout=TIMEOUT)
    return time.monotonic() - began


def _visit_twice(p, chromium: str, site: _Site, name: str, folder: Path) -> dict:
    """A first visit in a new profile (until the precache is complete), then a cached start of the same."""
    def open_():
        ctx = p.chromium.launch_persistent_context(str(folder), executable_path=chromium, args=CHROMIUM_ARGS,
                                                   viewport=PHONE, locale="en-US", timezone_id="UTC",
                                                   service_workers="allow")
        return ctx, (ctx.pages[0] if ctx.pages else ctx.new_page())
    site.gzip_bytes()
    ctx, page = open_()
    first = _to_first_control(page, site.url, name)
    page.wait_for_function("() => !!window.regroupOffline", timeout=TIMEOUT)
    files, gz = site.gzip_bytes()
    ctx.close()
    ctx, page = open_()
    cached = _to_first_control(page, site.url, name)
    ctx.close()
    return {"first_s": first, "cached_s": cached, "files": files, "gzip_bytes": gz}


def measure(runs: int = 3) -> dict:
    """Regroup's dist/web against the hello-world, alternated; medians of `runs`."""
    if not (build.DIST / "index.html").is_file():
        raise RuntimeError("dist/web is not built: run `make web` first")
    from playwright.sync_api import sync_playwright
    began = time.monotonic()
    hello_dist = build_hello(build.WORK / "hello-dist")
    built_s = time.monotonic() - began
    sites = {"regroup": _Site(build.DIST), "hello": _Site(hello_dist)}
    got: dict[str, list[dict]] = {"regroup": [], "hello": []}
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
            for i in range(runs):
                for kind in (("regroup", "hello") if i % 2 == 0 else ("hello", "regroup")):
                    got[kind].append(_visit_twice(p, chromium, sites[kind], FIRST_CONTROL[kind],
                                                  Path(tmp) / f"{kind}-{i}"))
                    print(kind, i, {k: round(v, 2) for k, v in got[kind][-1].items()}, flush=True)
    finally:
        for site in sites.values():
            site.close()

    def med(kind, key):
        return statistics.median(r[key] for r in got[kind])
    return {"runs": runs, "hello_build_s": round(built_s, 1),
            **{f"{kind}_{key}": round(med(kind, key), 2) for kind in got
               for key in ("first_s", "cached_s", "gzip_bytes", "files")},
            "detail": got}


# IDBFS (Emscripten) keeps the data folder in the IndexedDB database named after the mount point, one record
# per path: {timestamp, mode, contents}. Writing the 10-year folder there before the app starts is what a
# family's phone holds after ten years of use.
SEED_IDBFS = """async (files) => {
  const db = await new Promise((ok, fail) => {
    const r = indexedDB.open("/regroup", 21);
    r.onupgradeneeded = () => r.result.createObjectStore("FILE_DATA").createIndex("timestamp", "timestamp",
                                                                                   {unique: false});
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
  const now = new Date(), entries = [["/regroup", {timestamp: now, mode: 0o40700}]];
  for (const name of files) {
    const body = new Uint8Array(await (await fetch("__seed__/" + name)).arrayBuffer());
    entries.push(["/regroup/" + name, {timestamp: now, mode: 0o100600, contents: body}]);
  }
  await new Promise((ok, fail) => {
    const tx = db.transaction("FILE_DATA", "readwrite"), store = tx.objectStore("FILE_DATA");
    for (const [path, entry] of entries) store.put(entry, path);
    tx.oncomplete = ok;
    tx.onerror = () => fail(tx.error);
  });
  db.close();
  return entries.length;
}"""


def _newest_words(folder: Path) -> str:
    """The start of the newest entry's words: on the journal's first card once the list has drawn."""
    from app import store
    from app.store import journal
    s = store.open_store(folder)
    try:
        entry = journal.list_entries(s)[0][0]
    finally:
        s.close()
    return " ".join(entry.body.split())[:30]


def measure_10y(folder: Path, runs: int = 3) -> dict:
    """The 10-year data set in the browser: a start to the first named control, and the journal's first page
    from the tab press (budget: under 2 s), against the same start with an empty store just onboarded."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.harness import Phone
    if not (build.DIST / "index.html").is_file():
        raise RuntimeError("dist/web is not built: run `make web` first")
    names = sorted(p.name for p in folder.iterdir() if p.is_file())
    words = _newest_words(folder)
    site = _Site(build.DIST)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    starts, journal_s, sizes = [], [], sum((folder / n).stat().st_size for n in names)
    try:
        with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
            for i in range(runs):
                ctx = p.chromium.launch_persistent_context(
                    str(Path(tmp) / f"10y-{i}"), executable_path=chromium, args=CHROMIUM_ARGS, viewport=PHONE,
                    locale="en-US", timezone_id="UTC", service_workers="allow")
                ctx.route("**/__seed__/*", lambda route: route.fulfill(
                    body=(folder / route.request.url.rsplit("/", 1)[-1]).read_bytes()))
                page = ctx.pages[0] if ctx.pages else ctx.new_page()
                page.goto(site.url + "version.json")
                page.evaluate(SEED_IDBFS, names)
                phone = Phone(page, f"pwa-10y-{i}")
                began = time.monotonic()
                phone.open(site.url)
                phone.wait("tab", "Journal", timeout=TIMEOUT)
                starts.append(time.monotonic() - began)
                phone.settle()
                began = time.monotonic()
                phone.control("tab", "Journal").first.click()
                phone.see(words, timeout=60_000)
                journal_s.append(time.monotonic() - began)
                print("10y", i, round(starts[-1], 2), round(journal_s[-1], 2), flush=True)
                ctx.close()
    finally:
        site.close()
    return {"runs": runs, "files_mb": round(sizes / 1e6, 1), "start_s": round(statistics.median(starts), 2),
            "journal_s": round(statistics.median(journal_s), 2), "starts": starts, "journal": journal_s}
