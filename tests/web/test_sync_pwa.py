"""Sharing from the PWA the specialist's server hosts (at /app/), in a phone-sized Chromium: the pairing form
holds the server's address already, a code pairs, a shared journal entry reaches the server's database (over
the browser's fetch), a message the specialist sends comes down, and offline the sync says so; the service worker is scoped to /app/
and the hosted app starts again with the network off (what tests/web/test_hosted.py checked before).
tests/e2e/test_sharing.py tells the same story with the Python app; this is that story once against the PWA."""

from __future__ import annotations

import time

from server import admin
from tests.e2e.harness import Phone
from tests.e2e.test_sharing import reveal, share_an_entry_and_send, type_here
from tests.sync_world import ServerAdmin
from tests.web.test_pwa import START, _page

ENTRY = "Canary 8b4f: from the browser, I said we would talk on Sunday."
MESSAGE = "Thank you, Maria. Sunday sounds right."
SPECIALIST = "sam@practice.test"


def _family_and_code(hosted, name: str) -> tuple[str, str]:
    """A family of the test's specialist and a pairing code for it, made through the server's own code."""
    try:
        admin.create_specialist(hosted.engine, SPECIALIST, "Sam Rivera", "a long enough password 12")
    except admin.Invalid:  # made by the module's other test
        pass
    server = ServerAdmin(hosted.engine)
    family = server.add_family(name, SPECIALIST)
    return family, server.pairing_code(family, None)


def _field_value(phone, label: str) -> str:
    """What a text field holds, read from the page's own editor once the field has the focus."""
    phone.focus("textbox", label)
    return phone.page.evaluate("() => document.activeElement.value")


def test_the_hosted_pwa_pairs_with_its_server_shares_and_hears_back(hosted, open_profile, tmp_path):
    family, code = _family_and_code(hosted, "The Byrnes")
    server = ServerAdmin(hosted.engine)

    phone = Phone(_page(open_profile(tmp_path / "profile")), "pwa-sync")
    began = time.monotonic()
    phone.open(hosted.url + "/app/")
    phone.wait("button", "Start using Regroup", timeout=START)  # Python has started in the browser
    started = time.monotonic()
    phone.page.wait_for_function("() => !!window.regroupOffline", timeout=START)  # precached, scoped to /app/
    scope = phone.page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).scope")
    assert scope == hosted.url + "/app/"
    phone.tap("button", "Start using Regroup")
    phone.tap("button", "Not now")  # the PIN offer (no PIN lock in the web build yet)

    # Pair: the address is the server's own, filled in; the code and the name typed
    phone.tap("tab", "More")
    phone.tap("button", "Share with my specialist", exact=False)
    phone.see("Filled in: the address this app was opened from.")
    assert _field_value(phone, "Address your specialist gave you") == hosted.url
    phone.page.keyboard.press("Tab")
    type_here(phone, code.lower().replace("-", ""))
    phone.page.keyboard.press("Tab")
    type_here(phone, "Maria")
    reveal(phone, "button", "Pair with my specialist")
    phone.tap("button", "Pair with my specialist")
    phone.see("Paired as Maria", timeout=30_000)
    phone.screenshot("01-paired")

    # A journal entry, shared as it is saved, and sent
    phone.tap("button", "Back")
    share_an_entry_and_send(phone, ENTRY)
    held = server.records(family)
    entries = [r for r in held.values() if r["entity"] == "journal_entry"]
    assert [r["data"]["body"] for r in entries] == [ENTRY] and entries[0]["member_id"]

    # The specialist writes back; it comes down on the next sync
    admin.send_message(hosted.engine, family, None, MESSAGE, "Sam Rivera", "web test")
    phone.tap("button", "Send and check now")
    phone.see("Up to date.", timeout=30_000)
    phone.see("Messages from your specialist (1 new)")
    phone.tap("button", "Messages from your specialist (1 new)")
    phone.see(MESSAGE)
    phone.screenshot("02-message")

    # Offline: the browser's failed fetch is the client's "unreachable", and sharing waits to try again
    phone.page.context.set_offline(True)
    phone.tap("button", "Back")
    phone.tap("button", "Send and check now")
    phone.see("The server could not be reached.", timeout=30_000)
    phone.see("Offline: Regroup sends when you are back online")
    print(f"\nhosted PWA: started in {started - began:.0f} s, paired, shared and heard back in "
          f"{time.monotonic() - started:.0f} s")

    # Still offline, the hosted app starts again from its service worker at /app/, with the crisis numbers
    phone.reload()  # on the sharing page it was showing (its address is /app/sharing), with what it holds
    phone.wait("button", "Get help now", timeout=START)
    phone.see("Paired as Maria")
    phone.tap("button", "Get help now")
    phone.wait("button", "Call 911")
    phone.screenshot("03-offline-start")
    phone.page.context.set_offline(False)


def test_the_web_apps_pairing_address_fills_in_the_link(hosted, open_profile, tmp_path):
    """The dashboard's address for the web app (/app/pair?server=...&code=...): opened in the browser, the
    sharing screen holds the pairing link, and it pairs with the name typed."""
    from urllib.parse import quote
    family, code = _family_and_code(hosted, "The Walshes")
    phone = Phone(_page(open_profile(tmp_path / "profile")), "pwa-link")
    phone.open(f"{hosted.url}/app/pair?server={quote(hosted.url, safe='')}&code={code}")
    phone.wait("button", "Start using Regroup", timeout=START)
    phone.tap("button", "Start using Regroup")
    phone.tap("button", "Not now")
    phone.tap("tab", "More")
    phone.tap("button", "Share with my specialist", exact=False)
    reveal(phone, "button", "Pair with the link")
    assert _field_value(phone, "Pairing link") == f"regroup://pair?server={quote(hosted.url, safe='')}&code={code}"
    phone.focus("textbox", "Your name, as your specialist will see it")
    type_here(phone, "Aoife")
    reveal(phone, "button", "Pair with the link")
    phone.tap("button", "Pair with the link")
    phone.see("Paired as Aoife", timeout=30_000)
