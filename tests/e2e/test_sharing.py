"""Sharing with the specialist, through the screen: pair with a code, share an entry and the check-ins,
the specialist sees them on the dashboard and writes back, the family member reads and replies, stops
sharing an entry, and unpairs. The real server runs as a process beside the app."""

from __future__ import annotations

import json
import subprocess
import sys

from app.checkins import clean_checkin
from app.store import checkins, open_store
from server import admin, db
from tests.e2e.harness import FOCUSED_EDITOR_JS, ROOT, e2e_clock, seed
from tests.e2e.test_dashboard import PASSWORD, server  # noqa: F401 - the server process fixture
from tests.sync_world import ServerAdmin

ENTRY = "Canary 51c2: I told him I love him and left it there."
REPLY = "Thank you. Saturday still works for us."


def _cli(server_url: str, tmp_path, *args: str) -> str:
    port = server_url.rsplit(":", 1)[1]
    env = {"REGROUP_SERVER_DATA_DIR": str(tmp_path / "srv"), "REGROUP_SERVER_PORT": port,
           "REGROUP_SECRET_KEY": "e2e-secret"}
    import os
    done = subprocess.run([sys.executable, "-m", "server", *args], cwd=ROOT, env={**os.environ, **env}, text=True,
                          capture_output=True, check=True)
    return done.stdout.strip().splitlines()[-1]


def type_here(phone, text: str) -> None:
    """Type into the field that has the focus and read it back; on a busy machine the first keys after a Tab
    can be lost, so an incomplete field is emptied and typed again."""
    # case forgiven: the code field writes what it is given in capitals
    holds = f"() => (document.activeElement?.value || '').toLowerCase().includes({json.dumps(text.lower())})"
    for _attempt in range(3):
        phone.page.wait_for_function(FOCUSED_EDITOR_JS, timeout=10_000)
        phone.page.keyboard.type(text, delay=30)
        try:
            phone.page.wait_for_function(holds, timeout=2_000)
            return
        except Exception:  # noqa: BLE001 - a key was lost: empty the field and type again
            phone.page.keyboard.press("Control+A")
            phone.page.keyboard.press("Backspace")
    raise AssertionError(f"could not type {text!r} into the focused field")


def reveal(phone, role: str, name: str) -> None:
    """Scroll down until a control is on screen (Flutter exposes only what is near the viewport)."""
    view = phone.page.viewport_size
    phone.page.mouse.move(view["width"] / 2, view["height"] / 2)
    for _ in range(10):
        if phone.control(role, name).count() and phone.control(role, name).first.is_visible():
            return
        phone.page.mouse.wheel(0, 300)
        phone.settle()


def share_an_entry_and_send(phone, text: str) -> None:
    """Write a journal entry with its sharing switch on, then send it from the sharing screen."""
    phone.tap("tab", "Journal")
    phone.tap("button", "Write an entry")
    phone.type_into("What is on your mind?", text)
    phone.tap("switch", "Share this entry with my specialist")
    phone.tap("button", "Save entry")
    phone.see("Entry saved. It will be sent to your specialist.")
    phone.tap("tab", "More")
    phone.tap("button", "Share with my specialist", exact=False)
    phone.tap("button", "Send and check now")
    phone.see("Up to date.", timeout=30_000)


def _server_engine(tmp_path):
    return db.make_engine(f"sqlite:///{tmp_path / 'srv' / 'server.db'}")


