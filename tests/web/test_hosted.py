"""The PWA as the specialist's server hosts it (REGROUP_SERVE_APP=1, at /app/): it starts, its service worker
is scoped to /app/, and after that one visit it starts again with the network off."""

from __future__ import annotations

import threading
import time

import pytest

from tests.e2e.harness import Phone, free_port
from tests.web.test_pwa import START, _page
from web.build import DIST


@pytest.fixture(scope="module")
def hosted(tmp_path_factory):
    import uvicorn

    from server.app import create_app
    from server.settings import Settings
    settings = Settings(data_dir=tmp_path_factory.mktemp("server"), secret_key="test", serve_app=True, app_dir=DIST)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_the_hosted_app_starts_at_app_and_again_offline(hosted, open_profile, tmp_path):
    context = open_profile(tmp_path / "profile")
    phone = Phone(_page(context), "hosted")
    phone.open(hosted + "/app/")
    phone.wait("button", "Start using Regroup", timeout=START)
    phone.page.wait_for_function("() => !!window.regroupOffline", timeout=START)
    scope = phone.page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).scope")
    assert scope == hosted + "/app/"
    context.set_offline(True)
    phone.reload()
    phone.wait("button", "Start using Regroup", timeout=START)
    phone.tap("button", "Get help now")
    phone.wait("button", "Call 911")
    phone.screenshot("help")
