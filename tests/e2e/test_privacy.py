"""Privacy in Chromium: a locked session holds none of the person's words, in the DOM or the accessibility tree."""

from __future__ import annotations

from pathlib import Path

from app import crypto, lock
from app.journal import clean_entry
from app.store import KEY_NAME, journal, open_store
from tests.e2e.harness import e2e_clock, seed
from tests.e2e.test_shell import assert_accessible
from tests.test_summary import pdf_text

CANARY = "Canary 3e9f: he slept in the car again"
PIN = "4821"
# What the tab's going to the background looks like to the page (headless Chromium never hides a tab).
HIDE_TAB = """() => {
    Object.defineProperty(document, 'visibilityState', {get: () => 'hidden', configurable: true});
    Object.defineProperty(document, 'hidden', {get: () => true, configurable: true});
    document.dispatchEvent(new Event('visibilitychange'));
}"""
SHOW_TAB = """() => {
    Object.defineProperty(document, 'visibilityState', {get: () => 'visible', configurable: true});
    Object.defineProperty(document, 'hidden', {get: () => false, configurable: true});
    document.dispatchEvent(new Event('visibilitychange'));
}"""


def seed_locked(data_dir: Path, *, secret: str = PIN, kind: str = "pin", **settings) -> None:
    """An onboarded person with one journal entry, whose key a PIN wraps (the app's own parameters)."""
    seed(data_dir, onboarded=True, country="IE", display_name="Maria", **settings)
    s = open_store(data_dir, clock=e2e_clock())
    journal.add_entry(s, clean_entry(CANARY, "Tuesday", [], []))
    record = lock.wrap_key(s.cipher.key, secret, kind)
    s.close()
    crypto.KeyFileStore(data_dir / KEY_NAME).replace_text(record)


def page_holds(phone, text: str) -> list[str]:
    """Where the text still is: the DOM, any input's value, the accessibility tree."""
    where = []
    if text in phone.page.content():
        where.append("dom")
    values = phone.page.evaluate("() => [...document.querySelectorAll('input, textarea')].map(e => e.value)")
    if any(text in v for v in values):
        where.append("input")
    if text in phone.page.locator("body").aria_snapshot():
        where.append("accessibility tree")
    return where


def test_a_locked_session_holds_no_record_text_and_unlocks_where_it_was(start_app, open_phone, tmp_path):
    seed_locked(tmp_path / "data")
    app = start_app(tmp_path / "data")
    phone = open_phone(app.url)
    phone.wait("heading", "Locked")
    phone.wait("button", "Get help now")  # help needs no PIN
    assert page_holds(phone, CANARY) == [] and page_holds(phone, "Maria") == []
    assert_accessible(phone)
    phone.screenshot("01-locked")

    phone.type_into("PIN", "1111")
    phone.tap("button", "Unlock")
    phone.see("not the right PIN")
    phone.type_into("PIN", PIN)
    phone.tap("button", "Unlock")
    phone.wait("heading", "Today")
    phone.tap("tab", "Journal")
    phone.see(CANARY)  # the words are there while unlocked, so their absence below means something
    phone.tap("button", "Tuesday", exact=False)
    phone.focus("textbox", "What is on your mind?")  # focused: the words sit in a <textarea>
    assert page_holds(phone, CANARY)

    phone.page.evaluate(HIDE_TAB)  # going to the background locks (Flutter draws nothing while hidden)
    phone.page.wait_for_timeout(800)
    phone.page.evaluate(SHOW_TAB)  # coming back, the first frame is the lock screen
    phone.wait("heading", "Locked")
    assert page_holds(phone, CANARY) == [] and page_holds(phone, "Tuesday") == []
    phone.screenshot("02-locked-after-background")

    phone.type_into("PIN", PIN)
    phone.tap("button", "Unlock")
    phone.focus("textbox", "What is on your mind?")  # back on the entry it left
    assert page_holds(phone, CANARY)

    phone.tap("button", "Back")
    phone.tap("tab", "More")
    phone.tap("button", "Privacy and your data", exact=False)
    phone.wait("heading", "Privacy and your data")
    phone.see("On, with a PIN")
    assert_accessible(phone)
    phone.tap("button", "Lock now")
    phone.wait("heading", "Locked")
    assert page_holds(phone, CANARY) == []
    assert "pin_wrong" in app.log() and CANARY not in app.log()


