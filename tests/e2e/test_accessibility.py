"""Accessibility in Chromium with Flutter's semantics on (issue 15): every screen names its controls and
announces their state, charts have a text alternative, and the keyboard alone reaches and uses things.

The walk scrolls each screen from top to bottom, because Flutter puts only what is near the viewport into the
accessibility tree. It fails on a button, tab, field, checkbox, radio, switch, slider or link without a name;
a control the Tab key cannot reach; a checkbox, radio or switch without aria-checked; a tab without
aria-selected; a set of choices (one chosen) where some do not announce aria-current; and an image without a
description that is not marked decorative.
"""

from __future__ import annotations

import time

from app.store import journal
from tests.e2e.harness import _mean_luminance, read_store
from tests.e2e.test_first_use import seed_a_month

# Every screen a person can reach (a step of each of the seven kinds, the entry editor, privacy's screens).
ROUTES = ("today", "journeys", "journal", "checkin", "more", "settings", "privacy", "about", "help",
          "about-content", "trends", "who5", "loved-one", "journey/after", "journey/reapproach",
          "step/after/not-the-end", "step/after/feelings-reflect", "step/after/debrief", "step/after/settle",
          "step/after/this-week", "step/learn/myths", "step/reapproach/readiness", "step/coping/safety-plan",
          "entry/new", "summary", "export", "import", "erase", "pin")

PROBLEMS_JS = """() => {
    const out = [];
    const touchable = ['button', 'tab', 'checkbox', 'radio', 'switch', 'slider', 'link', 'menuitem', 'textbox'];
    const name = e => ((e.getAttribute('aria-label') || '') + (e.textContent || '')).trim();
    const what = e => `${e.getAttribute('role') || e.tagName.toLowerCase()} ${JSON.stringify(name(e).slice(0, 40))}`;
    for (const e of document.querySelectorAll('flt-semantics[role]')) {
        const role = e.getAttribute('role');
        if (touchable.includes(role) && !name(e)) out.push(`no name: ${role}`);
        if (['checkbox', 'radio', 'switch'].includes(role) && !e.hasAttribute('aria-checked'))
            out.push(`no checked state: ${what(e)}`);
        if (role === 'tab' && !e.hasAttribute('aria-selected')) out.push(`no selected state: ${what(e)}`);
        if (touchable.includes(role) && !e.hasAttribute('tabindex') && e.getAttribute('aria-disabled') !== 'true')
            out.push(`no keyboard stop: ${what(e)}`);
        if (role === 'img' && !e.getAttribute('aria-label') && e.getAttribute('aria-hidden') !== 'true')
            out.push('image without a description');
    }
    // A set of choices: a run of sibling buttons around a chosen one (aria-current="true"); a button inside the
    // run that does not say whether it is chosen breaks the set (list rows say "false" without being choices)
    const parents = new Set([...document.querySelectorAll('flt-semantics[role=button][aria-current=true]')]
        .map(e => e.parentElement));
    for (const p of parents) {
        const kids = [...p.children].filter(c => c.getAttribute('role') === 'button');
        const stated = kids.map(c => c.hasAttribute('aria-current'));
        const first = stated.indexOf(true), last = stated.lastIndexOf(true);
        kids.forEach((c, i) => {
            if (i > first && i < last && !stated[i]) out.push(`choice without its state: ${what(c)}`); });
    }
    for (const e of document.querySelectorAll('flt-semantics input, flt-semantics textarea'))
        if (!(e.getAttribute('aria-label') || '').trim()) out.push(`no name: text field`);
    return out;
}"""


def problems_on_screen(phone) -> set[str]:
    """Scroll through the screen, collecting what the accessibility tree gets wrong at every position."""
    page, found = phone.page, set()
    view = page.viewport_size
    last = None
    phone.still(quiet=250)
    for _ in range(12):
        found.update(page.evaluate(PROBLEMS_JS))
        text = phone.screen_text()
        if text == last:
            break
        last = text
        page.mouse.move(view["width"] / 2, view["height"] / 2)
        page.mouse.wheel(0, view["height"] * 0.7)
        phone.settle(quiet=250, cap=1_500)  # the scroll drawn and the tree caught up (at the end: nothing moves)
    return found


