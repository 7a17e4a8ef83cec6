"""A newcomer's first minutes, in Chromium at 412 x 915, found by role and name like a screen reader would."""

from __future__ import annotations


from app import store
from tests.e2e.harness import SCREENSHOTS, seed

DESTINATIONS = ["Today", "Journeys", "Journal", "Check-in", "More"]


def assert_accessible(phone):
    """Every touchable control has a name, and a thumb-sized target."""
    assert phone.unnamed_controls() == []
    assert phone.small_targets() == []


def test_newcomer_onboards_visits_everything_and_switches_to_dark(start_app, open_phone):
    app = start_app()
    phone = open_phone(app.url, locale="en-US")
    phone.wait("heading", "Welcome")
    phone.wait("button", "Get help now")
    phone.see("not a crisis service")
    phone.screenshot("01-welcome")
    assert_accessible(phone)

    phone.tap("button", "Choose country")
    phone.tap("button", "Ireland")
    phone.see("Country: Ireland")
    phone.type_into("Your first name (optional)", "Maria")
    phone.screenshot("02-welcome-filled")
    phone.tap("button", "Start using Regroup")
    phone.wait("heading", "A lock")
    phone.tap("button", "Not now")

    phone.see("Maria")
    phone.wait("heading", "Today")
    for label in DESTINATIONS:
        phone.tap("tab", label)
        phone.wait("heading", label)
        phone.wait("button", "Get help now")
        assert_accessible(phone)
        phone.screenshot(f"03-{label.lower()}")

    phone.tap("button", "Get help now")
    phone.wait("heading", "Get help now")
    phone.wait("button", "Call 112 or 999")  # Ireland: the chosen country, not the US locale
    phone.wait("button", "Call 1800 459 459")
    phone.see("Drug and alcohol help (not crisis lines)")
    phone.see("Source: Health Service Executive")
    assert_accessible(phone)
    phone.screenshot("04-help-ireland")
    phone.tap("button", "Back")
    phone.wait("heading", "More")

    phone.tap("button", "Settings Country, name, theme and check-in time")
    phone.wait("heading", "Settings")
    assert_accessible(phone)
    light = phone.background_luminance()
    phone.tap("radio", "Dark")
    phone.until(lambda: phone.background_luminance() < 60, what="the dark theme")
    dark = phone.background_luminance()
    phone.screenshot("05-settings-dark")
    assert light > 200 and dark < 60, (light, dark)

    phone.reload()  # finishing onboarding and the theme are remembered
    phone.wait("heading", "Settings")  # the same page, not the welcome again
    assert phone.control("heading", "Welcome").count() == 0
    assert phone.background_luminance() < 60
    phone.tap("button", "Back")
    phone.tap("tab", "Today")
    phone.see("Maria")
    phone.screenshot("06-today-dark-after-reload")


def test_help_works_before_any_setting_from_the_locale(start_app, open_phone):
    app = start_app()
    phone = open_phone(app.url, locale="en-AU")
    phone.tap("button", "Get help now")
    phone.wait("heading", "Get help now")
    phone.see("Numbers for Australia")
    phone.wait("button", "Call 000")
    phone.wait("button", "Call 13 11 14")
    phone.wait("button", "Call 1800 737 732")
    phone.screenshot("01-help-australia")

    phone.tap("button", "Change country")
    phone.tap("button", "United States")
    phone.wait("button", "Call 911")
    phone.wait("button", "Call 988")
    phone.wait("button", "Call 1-800-662-4357")
    text = phone.screen_text()
    crisis, substance = text.index("Crisis and suicide lines"), text.index("Drug and alcohol help")
    assert crisis < text.index("988 Suicide") < substance < text.index("SAMHSA National Helpline")
    phone.screenshot("02-help-united-states")
    phone.tap("button", "Back")
    phone.wait("heading", "Welcome")  # onboarding is still waiting, nothing was skipped


def test_help_without_a_known_country_asks_and_still_gives_emergency_advice(start_app, open_phone):
    app = start_app()
    phone = open_phone(app.url, locale="it-IT")  # a country the crisis file does not cover
    phone.tap("button", "Get help now")
    phone.see("Call your local emergency number")
    phone.tap("button", "Change country")
    phone.tap("button", "Spain")
    phone.wait("button", "Call 112")
    phone.wait("button", "Call 024")
    phone.wait("button", "Call 016")


def test_wide_window_moves_navigation_to_a_rail(tmp_path, start_app, open_phone):
    seed(tmp_path / "data", onboarded=True, country="GB", display_name="Lee")
    app = start_app(tmp_path / "data")
    phone = open_phone(app.url, viewport={"width": 1280, "height": 800})
    phone.wait("heading", "Today")
    assert phone.page.get_by_role("tab").count() == 0  # no bottom bar
    for label in DESTINATIONS:
        phone.wait("button", label, exact=False)
    phone.tap("button", "Journal", exact=False)
    phone.wait("heading", "Journal")
    phone.screenshot("01-rail-journal")


def test_damaged_store_is_explained_kept_and_replaced_only_when_asked(tmp_path, start_app, open_phone):
    data = tmp_path / "data"
    data.mkdir()
    (data / store.DB_NAME).write_bytes(b"definitely not sqlite " * 300)
    app = start_app(data)
    phone = open_phone(app.url)
    phone.see("Your saved data could not be read")
    phone.screenshot("01-problem")
    phone.tap("button", "Get help now")
    phone.wait("heading", "Get help now")
    phone.tap("button", "Back")
    assert (data / store.DB_NAME).read_bytes().startswith(b"definitely not sqlite")

    phone.tap("button", "Start fresh")
    phone.tap("button", "Move aside and start fresh")
    phone.wait("heading", "Welcome")
    kept = list(data.glob(store.DB_NAME + ".unreadable-*"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"definitely not sqlite")
    phone.screenshot("02-fresh-start")


def test_small_phone_360_by_640_is_readable(tmp_path, start_app, open_phone):
    seed(tmp_path / "data", onboarded=True, country="CA", display_name="Jo")
    app = start_app(tmp_path / "data")
    phone = open_phone(app.url, viewport={"width": 360, "height": 640})
    phone.see("Jo")
    assert_accessible(phone)
    phone.screenshot("01-today")
    phone.tap("button", "Get help now")
    phone.wait("button", "Call 9-8-8")  # Canada: its own 9-8-8 line
    assert_accessible(phone)
    phone.screenshot("02-help-canada")


def test_screenshots_land_in_the_ignored_folder():
    import subprocess
    out = subprocess.run(["git", "check-ignore", str(SCREENSHOTS / "x.png")], capture_output=True, text=True)
    assert out.returncode == 0
