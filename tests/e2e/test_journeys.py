"""Journeys in Chromium at phone size: every step type, resume a half-filled worksheet, finish a journey."""

from __future__ import annotations

from app.store import journeys as js
from tests.test_summary import pdf_text
from tests.e2e.harness import read_store, seed, stored
from tests.e2e.test_shell import assert_accessible


def test_a_whole_journey_with_reflection_worksheet_checklist_and_resume(tmp_path, start_app, open_phone):
    data = tmp_path / "data"
    seed(data, onboarded=True, country="US", display_name="Ana")
    app = start_app(data)
    phone = open_phone(app.url)
    phone.tap("tab", "Journeys")
    phone.wait("heading", "Journeys")
    phone.screenshot("01-journeys")
    phone.tap("button", "Start After the intervention")
    phone.tap("button", "Start the journey")

    # 1-4: lessons (step 2 keeps everyone safe, whatever the profile says)
    phone.see("This is not the end of the road")
    assert_accessible(phone)
    phone.screenshot("02-lesson")
    for title in ("Keeping everyone alive", "Why interventions often", "The feelings that come after"):
        phone.tap("button", "Done, next step")
        phone.see(title)

    # 5: reflection, saved as a journal entry
    phone.tap("button", "Done, next step")
    phone.see("Naming what you feel")
    phone.type_into("Your answer", "Mostly anger, late at night.")
    phone.see("Saved")
    assert_accessible(phone)
    phone.screenshot("03-reflection")
    phone.tap("button", "Done, next step")

    # 6-7: lessons, then 8: the debrief worksheet, left half-filled and resumed
    phone.see("When suicide is on someone's mind")
    phone.tap("button", "Done, next step")
    phone.see("You did not cause it")
    phone.tap("button", "Done, next step")
    phone.see("Debrief: what happened")
    assert phone.control("textbox", "Who was there?").count() == 0  # the short version comes first
    phone.tap("button", "Full: 9 questions")
    phone.type_into("Who was there?", "Me, his dad and his sister")
    phone.see("Saved")
    phone.tap("radio", "They walked out")
    phone.tap("button", "7")
    phone.screenshot("04-worksheet")
    phone.tap("button", "Back")
    phone.wait("button", "Continue: Debrief: what happened")
    phone.goto(app.url)  # even a reload keeps the place
    phone.see("Debrief: what happened")  # Today suggests the step that was left
    phone.tap("button", "Open next step")
    phone.see("Debrief: what happened")
    assert phone.control("radio", "They walked out").get_attribute("aria-checked") == "true"
    assert read_store(data, js.get_worksheet, "after.debrief") == {
        "who_was_there": "Me, his dad and his sister", "their_response": "walked_out", "stress_then": 7}
    phone.screenshot("05-worksheet-resumed")

    # 9: a calming practice, 10: lesson, 11: checklist, then the journey is finished
    phone.tap("button", "Done, next step")
    phone.see("Settle: two minutes of slow breathing")
    phone.tap("button", "Done for today")
    phone.see("One step in a longer road")
    phone.tap("button", "Done, next step")
    phone.see("Looking after yourself this week")
    phone.tap("checkbox", "I ate at least one proper meal each day")
    phone.see("Saved")
    assert_accessible(phone)
    phone.screenshot("06-checklist")
    phone.tap("button", "Finish the journey")
    phone.see("11 of 11 steps done")
    phone.wait("button", "Review from the start")
    phone.screenshot("07-journey-finished")

    assert read_store(data, js.get_checklist, "after.this-week") == {"meal"}
    reflections = read_store(data, js.list_reflections, "after.feelings-reflect")
    assert reflections["strongest"].body == "Mostly anger, late at night."