def test_every_screen_names_its_controls_and_announces_their_state(tmp_path, start_app, open_phone):
    data = tmp_path / "data"
    seed_a_month(data)
    app = start_app(data)
    phone = open_phone(app.url)
    phone.wait("heading", "Today")
    problems: dict[str, set[str]] = {}
    for route in ROUTES:
        if route != "today":  # where it opened
            phone.visit(route)
        found = problems_on_screen(phone)
        if found:
            problems[route] = found
    # every set of choices says which one is chosen, and that the others are not
    phone.visit("checkin")
    phone.tap("button", "Good")
    phone.tap("button", "7")
    for chosen, others in (("Good", ("Very low", "Low", "Okay", "Very good")), ("7", ("0", "6", "10"))):
        assert phone.control("button", chosen).first.get_attribute("aria-current") == "true"
        assert {phone.control("button", o).first.get_attribute("aria-current") for o in others} == {"false"}
    assert phone.control("checkbox", "Fear").get_attribute("aria-checked") == "false"
    phone.visit("trends")
    assert [phone.control("button", p).get_attribute("aria-current") for p in ("7 days", "30 days", "1 year")] \
        == ["false", "true", "false"]
    phone.visit("settings")
    assert phone.control("radio", "100% (standard)").get_attribute("aria-checked") == "true"
    assert phone.control("switch", "Reduce motion").get_attribute("aria-checked") == "false"
    phone.visit("journal")
    assert phone.control("button", "Any time").get_attribute("aria-current") == "true"
    phone.tap("button", "Choose dates")
    found = phone.page.evaluate(PROBLEMS_JS)
    if found:
        problems["journal: date dialog"] = set(found)
    assert problems == {}, "\n".join(f"{r}: {sorted(p)}" for r, p in problems.items())


def test_every_chart_has_a_text_alternative(tmp_path, start_app, open_phone):
    data = tmp_path / "data"
    seed_a_month(data)
    app = start_app(data)
    phone = open_phone(app.url)
    phone.wait("heading", "Today")
    phone.visit("trends")
    for alternative in ("Mood on 19 days: lowest", "Stress on", "Wellbeing scores in this period, oldest first: 48, 60",
                        "Mood on non-use days:", "Mood by day this month, 1 (very low) to 5 (very good):"):
        phone.see(alternative)


def _focused(phone) -> str:
    """What has the keyboard focus, as a screen reader names it."""
    return phone.page.evaluate("""() => { const e = document.activeElement;
        const s = e && (e.getAttribute('aria-label') ? e : (e.closest('flt-semantics') || e));
        return s ? ((s.getAttribute('aria-label') || '') || (s.textContent || '')).trim() : ''; }""")


def press_and_follow(phone, key: str) -> str:
    """Press a key and return what has the focus once it has moved (or after 2 s, if it stays put): a wait on
    the page's focus, not a fixed pause."""
    before = _focused(phone)
    phone.page.keyboard.press(key)
    deadline = time.monotonic() + 2
    while (now := _focused(phone)) == before and time.monotonic() < deadline:
        phone.page.wait_for_timeout(30)
    return now


def tab_to(phone, name: str, *, key: str = "Tab", limit: int = 40) -> list[str]:
    """Press Tab (or Shift+Tab) until the named control has the focus; the names passed on the way."""
    passed = []
    for _ in range(limit):
        passed.append(press_and_follow(phone, key))
        if passed[-1] == name:
            return passed
    raise AssertionError(f"{name!r} never took the focus with {key}: {passed}")


