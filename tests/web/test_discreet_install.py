"""Discreet mode before installing: the manifest and icons Chromium would install are the neutral "Notes" ones
once the person turns discreet mode on, and from the first moment of every later visit (web/discreet.js)."""

from __future__ import annotations

from tests.e2e.harness import Phone
from tests.web.test_pwa import START, _page

LOOK = "() => document.documentElement.getAttribute('data-regroup-look')"


def _installable(page) -> dict:
    """What Chromium itself would install: the manifest it parsed for this page, and what it says stands in
    the way of installing (DevTools protocol; an empty list: the browser offers "Install")."""
    cdp = page.context.new_cdp_session(page)
    try:
        got = cdp.send("Page.getAppManifest")
        blocked = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    finally:
        cdp.detach()
    return {"url": got["url"].rsplit("/", 1)[-1], "errors": got["errors"], "data": got.get("data", ""),
            "blocked": [e["errorId"] for e in blocked]}


def _privacy(phone: Phone) -> None:
    phone.tap("tab", "More")
    phone.tap("button", "Privacy and your data", exact=False)
    phone.wait("switch", "Discreet mode")


def test_discreet_mode_links_a_neutral_manifest_before_install_and_from_the_next_first_moment(
        site, open_profile, tmp_path):
    profile = tmp_path / "profile"
    context = open_profile(profile)
    phone = Phone(_page(context), "pwa-discreet")
    phone.open(site)
    phone.wait("button", "Start using Regroup", timeout=START)
    assert phone.page.evaluate(LOOK) == "regroup"
    phone.tap("button", "Start using Regroup")
    phone.tap("button", "Not now")
    _privacy(phone)
    phone.see("Turn discreet mode on first")  # the advice only the web app gives
    seen = _installable(phone.page)
    assert seen["url"] == "manifest.json" and seen["blocked"] == [], seen  # installable as it is
    phone.tap("switch", "Discreet mode")
    phone.see("Discreet mode is on.")
    phone.page.wait_for_function(f"() => ({LOOK})() === 'notes'", timeout=15_000)
    seen = _installable(phone.page)
    assert seen["url"] == "manifest-notes.json" and not seen["errors"] and seen["blocked"] == [], seen
    assert '"name": "Notes"' in seen["data"] and "Regroup" not in seen["data"]
    heads = 'link[rel="icon"], link[rel="apple-touch-icon"], meta[name="apple-mobile-web-app-title"]'
    head = phone.page.evaluate(f"""() => [...document.querySelectorAll('{heads}')]
                                         .map(e => e.getAttribute('href') || e.getAttribute('content'))""")
    assert sorted(head) == ["Notes", "icons/notes-apple-touch-icon-192.png", "icons/notes-favicon.png"], head
    context.close()

    context = open_profile(profile)  # the next visit: neutral before Python has started
    page = _page(context)
    page.goto(site, wait_until="domcontentloaded")
    assert page.evaluate(LOOK) == "notes"
    assert page.evaluate("() => document.querySelector('link[rel=manifest]').getAttribute('href')") \
        == "manifest-notes.json"
    phone = Phone(page, "pwa-discreet-again")
    phone.open(site)
    phone.wait("tab", "More", timeout=START)
    _privacy(phone)
    phone.tap("switch", "Discreet mode")  # and back: the app's own name and icon again
    phone.see("Discreet mode is off.")
    phone.page.wait_for_function(f"() => ({LOOK})() === 'regroup'", timeout=15_000)
    assert _installable(phone.page)["url"] == "manifest.json"
