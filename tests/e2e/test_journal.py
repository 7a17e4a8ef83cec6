"""Journal and check-ins in Chromium at phone size: write, edit, search, delete; check in; WHO-5; trends."""

from __future__ import annotations

import pytest

from app.demo_data import generate
from app.store import checkins, journal
from tests.e2e.harness import e2e_clock, read_store, seed, stored
from tests.e2e.test_shell import assert_accessible


def test_write_edit_search_and_delete_an_entry(tmp_path, start_app, open_phone):
    data = tmp_path / "data"
    seed(data, onboarded=True, country="US")
    app = start_app(data)
    phone = open_phone(app.url)
    phone.tap("tab", "Journal")
    phone.see("Your journal is empty")
    phone.tap("button", "Write an entry")
    phone.see("Need a place to start?")
    phone.tap("button", "Save entry")
    phone.see("Write something first")  # empty entries are not saved, and it says why
    phone.type_into("Title (optional)", "After the call")
    phone.type_into("What is on your mind?", "I kept my boundary about money and stayed calm.")
    phone.tap("checkbox", "Hope")
    assert_accessible(phone)
    phone.screenshot("01-new-entry")
    phone.tap("button", "Save entry")
    phone.see("After the call")
    phone.screenshot("02-list")

    phone.tap("button", "After the call", exact=False)
    phone.type_into("What is on your mind?", " Then I went for a walk.")
    phone.tap("button", "Save entry")
    phone.see("Then I went for a walk")

    phone.type_into("Search your journal", "walk")
    phone.see("After the call")
    phone.page.keyboard.press("Control+A")
    phone.page.keyboard.type("kettle", delay=20)
    phone.see("No entries match")
    phone.screenshot("03-search-none")

    phone.page.keyboard.press("Control+A")
    phone.page.keyboard.press("Backspace")
    phone.tap("button", "After the call", exact=False)
    phone.tap("button", "Delete entry")
    phone.tap("button", "Delete")
    phone.see("Entry deleted")
    phone.screenshot("04-deleted-with-undo")
    phone.tap("button", "Undo")
    phone.see("After the call")
    entries, _ = read_store(data, journal.list_entries)
    assert [(e.title, e.body, e.tags) for e in entries] == [
        ("After the call", "I kept my boundary about money and stayed calm. Then I went for a walk.", ("hope",))]
    phone.reload()  # and the screen shows what the store holds, not what it remembered
    phone.tap("button", "After the call", exact=False)
    phone.focus("textbox", "Title (optional)")  # Flutter puts the text in a real <input> only when focused
    assert phone.page.evaluate("document.activeElement.value") == "After the call"
    assert phone.control("checkbox", "Hope").first.get_attribute("aria-checked") == "true"


def test_a_draft_survives_leaving_the_editor(tmp_path, start_app, open_phone):
    data = tmp_path / "data"
    seed(data, onboarded=True, country="US")
    app = start_app(data)
    phone = open_phone(app.url)
    phone.goto(app.url + "entry/new")
    phone.type_into("What is on your mind?", "Half a thought I do not want to lose")
    phone.see("Saved")
    phone.page.context.close()  # as if the browser had crashed: a new tab starts a new session
    again = open_phone(app.url + "entry/new")
    again.see("We brought back what you were writing.")
    again.screenshot("01-draft-restored")
    assert read_store(data, journal.get_draft)["body"] == "Half a thought I do not want to lose"


def test_check_in_with_the_two_track_log_then_who5(tmp_path, start_app, open_phone):
    data = tmp_path / "data"
    seed(data, onboarded=True, country="GB")
    app = start_app(data)
    phone = open_phone(app.url)
    phone.see("How are you today?")
    phone.tap("tab", "Check-in")
    phone.tap("button", "Save check-in")
    phone.see("Choose how you are feeling first.")
    phone.tap("button", "Good")
    phone.tap("checkbox", "Hope")
    phone.tap("button", "4")
    phone.tap("switch", "Also log my loved one's day")
    phone.tap("button", "Non-use day")
    phone.tap("checkbox", "Spent sober time together")
    assert_accessible(phone)
    phone.screenshot("01-checkin")
    phone.tap("button", "Save check-in")
    phone.see("Recent check-ins")  # the saved check-in is listed (a snack bar can come and go)
    saved = read_store(data, checkins.list_checkins)
    assert [(c.mood, c.feelings, c.loved_one_day, c.my_response) for c in saved] == [
        (4, ("hope",), "non_use", ("spent_time_together",))]

    phone.tap("button", "Start the wellbeing check")
    for question in range(5):
        answer = phone.page.get_by_role("radio", name="At no time").nth(question)
        answer.click()
        phone.until(lambda: answer.get_attribute("aria-checked") == "true", what=f"answer {question + 1} chosen")
    phone.tap("button", "See my score")
    phone.see("Your score: 0 out of 100")
    stored(data, lambda st: [(w.items, w.score) for w in checkins.list_wellbeing(st)], expected=[((0, 0, 0, 0, 0), 0)])
    phone.see("You are carrying a lot")  # 50 or lower: the crisis lines, gently (the first time today)
    phone.wait("button", "See the lines for your country")
    phone.screenshot("02-who5-low")


