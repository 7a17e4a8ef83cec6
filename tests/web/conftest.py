"""The built PWA (dist/web, `make web`) in Chromium. Slow (Python starts in the browser): run when the marker
expression asks for them (`-m web`: `make test-web`, and `make test` beside the e2e files), skipped otherwise."""

from __future__ import annotations

import shutil
import threading
import time
from dataclasses import dataclass

import pytest

from tests.e2e.harness import CHROMIUM_ARGS, PHONE, free_port
from web.build import DIST
from web.serve import serve


def pytest_collection_modifyitems(config, items):
    asked = "web" in (config.option.markexpr or "")
    for item in items:
        if "/web/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.web)
            if not asked:
                item.add_marker(pytest.mark.skip(reason="the built PWA's browser tests run with `make test-web`"))


@pytest.fixture(scope="module")
def served():
    """dist/web served on loopback, as `make serve-web` does; `requested` lists the files sent (200s)."""
    if not (DIST / "index.html").is_file():
        pytest.fail("dist/web is not built: run `make web` (make test-web does)", pytrace=False)
    server = serve(DIST, free_port())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def site(served):
    return f"http://127.0.0.1:{served.server_address[1]}/"


@dataclass(frozen=True)
class Hosted:
    url: str     # the specialist's server; the app is at url + "/app/"
    engine: object  # its database, for what the specialist does and what the server holds


@pytest.fixture(scope="module")
def hosted(tmp_path_factory):
    """The specialist's server (the real app, uvicorn on loopback) serving dist/web at /app/."""
    import uvicorn

    from server.app import create_app
    from server.settings import Settings
    port = free_port()
    settings = Settings(data_dir=tmp_path_factory.mktemp("server"), secret_key="test", serve_app=True, app_dir=DIST,
                        port=port)  # its base_url (the dashboard's pairing link) is this address
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    yield Hosted(f"http://127.0.0.1:{port}", app.state.engine)
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def playwright():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.fail("Debian's chromium is not installed (make chromium)", pytrace=False)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        yield p, chromium


@pytest.fixture
def open_profile(playwright):
    """A phone-sized Chromium with a profile folder kept on disk: closing it and opening the same folder again
    is a person closing the browser and coming back (IndexedDB, the service worker and its cache stay)."""
    p, chromium = playwright
    opened = []

    def open_(folder, *, locale="en-US"):
        context = p.chromium.launch_persistent_context(
            str(folder), executable_path=chromium, args=CHROMIUM_ARGS, viewport=PHONE, locale=locale,
            timezone_id="UTC", service_workers="allow")
        opened.append(context)
        return context
    yield open_
    for context in opened:
        try:
            context.close()
        except Exception:  # noqa: BLE001 - already closed by the test
            pass