def test_a_pin_is_offered_after_the_welcome_and_locks_the_next_start(start_app, open_phone, tmp_path):
    app = start_app(tmp_path / "data")
    phone = open_phone(app.url)
    phone.tap("button", "Start using Regroup")
    phone.wait("heading", "A lock")
    phone.tap("button", "Set a PIN")
    phone.see("10,000 possibilities")  # the honest words come before the PIN
    assert_accessible(phone)
    phone.screenshot("03-set-pin")
    phone.type_into("New PIN (4 to 8 digits)", "2468")
    phone.type_into("The new PIN again", "2468")
    phone.tap("button", "Set PIN")
    phone.wait("heading", "Privacy and your data")
    phone.see("On, with a PIN")
    app.stop()

    app = start_app(tmp_path / "data")
    phone = open_phone(app.url)
    phone.wait("heading", "Locked")
    phone.type_into("PIN", "2468")
    phone.tap("button", "Unlock")
    phone.wait("heading", "Today")


def test_no_typed_word_reaches_the_log_during_a_whole_visit(start_app, open_phone, tmp_path):
    """Every line the app process prints (its log, uvicorn's, Flet's, crashes) while a person types a
    canary word everywhere they can: name, passphrase, entry, own tag, search, check-in note, a wrong try."""
    word = "Zorvath"
    app = start_app(tmp_path / "data")
    phone = open_phone(app.url)
    phone.type_into("Your first name (optional)", word)
    phone.tap("button", "Start using Regroup")
    phone.tap("button", "Use a passphrase")
    phone.type_into("New passphrase", f"lantern quiet meadow {word}")
    phone.type_into("The new passphrase again", f"lantern quiet meadow {word}")
    phone.tap("button", "Set passphrase")
    phone.wait("heading", "Privacy and your data")

    phone.tap("button", "Back")
    phone.tap("tab", "Journal")
    phone.tap("button", "Write an entry")
    phone.type_into("Title (optional)", f"{word} at the door")
    phone.type_into("What is on your mind?", f"{word} said he would come back sober on Sunday.")
    phone.type_into("Add your own tag", word.lower())
    phone.tap("button", "Add tag")
    phone.tap("button", "Save entry")
    phone.see(f"{word} at the door")
    phone.type_into("Search your journal", word)
    phone.see(f"{word} at the door")

    phone.tap("tab", "Check-in")
    phone.tap("button", "Good")
    phone.type_into("A note (optional)", f"Called {word} tonight")
    phone.tap("button", "Save check-in")
    phone.see("Recent check-ins")

    phone.tap("tab", "More")
    phone.tap("button", "Privacy and your data", exact=False)
    phone.tap("button", "Lock now")
    phone.type_into("Passphrase", f"{word} is not it")
    phone.tap("button", "Unlock")
    phone.see("not the right PIN or passphrase")
    phone.type_into("Passphrase", f"lantern quiet meadow {word}")
    phone.tap("button", "Unlock")
    phone.wait("heading", "Privacy and your data")
    app.stop()

    log = app.log()
    assert "pin_wrong" in log and "locking (asked)" in log and "GET /" in log  # the log was written
    assert word.lower() not in log.lower()