# The dates where a "this month" or "today" computed in the wrong zone or from the real clock breaks:
# the first of a month, a leap day, and a minute before the new year where UTC is already in it.
TREND_DATES = [("2027-03-01T08:00:00", "Australia/Sydney"), ("2028-02-29T21:00:00", "Europe/Dublin"),
               ("2026-12-31T23:59:00", "Pacific/Pago_Pago")]


def _mean_mood(data, now, tz, days) -> str:
    """The period's mean mood worked out here from the seeded rows (the mean of each day's mean), as shown."""
    import datetime as dt
    from app.i18n import format_number
    today = dt.date.fromisoformat(now[:10])
    since = (today - dt.timedelta(days=days - 1)).isoformat()
    rows = read_store(data, lambda s: s.db.execute("SELECT local_day, mood FROM checkins WHERE deleted_at IS NULL")
                      .fetchall())
    by_day: dict[str, list[int]] = {}
    for day, mood in rows:
        if since <= day <= today.isoformat():
            by_day.setdefault(day, []).append(mood)
    assert len(by_day) >= 3, "the seeded data should give a summary"
    means = [round(sum(m) / len(m), 2) for m in by_day.values()]
    return format_number(round(sum(means) / len(means), 1))


@pytest.mark.parametrize("now, tz", TREND_DATES, ids=["first-of-month", "leap-day", "new-years-eve-utc-11"])
def test_trends_with_data_present(tmp_path, start_app, open_phone, now, tz):
    data = tmp_path / "data"
    generate(data, years=1, entries=200, checkin_count=500, clock=e2e_clock(now, tz))
    seed(data, now=now, tz=tz, onboarded=True, country="AU")
    app = start_app(data, now=now + " frozen", tz=tz)
    phone = open_phone(app.url)
    phone.goto(app.url + "trends")
    phone.see("Mood and stress")
    phone.see(f"Over the last 30 days your mood averaged {_mean_mood(data, now, tz, 30)} out of 5")
    phone.see("Mood, from 1 (very low) to 5 (very good)")
    phone.see("Stress, from 0 (none) to 10 (extreme)")  # on its own scale, no longer at half height
    assert_accessible(phone)
    phone.screenshot("01-mood-30-days")
    phone.tap("button", "90 days")
    phone.see(f"Over the last 90 days your mood averaged {_mean_mood(data, now, tz, 90)} out of 5")
    phone.page.mouse.move(200, 500)
    for name in ("02-who5", "03-use-non-use", "04-responses-and-month"):
        phone.page.mouse.wheel(0, 600)
        phone.settle()
        phone.screenshot(name)
    text = phone.screen_text()
    assert "Mood on non-use days:" in text and "Days logged for each response" in text  # in the charts' semantics
    assert "Mood by day this month" in text and "half height" not in text
    day = int(now[8:10])
    assert f"{day}: " in text.split("Mood by day this month", 1)[1]  # today's check-in is in this month's calendar


def test_the_journal_offers_a_date_range_picker(tmp_path, start_app, open_phone):
    """The range filter itself is unit-tested (tests/test_journal.py); here: it opens and closes."""
    data = tmp_path / "data"
    seed(data, onboarded=True, country="US")
    app = start_app(data)
    phone = open_phone(app.url)
    phone.tap("tab", "Journal")
    phone.tap("button", "Choose dates")
    phone.see("Show entries between these dates")
    phone.screenshot("01-date-range-picker")
    phone.page.keyboard.press("Escape")
    phone.wait("button", "Write an entry")
