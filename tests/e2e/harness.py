"""Drive Regroup as a person would: the real app process, Debian's Chromium at phone size, semantics on."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from app.clock import CLOCK_ENV, FixedClock, zone_info
from app.store import open_store
from app.store.settings import save_settings

ROOT = Path(__file__).resolve().parents[2]
# Every browser test runs the app on a set date (no test depends on the day it runs): a wall time
# in a zone, shared by the app (REGROUP_CLOCK, TZ) and by what the test writes into its store.
E2E_NOW, E2E_TZ = "2026-11-26T10:30:00", "UTC"
SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"
PHONE = {"width": 412, "height": 915}
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-domain-reliability", "--no-pings"]


# Resolves once the semantics tree has held still for `quiet` ms (at most `cap` ms in all), then after two animation
# frames so that what is drawn matches the tree, to whether anything changed. With `first` the quiet counts only
# from a first change (`settle`: the app's answer is on its way); without it from now (`still`: a screen already
# still costs `quiet`, not the cap).
QUIET_JS = """([quiet, cap, first]) => new Promise(resolve => {
  const host = document.querySelector('flt-semantics-host') || document.body;
  let changed = false, timer = null, limit = null;
  const finish = () => { observer.disconnect(); clearTimeout(timer); clearTimeout(limit);
                         requestAnimationFrame(() => requestAnimationFrame(() => resolve(changed))); };
  const observer = new MutationObserver(() => { changed = true; clearTimeout(timer); timer = setTimeout(finish, quiet); });
  observer.observe(host, {subtree: true, childList: true, attributes: true, characterData: true});
  if (!first) timer = setTimeout(finish, quiet);
  limit = setTimeout(finish, cap);
})"""
# An address change inside the page: Flutter's router hears the popstate and Flet sends the new route to the app.
# The path is the app's route, taken from the page's base (/ here, /app/ where the server hosts the web app).
NAVIGATE_JS = """(path) => {
  history.pushState(null, '', new URL(path.replace(/^\\/+/, ''), document.baseURI).pathname);
  window.dispatchEvent(new PopStateEvent('popstate', {state: null}));
}"""
FOCUSED_EDITOR_JS = "() => !!document.activeElement && ['INPUT', 'TEXTAREA'].includes(document.activeElement.tagName)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def e2e_clock(now: str = E2E_NOW, tz: str = E2E_TZ) -> FixedClock:
    """The test's clock: a wall time in a zone."""
    import datetime as dt
    return FixedClock(dt.datetime.fromisoformat(now).replace(tzinfo=zone_info(tz)), zone=tz)


def seed(data_dir: Path, *, now: str = E2E_NOW, tz: str = E2E_TZ, **settings) -> None:
    """Settings written before the app starts (as a person who already onboarded)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    s = open_store(data_dir, clock=e2e_clock(now, tz))
    save_settings(s, **settings)
    s.close()


def read_store(data_dir: Path, fn, *args):
    """Look at what the app saved, through the same store and key (a second WAL reader)."""
    s = open_store(data_dir, clock=e2e_clock())
    try:
        return fn(s, *args)
    finally:
        s.close()


def stored(data_dir: Path, fn, *args, expected, timeout: float = 15.0):
    """read_store until it gives `expected` (then return it) or the time is up (then fail with what it gave):
    an autosave says "Saved" once its own write is done, but a screen can hold more than one such line, and
    the app draws some answers before its store thread has written them."""
    deadline = time.monotonic() + timeout
    while (value := read_store(data_dir, fn, *args)) != expected:
        if time.monotonic() > deadline:
            raise AssertionError(f"the store holds {value!r}, not {expected!r}")
        time.sleep(0.1)
    return value


@dataclass
class AppProcess:
    """main.py on a free port with its own data folder, as `make run` starts it, on the test's date."""

    data_dir: Path
    now: str = E2E_NOW
    tz: str = E2E_TZ
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None
    log_path: Path | None = None
    started_in: float = 0.0
    env: dict[str, str] = field(default_factory=dict)  # more environment (REGROUP_LOCALES_DIR for pseudo-locales)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self, timeout: float = 60) -> "AppProcess":
        env = {**os.environ, "REGROUP_DATA_DIR": str(self.data_dir), "REGROUP_PORT": str(self.port),
               "PYTHONUNBUFFERED": "1", CLOCK_ENV: self.now, "TZ": self.tz, **self.env}
        self.log_path = self.data_dir.parent / f"app-{self.port}.log"
        began = time.monotonic()
        self.proc = subprocess.Popen([sys.executable, "main.py"], cwd=ROOT, env=env,
                                     stdout=self.log_path.open("wb"), stderr=subprocess.STDOUT)
        while time.monotonic() - began < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the app exited early:\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    self.started_in = time.monotonic() - began
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"the app did not answer on {self.port}:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class NetworkGuard:
    """Records every request; anything beyond loopback must have been stopped by the page's CSP."""

    def __init__(self):
        self.outside: list[str] = []
        self.blocked: list[str] = []

    def attach(self, page) -> None:
        page.on("request", self._on_request)
        page.on("requestfailed", self._on_failed)

    @staticmethod
    def _is_local(url: str) -> bool:
        parsed = urlparse(url)
        return parsed.scheme in ("data", "blob") or parsed.hostname in LOOPBACK

    def _on_request(self, request) -> None:
        if not self._is_local(request.url):
            self.outside.append(request.url)

    def _on_failed(self, request) -> None:
        if not self._is_local(request.url) and (request.failure or "").lower() == "csp":
            self.blocked.append(request.url)

    def escaped(self) -> list[str]:
        """Requests to the network that the browser did not refuse itself."""
        blocked = list(self.blocked)
        left = []
        for url in self.outside:
            if url in blocked:
                blocked.remove(url)
            else:
                left.append(url)
        return left


