"""The sharing screens' words, built without a browser: status sentences, a record's mark, the More badge,
and a pairing link the app is opened with."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import flet as ft

from app.clock import FixedClock
from app.services.sharing import SharingStatus
from app.store.outbox import Mark
from screens import frame, messages
from screens.routes import DESTINATIONS
from screens.share_parts import mark_words
from screens.sharing import status_lines

NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)


def _shell():
    return SimpleNamespace(services=SimpleNamespace(clock=FixedClock(NOW, zone="Europe/Madrid")))


def _status(**kw) -> SharingStatus:
    base = dict(state="active", server="https://regroup.example.org", name="Maria", waiting=0, refused=0,
                last_sent_at=None, last_pulled_at=None, last_error=None, retry_at=None, unread=0,
                defaults={"checkin": False, "wellbeing": False, "journey_progress": False}, closed_at=None)
    return SharingStatus(**{**base, **kw})


def test_status_says_when_the_phone_was_last_in_touch_and_what_waits():
    lines = status_lines(_shell(), _status(last_sent_at="2026-03-01T08:58:00.000Z", waiting=3))
    assert lines == ["Last connected 2 minutes ago.", "3 items are waiting to be sent."]
    assert status_lines(_shell(), _status(waiting=1)) == ["Not connected yet.", "1 item is waiting to be sent."]


def test_status_gives_the_next_try_in_local_time_when_the_server_asked_to_wait():
    lines = status_lines(_shell(), _status(last_error="rate_limited", retry_at="2026-03-01T09:15:00.000Z"))
    assert lines[-1] == "Your specialist's service asked Regroup to wait; trying again at 10:15\u202fAM."
    offline = status_lines(_shell(), _status(last_error="server_unreachable", retry_at="2026-03-01T09:01:00.000Z"))
    assert "10:01\u202fAM" in offline[-1] and offline[-1].startswith("Offline")


def test_an_unknown_error_code_gets_the_general_words_not_a_crash():
    assert status_lines(_shell(), _status(last_error="something_new"))[-1] == messages.text("server_error")


def test_every_mark_has_plain_words():
    assert mark_words(None).startswith("Private")
    assert mark_words(Mark("shared")).startswith("Shared with your specialist.")
    assert "next time this phone is online" in mark_words(Mark("waiting"))
    assert "stops seeing it" in mark_words(Mark("unsharing"))
    assert mark_words(Mark("refused", "too_long")) == messages.refusal("too_long")
    assert mark_words(Mark("removed", "erased")) == messages.refusal("erased")
    assert mark_words(Mark("revoked_elsewhere", "revoked")) == messages.refusal("revoked")


def test_more_carries_a_badge_and_says_it_in_words_only_when_messages_wait():
    more = next(d for d in DESTINATIONS if d.route == "/more")
    today = next(d for d in DESTINATIONS if d.route == "/today")
    assert frame._icons(more, 0) == (more.icon, more.selected_icon) and frame._label(more, 0) is None
    icon, selected = frame._icons(more, 2)
    assert isinstance(icon, ft.Icon) and icon.badge == "2" and selected.badge == "2"
    assert frame._label(more, 2) == "More, 2 new from your specialist"
    assert frame._icons(more, 250)[0].badge == "99+"
    assert frame._label(today, 5) is None


def test_the_tab_bar_shows_no_tooltip_but_the_badge_s_words():
    """Flutter's default tooltip repeats a tab's visible name on hover; when the pointer leaves the bar it
    closes and the screen's semantics are rebuilt, dropping the focus a first tap on a text field had just
    given (measured: the journal's search field took two clicks after a tab press)."""
    bar = frame._bar("/journal", lambda e: None, unread=3)
    tips = {d.label: d.tooltip for d in bar.destinations}
    assert tips.pop("More") == "More, 3 new from your specialist"
    assert set(tips.values()) == {""}


def test_a_pairing_link_the_app_opens_with_goes_to_the_sharing_form():
    from screens.shell import Shell
    shell = SimpleNamespace(pending_pair_link=None)
    take = Shell._take_pair_link.__get__(shell)
    assert take("/pair?server=https%3A%2F%2Fr.example.org&code=ABCD-EFGH-JKLM") == "/sharing"
    assert shell.pending_pair_link == "regroup://pair?server=https%3A%2F%2Fr.example.org&code=ABCD-EFGH-JKLM"
    shell.pending_pair_link = None
    assert take("/journal?code=1&server=x") == "/journal?code=1&server=x" and shell.pending_pair_link is None
    assert take("/today") == "/today"


def test_a_wellbeing_result_has_its_own_switch_on_a_paired_phone_and_none_otherwise():
    """The WHO-5 result, once saved, carries a switch for that one result (as a check-in's details do)."""
    import asyncio

    from screens import wellbeing

    def build_and_submit(paired: bool):
        set_calls = []

        async def add_wellbeing(items):
            return SimpleNamespace(record=SimpleNamespace(id="w-1", score=60), needs_care=False, gentle_help=False)

        async def marks(entity, ids):
            assert (entity, ids) == ("wellbeing", ["w-1"])
            return {"w-1": Mark("shared")}

        async def set_shared(entity, rid, on):
            set_calls.append((entity, rid, on))
            return None

        async def is_paired():
            return paired

        async def status():
            return _status(state="active" if paired else "unpaired",
                           defaults={"checkin": False, "wellbeing": True, "journey_progress": False})

        shell = SimpleNamespace(page=SimpleNamespace(update=lambda *a: None, run_task=lambda *a: None,
                                                     show_dialog=lambda d: None),
                                services=SimpleNamespace(checkins=SimpleNamespace(add_wellbeing=add_wellbeing),
                                                         sharing=SimpleNamespace(marks=marks, set_shared=set_shared,
                                                                                 is_paired=is_paired, status=status)),
                                open_help=lambda e: None)

        async def go():
            screen = await wellbeing.build(shell)
            found = [c for c in _walk(screen.controls)]
            for group in [c for c in found if isinstance(c, ft.RadioGroup)]:
                group.value = "3"
                group.on_change(SimpleNamespace(control=group))
            submit = next(c for c in found if isinstance(c, ft.FilledButton) and c.content == "See my score")
            await submit.on_click(SimpleNamespace(control=submit))
            switches = [(s.label, s.value) for s in _walk(screen.controls) if isinstance(s, ft.Switch)]
            for s in [s for s in _walk(screen.controls) if isinstance(s, ft.Switch)]:
                await s.on_change(SimpleNamespace(control=SimpleNamespace(value=False)))
            return switches, set_calls
        return asyncio.run(go())

    switches, calls = build_and_submit(paired=True)
    assert switches == [("Share this result with my specialist", True)]
    assert calls == [("wellbeing", "w-1", False)]  # turning it off takes this one result back
    assert build_and_submit(paired=False) == ([], [])


def _walk(controls):
    for c in controls:
        yield c
        for name in ("controls", "content"):
            inner = getattr(c, name, None)
            if isinstance(inner, list):
                yield from _walk(inner)
            elif isinstance(inner, ft.Control):
                yield from _walk([inner])


def test_the_pairing_form_holds_the_hosting_servers_address_only_when_there_is_one():
    from screens.sharing import _pair_form

    def form(hosting):
        shell = SimpleNamespace(page=None, pending_pair_link=None, settings=SimpleNamespace(greeting_name=""),
                                services=SimpleNamespace(sharing=SimpleNamespace(hosting_server=hosting)))
        controls = _pair_form(shell)
        address = next(c for c in controls if isinstance(c, ft.TextField))
        notes = [c.value for c in controls if isinstance(c, ft.Text)]
        return address, notes

    address, notes = form("https://regroup.practice.example")
    assert address.value == "https://regroup.practice.example" and not address.disabled  # still editable
    assert "Filled in: the address this app was opened from." in notes
    address, notes = form(None)
    assert address.value == "" and "Filled in: the address this app was opened from." not in notes