def test_a_family_member_pairs_shares_hears_back_and_unpairs(server, start_app, open_phone, tmp_path):  # noqa: F811
    family = _cli(server, tmp_path, "add-family", "--name", "The Byrnes", "--specialist", "sam@practice.test")
    code = _cli(server, tmp_path, "pairing-code", "--family", family)
    data = tmp_path / "data"
    seed(data, onboarded=True, country="IE", display_name="Maria")
    s = open_store(data, clock=e2e_clock())
    checkins.add_checkin(s, clean_checkin(mood=2, stress=7))  # made before pairing: shared only if she says so
    s.close()
    app = start_app(data)
    phone = open_phone(app.url)

    # Pair: the code typed as people type it (lower case, no dashes)
    phone.tap("tab", "More")
    phone.tap("button", "Share with my specialist", exact=False)
    phone.type_into("Address your specialist gave you", server)
    # Tab to the next field, as a keyboard user would (measured: with the address field focused, Flutter
    # leaves the code field's node without a box, so a click cannot find it)
    phone.page.keyboard.press("Tab")
    type_here(phone, code.lower().replace("-", ""))
    phone.wait("textbox", "Pairing code")  # the form is still there, holding the code
    phone.screenshot("01-pair-form")
    reveal(phone, "button", "Pair with my specialist")
    phone.tap("button", "Pair with my specialist")
    phone.see("Paired as Maria", timeout=30_000)
    phone.screenshot("02-paired")

    # Check-ins: turning the default on asks about the one already there
    phone.tap("switch", "New check-ins")
    phone.see("You already have 1 check-in. Share it too?")
    phone.tap("button", "Share them too")
    phone.see("Saved")

    # The check-in form says so before the next one is saved
    phone.tap("button", "Back")
    phone.tap("tab", "Check-in")
    phone.see("New check-ins are shared with your specialist.")

    share_an_entry_and_send(phone, ENTRY)
    phone.see("2 things shared.")
    phone.screenshot("03-what-the-specialist-sees")

    engine = _server_engine(tmp_path)
    try:
        held = ServerAdmin(engine).records(family)
        by_kind = {r["entity"]: r for r in held.values()}
        assert by_kind["journal_entry"]["data"]["body"] == ENTRY
        assert by_kind["checkin"]["data"]["mood"] == 2
        entry_id = next(rid for rid, r in held.items() if r["entity"] == "journal_entry")

        # The specialist sees the entry on the dashboard
        page = phone.page.context.new_page()
        page.goto(server + "/login")
        page.get_by_label("Email").fill("sam@practice.test")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("The Byrnes").first.click()
        page.get_by_text(ENTRY).first.wait_for()
        page.close()

        # ...and writes back: a message to the family and a suggested step
        admin.send_message(engine, family, None, "Thinking of you this week, Maria.", "Sam Rivera", "e2e")
        admin.recommend(engine, family, None, "coping", None, "When you have ten minutes.", "e2e")
    finally:
        engine.dispose()

    phone.tap("button", "Send and check now")
    phone.see("Up to date.", timeout=30_000)
    phone.see("Messages from your specialist (2 new)")
    phone.tap("button", "Back")
    phone.wait("tab", "More, 2 new from your specialist", exact=False)  # the badge, in words for a screen reader
    phone.screenshot("04-more-badge")
    phone.tap("tab", "Today")
    phone.see("Your specialist sent you something new")
    phone.screenshot("05-today-word-from-the-specialist")
    phone.tap("button", "Read messages")
    phone.see("Thinking of you this week, Maria.")
    phone.see("When you have ten minutes.")
    phone.see("not watched around the clock")
    phone.type_into("Write to your specialist", REPLY)
    phone.tap("button", "Send")
    phone.see("Your message will be sent to your specialist soon.")
    phone.see("Waiting to be sent")
    phone.screenshot("06-messages")

    # Stop sharing the entry from the list of what the specialist sees; sync; the server holds no words
    phone.tap("button", "Back")
    phone.tap("button", "Stop sharing: Journal entry", exact=False)  # each button names what it stops
    phone.see("No longer shared")
    phone.tap("button", "Send and check now")
    phone.see("Up to date.", timeout=30_000)
    engine = _server_engine(tmp_path)
    try:
        held = ServerAdmin(engine).records(family)
        replies = [r for r in held.values() if r["entity"] == "message"]
    finally:
        engine.dispose()
    assert held[entry_id]["deleted"] and held[entry_id]["data"] is None and held[entry_id]["kind"] == "revoke"
    assert [r["data"]["body"] for r in replies] == [REPLY]

    # Unpair, keeping what was shared: the form comes back, the journal stays
    phone.tap("button", "Unpair this phone...")
    phone.tap("button", "Unpair, leave what I shared with my specialist")
    phone.see("Unpaired. Everything you keep here stays on this phone.", timeout=30_000)
    phone.wait("textbox", "Address your specialist gave you")
    phone.screenshot("07-unpaired")
    phone.tap("button", "Back")
    phone.wait("tab", "More")  # everything read: no badge, the plain name again
    phone.tap("tab", "Journal")
    phone.see("Canary 51c2")