class Phone:
    """A Playwright page with the verbs a test needs, finding controls by role and name."""

    def __init__(self, page, name_prefix: str):
        self.page = page
        self.prefix = name_prefix
        self.guard = NetworkGuard()
        self.guard.attach(page)
        self.first_frame_in = 0.0

    def open(self, url: str) -> "Phone":
        began = time.monotonic()
        self.page.goto(url)
        self.page.wait_for_selector("#loading", state="detached", timeout=60_000)
        self.page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=30_000)
        self.first_frame_in = time.monotonic() - began
        self.enable_semantics()
        return self

    def goto(self, url: str) -> "Phone":
        """Open another address in this tab (the Flet session carries on) and wait for the screen."""
        self.page.goto(url)
        return self._after_load()

    def visit(self, path: str) -> "Phone":
        """Go to another screen by its address without loading the page again: the address changes in the
        page's history and the app follows it (as after the browser's Back), about 1 s where `goto` loads
        Flutter and a new session again (3-5 s, more on a busy machine). For walks over many screens; a test
        of a fresh load keeps `goto`. Waits until the screen's words have changed and then hold still."""
        before = self.screen_text()
        self.page.evaluate(NAVIGATE_JS, path)
        self.until(lambda: self.screen_text() != before, what=f"the screen at {path}", timeout=30_000)
        self.still()
        return self

    def reload(self) -> "Phone":
        """Reload the tab (what a person does to check that something was kept) and wait for the screen."""
        self.page.reload()
        return self._after_load()

    def _after_load(self) -> "Phone":
        self.page.wait_for_selector("#loading", state="detached", timeout=60_000)
        self.page.wait_for_selector("flt-semantics-placeholder", state="attached", timeout=30_000)
        self.enable_semantics()
        self.settle()
        return self

    def settle(self, *, quiet: float = 150, cap: float = 3_000) -> bool:
        """Wait for the screen to change and then hold still for `quiet` ms (at most `cap` ms in all): a wait
        on the page's state, not a fixed sleep, so a busy machine waits longer and an idle one less.
        Returns whether anything changed."""
        return self.page.evaluate(QUIET_JS, [quiet, cap, True])

    def still(self, *, quiet: float = 300, cap: float = 3_000) -> None:
        """Wait until the screen holds still for `quiet` ms (at most `cap` ms): for a screenshot or a check of
        what is drawn, where nothing is expected to change (`settle` first waits for a change, up to its cap)."""
        self.page.evaluate(QUIET_JS, [quiet, cap, False])

    def until(self, check, *, what: str, timeout: float = 15_000):
        """Poll a condition on the page (a colour, a count) until it holds; fail naming what never came."""
        deadline = time.monotonic() + timeout / 1000
        while not (value := check()):
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout / 1000:.0f} s for {what}")
            self.page.wait_for_timeout(100)
        return value

    def enable_semantics(self) -> None:
        placeholder = self.page.locator("flt-semantics-placeholder")
        if placeholder.count():
            placeholder.dispatch_event("click")
        self.page.locator("flt-semantics").first.wait_for(state="attached", timeout=10_000)

    def control(self, role: str, name: str, *, exact: bool = True):
        return self.page.get_by_role(role, name=name, exact=exact)

    def wait(self, role: str, name: str, *, exact: bool = True, timeout: float = 15_000):
        loc = self.control(role, name, exact=exact).first
        loc.wait_for(state="visible", timeout=timeout)
        return loc

    def tap(self, role: str, name: str, *, exact: bool = True) -> None:
        self.wait(role, name, exact=exact).click()
        self.settle()  # the app answers over its socket: wait for the screen to take the answer

    def focus(self, role: str, name: str, *, exact: bool = True) -> None:
        """Tap a text field and wait until the page has focused a real <input>/<textarea> for it."""
        self.wait(role, name, exact=exact).click()
        self.page.wait_for_function(FOCUSED_EDITOR_JS, timeout=10_000)

    def type_into(self, label: str, text: str) -> None:
        """Type as a person does, then read the field back: on a busy machine Flutter can take the focus a
        moment before it takes keys, and the first letters are lost ("Anary" for "Canary"). What did land
        (the end of `text`, just typed) is taken back with Backspace and the whole text typed again at the
        end of the field; what the field held before is never touched (clearing it once wiped an entry's
        first sentence when its value had not yet reached the page's editor)."""
        value = "() => document.activeElement ? document.activeElement.value : ''"
        for attempt in range(3):
            self.focus("textbox", label)
            if attempt:
                self.page.keyboard.press("Control+End")
            self.page.keyboard.type(text, delay=20)
            try:
                self.page.wait_for_function(f"() => (document.activeElement?.value || '').includes({json.dumps(text)})",
                                            timeout=2_000)
                return
            except Exception:  # noqa: BLE001 - a key was lost: take back what landed and type it all again
                now = self.page.evaluate(value)
                landed = next((k for k in range(len(text), 0, -1) if now.endswith(text[-k:])), 0)
                for _ in range(landed):
                    self.page.keyboard.press("Backspace")
        raise AssertionError(f"could not type into {label!r}: the field holds {self.page.evaluate(value)!r}")

    def see(self, text: str, timeout: float = 15_000) -> None:
        """Wait for text on screen: a text node, or a name a screen reader reads (a snack bar is a named group)."""
        named = self.page.locator(f"[aria-label*={json.dumps(text)}]")
        # Case counts: get_by_text(exact=False) ignores it, so "Saved" was found in "It is saved as you type"
        shown = self.page.get_by_text(re.compile(re.escape(text)))
        shown.or_(named).first.wait_for(state="attached", timeout=timeout)

    def unnamed_controls(self) -> list[str]:
        """Touchable controls a screen reader could not name (FLET-NOTES: icon buttons, dropdowns)."""
        touchable = ("button", "tab", "textbox", "checkbox", "radio", "switch", "slider", "link", "menuitem")
        lines = self.page.locator("body").aria_snapshot().splitlines()
        return [l.strip() for l in lines
                if l.strip().lstrip("- ").split(" ")[0].rstrip(":") in touchable
                and '"' not in l]

    def small_targets(self, minimum: float = 44) -> list[str]:
        """Buttons and tabs whose touch area is under the minimum (48 dp is the aim; Flutter's
        semantics rectangles can be a few pixels tighter than the padded tap target)."""
        small = []
        view = self.page.viewport_size
        bottom = view["height"]
        tabs = self.page.get_by_role("tablist")
        if tabs.count():  # a control scrolled half under the tab bar is clipped there, not small
            bar = tabs.first.bounding_box()
            bottom = bar["y"] if bar else bottom
        for role in ("button", "tab", "textbox"):
            for loc in self.page.get_by_role(role).all():
                box = loc.bounding_box()
                limit = view["height"] if role == "tab" else bottom
                inside = box and box["y"] > 2 and box["y"] + box["height"] < limit - 2  # not clipped
                if inside and box["height"] < minimum:
                    small.append(f"{role} {loc.get_attribute('aria-label') or loc.inner_text()!r}: "
                                 f"{box['width']:.0f}x{box['height']:.0f}")
        return small

    def screen_text(self) -> str:
        return self.page.locator("flt-semantics-host").inner_text()

    def choose_import_file(self, path: Path) -> None:
        """From a tab: More, Privacy and your data, Import a file, and the file picked in the system's chooser."""
        self.tap("tab", "More")
        self.tap("button", "Privacy and your data", exact=False)
        self.tap("button", "Import a file")
        with self.page.expect_file_chooser(timeout=30_000) as choosing:
            self.tap("button", "Choose the file")
        choosing.value.set_files(str(path))

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.still()  # let animations settle
        path = SCREENSHOTS / f"{self.prefix}-{name}.png"
        self.page.screenshot(path=str(path))
        return path

    def background_luminance(self) -> float:
        """Mean brightness (0-255) of a strip of the page background, from a screenshot."""
        png = self.page.screenshot(clip={"x": 0, "y": 860, "width": 8, "height": 8})
        return _mean_luminance(png)


def _mean_luminance(png: bytes) -> float:
    import struct
    import zlib
    width, height = struct.unpack(">II", png[16:24])
    bit_depth, colour = png[24], png[25]
    assert bit_depth == 8 and colour in (2, 6), "unexpected PNG format"
    channels = 3 if colour == 2 else 4
    data, pos = b"", 8
    while pos < len(png):
        length = struct.unpack(">I", png[pos:pos + 4])[0]
        kind = png[pos + 4:pos + 8]
        if kind == b"IDAT":
            data += png[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(data)
    stride = width * channels
    total, count, prev = 0.0, 0, bytearray(stride)
    for row in range(height):
        filt = raw[row * (stride + 1)]
        line = bytearray(raw[row * (stride + 1) + 1:(row + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if filt == 1:
                line[i] = (line[i] + a) & 255
            elif filt == 2:
                line[i] = (line[i] + b) & 255
            elif filt == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif filt == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for px in range(width):
            r, g, bl = line[px * channels:px * channels + 3]
            total += 0.2126 * r + 0.7152 * g + 0.0722 * bl
            count += 1
        prev = line
    return total / count
