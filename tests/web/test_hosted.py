"""The PWA as the specialist's server hosts it (REGROUP_SERVE_APP=1, at /app/): it starts, its service worker
is scoped to /app/, and after that one visit it starts again with the network off."""

from __future__ import annotations

from tests.e2e.harness import Phone
from tests.web.test_pwa import START, _page


def test_the_hosted_app_starts_at_app_and_again_offline(hosted, open_profile, tmp_path):
    context = open_profile(tmp_path / "profile")
    phone = Phone(_page(context), "hosted")
    phone.open(hosted.url + "/app/")
    phone.wait("button", "Start using Regroup", timeout=START)
    phone.page.wait_for_function("() => !!window.regroupOffline", timeout=START)
    scope = phone.page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).scope")
    assert scope == hosted.url + "/app/"
    context.set_offline(True)
    phone.reload()
    phone.wait("button", "Start using Regroup", timeout=START)
    phone.tap("button", "Get help now")
    phone.wait("button", "Call 911")
    phone.screenshot("help")