def _ring_changes(phone, name: str) -> bool:
    """With `name` focused, compare a thin strip along the top edge of its box with the same strip once Shift+Tab
    moved the focus away: a 3 px ring darkens the strip a lot; Material's 10% focus tint only a little."""
    box = phone.control("button", name).bounding_box()
    strip = {"x": box["x"] + 12, "y": box["y"], "width": max(box["width"] - 24, 4), "height": 3}
    focused = _mean_luminance(phone.page.screenshot(clip=strip))
    phone.page.keyboard.press("Shift+Tab")
    unfocused, deadline = focused, time.monotonic() + 3  # the canvas redraws when the app's frame comes
    while abs(unfocused - focused) <= 20 and time.monotonic() < deadline:
        phone.page.wait_for_timeout(100)
        unfocused = _mean_luminance(phone.page.screenshot(clip=strip))
    print(f"focus ring on {name!r}: {unfocused:.0f} -> {focused:.0f}")
    return abs(unfocused - focused) > 20


def test_today_and_a_journal_entry_with_the_keyboard_alone(tmp_path, start_app, open_phone):
    data = tmp_path / "data"
    seed_a_month(data)
    app = start_app(data)
    phone = open_phone(app.url)
    phone.wait("heading", "Today")

    # Today in reading order: help first, then the right-now kit, then what is due; Shift+Tab goes back
    passed = tab_to(phone, "Check in now")
    order = [n for n in ("Get help now", "Breathe", "Ground: 5-4-3-2-1", "Is anyone in danger right now?",
                         "A quick note", "Check in now") if n in passed]
    assert order == ["Get help now", "Breathe", "Ground: 5-4-3-2-1", "Is anyone in danger right now?",
                     "A quick note", "Check in now"], passed
    assert tab_to(phone, "A quick note", key="Shift+Tab") == ["A quick note"]
    assert press_and_follow(phone, "Shift+Tab") == "Is anyone in danger right now?"
    phone.page.keyboard.press("Enter")  # Enter opens the danger question
    phone.see("Yes, someone may be in danger")
    phone.page.keyboard.press("Escape")  # and Escape closes it
    gone = phone.page.get_by_text("Yes, someone may be in danger").or_(
        phone.page.locator('[aria-label*="Yes, someone may be in danger"]'))
    phone.until(lambda: gone.count() == 0, what="Escape to close the question")

    # Space works too: Breathe opens the breathing practice
    phone.goto(app.url + "today")
    tab_to(phone, "Breathe")
    phone.page.keyboard.press("Space")
    phone.see("Slow breathing")
    phone.screenshot("focus-after-space")

    # A choice of a set: Tab to a mood and choose it with Enter
    phone.goto(app.url + "checkin")
    tab_to(phone, "Okay")
    phone.page.keyboard.press("Enter")  # the app answers over its socket: wait for the state, not a fixed time
    phone.until(lambda: phone.control("button", "Okay").get_attribute("aria-current") == "true",
                what="Okay chosen with Enter (aria-current)")
    # the keyboard focus on a choice is the same 3 px ring as on every button, not only a tint
    tab_to(phone, "Good")
    assert _ring_changes(phone, "Good"), "the focus on a choice is not visible"

    # A journal entry: Tab to the button, Enter, type, Tab to Save entry, Enter
    phone.goto(app.url + "journal")
    tab_to(phone, "Write an entry")
    phone.page.keyboard.press("Enter")
    phone.wait("heading", "New entry")
    tab_to(phone, "What is on your mind?")
    phone.page.keyboard.type("Typed with the keyboard only.", delay=20)
    tab_to(phone, "Save entry")
    phone.screenshot("focus-on-save")
    assert _ring_changes(phone, "Save entry"), "the focus on Save entry is not visible"
    tab_to(phone, "Save entry")
    phone.page.keyboard.press("Enter")
    phone.wait("heading", "Journal")
    newest = read_store(data, lambda s: journal.list_entries(s)[0][0])
    assert newest.body == "Typed with the keyboard only."
