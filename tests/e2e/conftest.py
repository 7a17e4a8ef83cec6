"""Browser fixtures. In CI (REGROUP_REQUIRE_E2E=1) a missing browser fails instead of skipping."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.e2e.harness import CHROMIUM_ARGS, E2E_NOW, E2E_TZ, PHONE, AppProcess, Phone


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)


def _no_browser(reason: str):
    message = f"BROWSER TESTS NOT RUN: {reason}"
    if os.environ.get("REGROUP_REQUIRE_E2E") == "1":  # only "1" asks for it: "0" or "" do not
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module (sync Playwright holds an event loop while it lives)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        _no_browser("Debian's chromium is not installed (make test installs it as root: tests/e2e/ensure_chromium.sh)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def start_app(tmp_path):
    """Start the app; the test may seed its data folder first."""
    started = []

    def start(data_dir=None, *, now: str = E2E_NOW, tz: str = E2E_TZ, env: dict | None = None):
        app = AppProcess(data_dir or tmp_path / "data", now=now, tz=tz, env=env or {})
        app.data_dir.mkdir(parents=True, exist_ok=True)
        started.append(app)
        return app.start()

    yield start
    for app in started:
        app.stop()


@pytest.fixture
def open_phone(browser, request):
    """A fresh browser context at phone size; fails the test if anything reached the network."""
    contexts, phones = [], []

    def open_(url, *, locale="en-US", viewport=PHONE, color_scheme="light", reduced_motion="no-preference"):
        ctx = browser.new_context(viewport=viewport, locale=locale, color_scheme=color_scheme,
                                  reduced_motion=reduced_motion, service_workers="block")
        contexts.append(ctx)
        phone = Phone(ctx.new_page(), request.node.name.removeprefix("test_"))
        phones.append(phone)
        return phone.open(url)

    yield open_
    escaped = [url for phone in phones for url in phone.guard.escaped()]
    for ctx in contexts:
        ctx.close()
    assert escaped == [], f"requests left the machine: {escaped}"