def test_quiz_scale_and_practice(tmp_path, start_app, open_phone):
    seed(tmp_path / "data", onboarded=True, country="GB")
    app = start_app(tmp_path / "data")
    phone = open_phone(app.url)
    phone.tap("tab", "Journeys")
    phone.tap("button", "Start Understanding addiction")
    phone.tap("button", "3. Myth or fact? Myth or fact · 5 min · not started")
    phone.see("rock bottom")
    phone.tap("button", "Myth")
    phone.see("Right: this is a myth.")
    assert_accessible(phone)
    phone.screenshot("01-quiz")
    phone.tap("button", "Next card")
    phone.see("they would just stop")
    phone.tap("button", "Fact")
    phone.see("Not quite: this is a myth.")

    phone.goto(app.url + "step/reapproach.readiness")
    phone.see("How ready might they be?")
    phone.tap("button", "7")
    phone.see("thinking seriously about change")
    phone.see("Saved")
    stored(tmp_path / "data", js.get_worksheet, "reapproach.readiness", expected={"value": 7})
    phone.reload()  # the answer comes back from the store
    phone.see("thinking seriously about change")
    assert phone.control("button", "7").first.get_attribute("aria-current") == "true"
    assert_accessible(phone)
    phone.screenshot("02-scale")

    phone.tap("button", "Back")  # to the journey, then to the list of journeys
    phone.tap("button", "Back")
    phone.tap("button", "Start Daily coping and boundaries")
    phone.tap("button", "2. Slow breathing: three minutes Practice · 3 min · not started")
    phone.tap("button", "Start")
    phone.see("Breathe in")
    phone.screenshot("03-practice-running")
    phone.tap("button", "Pause")
    phone.see("Paused. Take your time.")
    phone.tap("button", "Resume")
    phone.tap("button", "End now")
    phone.see("for yourself.")  # what was done, kindly: not "Well done" and a full bar
    assert "Well done." not in phone.screen_text()
    assert_accessible(phone)
    phone.screenshot("04-practice-ended")
    phone.tap("button", "Done for today")
    phone.see("Grounding")  # on to the next step
    phone.tap("button", "Previous step")
    phone.tap("button", "Done for today")
    phone.tap("button", "Previous step")
    phone.see("You have done this practice 2 times")


def test_plan_is_exported_as_a_file_and_loved_one_tailors_safety(tmp_path, start_app, open_phone):
    seed(tmp_path / "data", onboarded=True, country="US")
    app = start_app(tmp_path / "data")
    phone = open_phone(app.url)
    phone.tap("tab", "Journeys")
    phone.tap("button", "About my loved one Optional and private. Tailors the safety notes in the journeys.")
    phone.tap("radio", "My child")
    phone.tap("checkbox", "Opioids (heroin, fentanyl, painkillers such as oxycodone)")
    phone.tap("radio", "No")
    phone.screenshot("01-loved-one")
    phone.tap("button", "Save")
    phone.wait("heading", "Journeys")

    phone.goto(app.url + "step/reapproach.line-up-help")
    phone.see("keep naloxone at home")
    phone.screenshot("02-safety-note")
    assert "seizures" not in phone.screen_text()  # alcohol was not chosen

    phone.tap("button", "Done, next step")
    phone.see("Your re-approach plan")
    phone.see("Is anyone at risk of being hurt if you do this?")  # asked before a step about consequences
    assert phone.control("textbox", "Who will take part, and why them?").count() == 0
    phone.tap("button", "No, we are safe")
    phone.type_into("Who will take part, and why them?", "Me and his sister, who he trusts")
    phone.see("Saved")
    phone.screenshot("03-plan")
    stored(tmp_path / "data", lambda st: (js.get_worksheet(st, "reapproach.plan") or {}).get("who"),
           expected="Me and his sister, who he trusts")  # the step's safety answer has its own "Saved" line
    phone.reload()  # the printed plan must come from the store, not from this screen's memory
    phone.wait("textbox", "Who will take part, and why them?")
    phone.tap("button", "Print the plan in a summary (PDF)")  # the plan prints in the session summary
    phone.wait("heading", "Summary")
    with phone.page.expect_download() as download:
        phone.tap("button", "Save the PDF")
    assert download.value.suggested_filename.startswith("regroup-summary-")
    text = pdf_text(download.value.path())
    assert "Your re-approach plan" in text and "Me and his sister, who he trusts" in text