def test_export_in_one_tab_and_import_in_another_device(start_app, open_phone, tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    seed(old, onboarded=True, country="IE")
    s = open_store(old, clock=e2e_clock())
    journal.add_entry(s, clean_entry(CANARY, "Tuesday", [], []))
    s.close()
    app = start_app(old)
    phone = open_phone(app.url)
    phone.tap("tab", "More")
    phone.tap("button", "Privacy and your data", exact=False)
    phone.tap("button", "Export everything")
    assert_accessible(phone)
    phone.type_into("A passphrase for this file", "lantern quiet meadow ferry")
    phone.type_into("The passphrase again", "lantern quiet meadow ferry")
    with phone.page.expect_download(timeout=30_000) as saving:
        phone.tap("button", "Save the file")
    download = saving.value
    exported = tmp_path / download.suggested_filename
    download.save_as(exported)
    phone.see("Your file is ready")
    raw = exported.read_bytes()
    assert download.suggested_filename == "regroup-2026-11-26.json"
    assert raw.startswith(b'{"app": "regroup"') and CANARY.encode() not in raw

    phone.tap("button", "Back")  # the printable summary prints only the entries ticked
    phone.tap("button", "Printable summary (PDF)")
    phone.wait("heading", "Summary")
    phone.tap("button", "1 year")
    phone.tap("checkbox", "Tuesday", exact=False)
    assert_accessible(phone)
    phone.screenshot("05-summary")
    with phone.page.expect_download(timeout=30_000) as saving:
        phone.tap("button", "Save the PDF")
    text = " ".join(pdf_text(saving.value.path()).split())
    assert CANARY in text and "Summary for my session" in text

    seed(new, onboarded=True, country="IE")
    other = open_phone(start_app(new).url)
    other.choose_import_file(exported)
    other.see("Chosen: regroup-2026-11-26.json")
    other.type_into("The file's passphrase", "lantern quiet meadow ferrY")
    other.tap("button", "Import")
    other.see("This passphrase does not open the file")
    other.wait("textbox", "The file's passphrase").click()
    other.page.keyboard.press("Control+A")
    other.page.keyboard.type("lantern quiet meadow ferry", delay=20)
    other.tap("button", "Import")
    other.see("Imported: 1 journal entry, 0 check-ins")
    other.screenshot("04-imported")
    other.tap("button", "Back")
    other.tap("button", "Back")
    other.tap("tab", "Journal")
    other.see(CANARY)


def test_erase_everything_leaves_nothing_and_starts_at_the_welcome(start_app, open_phone, tmp_path):
    data = tmp_path / "data"
    seed_locked(data)
    app = start_app(data)
    phone = open_phone(app.url)
    phone.type_into("PIN", PIN)
    phone.tap("button", "Unlock")
    phone.tap("tab", "More")
    phone.tap("button", "Privacy and your data", exact=False)
    phone.tap("button", "Erase everything...")
    phone.wait("heading", "Erase everything")
    assert_accessible(phone)
    phone.type_into("Type ERASE to confirm", "erase it")
    phone.tap("button", "Erase everything")
    phone.see("Type the word exactly as shown")
    phone.screenshot("06-erase")
    phone.wait("textbox", "Type ERASE to confirm").click()
    phone.page.keyboard.press("Control+A")
    phone.page.keyboard.type("ERASE", delay=20)
    phone.tap("button", "Erase everything")
    phone.wait("heading", "Welcome")  # the next screen is a first run's
    phone.see("Everything was erased from this device.")
    app.stop()
    for path in data.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes() and b"Maria" not in path.read_bytes(), path.name
    assert not (data / "regroup.attempts").exists()

    phone = open_phone(start_app(data).url)
    phone.wait("heading", "Welcome")  # no lock, no data: a first run


def test_discreet_mode_names_nothing_and_quick_exit_hides_and_locks(start_app, open_phone, tmp_path):
    """What Flet's web router allows, measured: the address changes only on push_route, so discreet
    mode pushes "/" once and never a screen's name; the tab title is "Notes" from the first frame."""
    data = tmp_path / "data"
    seed_locked(data, discreet=True)
    app = start_app(data)
    phone = open_phone(app.url + "journal")  # even a typed address is replaced by "/"
    phone.wait("heading", "Locked")
    assert phone.page.title() == "Notes"
    phone.type_into("PIN", PIN)
    phone.tap("button", "Unlock")
    phone.wait("heading", "Journal")
    visited = []
    for tab in ("Journal", "Check-in", "More"):
        phone.tap("tab", tab)
        phone.wait("heading", tab)
        visited.append(phone.page.url)
    phone.tap("button", "Privacy and your data", exact=False)
    phone.wait("heading", "Privacy and your data")
    visited.append(phone.page.url)
    assert set(visited) == {app.url} and phone.page.title() == "Notes"
    history = phone.page.evaluate("history.length")
    assert_accessible(phone)
    phone.screenshot("07-discreet")

    phone.tap("button", "Export everything")
    phone.type_into("A passphrase for this file", "lantern quiet meadow ferry")
    phone.type_into("The passphrase again", "lantern quiet meadow ferry")
    with phone.page.expect_download(timeout=30_000) as saving:
        phone.tap("button", "Save the file")
    assert saving.value.suggested_filename == "notes-2026-11-26.json"
    assert phone.page.url == app.url and phone.page.evaluate("history.length") == history

    phone.tap("button", "Quick exit")
    phone.wait("heading", "Notes")
    phone.see("No notes yet.")
    assert phone.control("button", "Get help now").count() == 0
    assert page_holds(phone, CANARY) == [] and page_holds(phone, "Export") == []
    phone.screenshot("08-quick-exit")
    phone.tap("button", "Continue")
    phone.wait("heading", "Locked")  # with a PIN, quick exit locked Regroup behind the plain page
    assert "locking (quick exit)" in app.log()
