"""Check-in: mood, feelings, stress, sleep, a note, and optionally the two-track log; under 15 seconds."""

from __future__ import annotations

import datetime as dt

import flet as ft

from app.domain import FEELINGS, RESPONSES
from app.i18n import _, format_date
from screens.share_parts import default_note
from screens.labels import FEELINGS as FEELING_WORDS, LOVED_ONE_DAY, MOODS, RESPONSES as RESPONSE_WORDS, SLEEP
from screens import messages
from screens.checkin_detail import open_checkin
from screens.labels import toggle_chip, word
from screens.steps import number_picker
from screens.theme import TOUCH, scaled_size, text_scale
from screens.gentle import show_gentle_help, who5_words
from screens.widgets import Screen, body, card, choice_button, heading, icon_button, page_body, set_chosen, small, snack



def _mood_buttons(state: dict, on_pick) -> ft.Control:
    """Five named choices, an icon and a word each (no emoji: no emoji font is bundled); the chosen one says so
    to screen readers (aria-current in Chromium, "selected" on Android)."""
    buttons: dict[int, ft.Semantics] = {}

    def pick(n: int):
        state["mood"] = n
        for k, b in buttons.items():
            set_chosen(b, k == n)
        on_pick()

    large = text_scale() >= 1.5  # five in a row leave 60 px each: large words get a full-width row instead
    for n, (label, icon, color) in MOODS.items():
        if large:
            content = ft.Container(ft.Row([ft.Icon(icon, color=color, size=scaled_size(28)),
                                           ft.Text(label(), theme_style=ft.TextThemeStyle.BODY_LARGE, expand=True)],
                                          spacing=12), padding=ft.Padding.symmetric(horizontal=16, vertical=6))
        else:
            content = ft.Column([ft.Icon(icon, color=color, size=28),
                                 ft.Text(label(), theme_style=ft.TextThemeStyle.LABEL_MEDIUM,
                                         text_align=ft.TextAlign.CENTER, no_wrap=False)],
                                spacing=2, horizontal_alignment=ft.CrossAxisAlignment.CENTER, tight=True,
                                alignment=ft.MainAxisAlignment.CENTER)
        buttons[n] = choice_button(content, selected=state.get("mood") == n, height=None if large else 76,
                                   expand=not large, on_click=lambda e, n=n: pick(n))
    if large:
        return ft.Column(list(buttons.values()), spacing=6, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
    return ft.Row(list(buttons.values()), spacing=6)


async def build(shell) -> Screen:
    page, services = shell.page, shell.services
    overview = await services.checkins.overview(limit=7)
    state: dict = {"mood": None, "feelings": [], "stress": None, "sleep": None, "lod": None, "responses": []}
    note = ft.TextField(label=_("A note (optional)"), multiline=True, min_lines=2, max_lines=6,
                        capitalization=ft.TextCapitalization.SENTENCES)
    error = ft.Text(color=ft.Colors.ERROR, visible=False)

    two_track = _two_track(state)

    def show_two_track(e):
        two_track.visible = bool(e.control.value)
        two_track.update()

    async def save(e):
        if state["mood"] is None:
            error.value, error.visible = _("Choose how you are feeling first."), True
            page.update()
            return
        try:
            saved = await services.checkins.add(
                mood=state["mood"], feelings=state["feelings"], stress=state["stress"], sleep=state["sleep"],
                note=note.value, loved_one_day=state["lod"] if two_track.visible else None,
                my_response=state["responses"] if two_track.visible else [])
        except Exception as exc:  # noqa: BLE001 - keep what was chosen on screen
            error.value = messages.describe(exc, what="check-in not saved") + " " + _(
                "Everything you chose is still here.")
            error.visible = True
            page.update()
            return
        await shell.refresh()
        snack(page, _("Check-in saved. Thank you for taking a moment for yourself."))
        if saved.gentle_help:
            show_gentle_help(shell)

    controls: list[ft.Control] = _due_notes(shell, overview.status)
    controls += [
        heading(_("How are you feeling?"), level="section"),
        _mood_buttons(state, lambda: (setattr(error, "visible", False), page.update())),
        heading(_("Any of these feelings?"), level="section"),
        ft.Row([toggle_chip(word(FEELING_WORDS, f), False, lambda on, f=f: _toggle(state["feelings"], f, on))
                for f in FEELINGS], wrap=True, spacing=8, run_spacing=8),
        heading(_("Stress today, from 0 to 10"), level="section"),
        number_picker(_("Stress today, from 0 to 10"), 0, 10, None, lambda n: state.update(stress=n),
                      _("None"), _("Extreme")),
        heading(_("How did you sleep?"), level="section"),
        number_picker(_("How did you sleep?"), 1, 5, None, lambda n: state.update(sleep=n),
                      word(SLEEP, 1), word(SLEEP, 5)),
        note,
        ft.Switch(label=_("Also log my loved one's day"), on_change=show_two_track),
        two_track,
        error,
        *await default_note(shell, "checkin"),
        ft.FilledButton(_("Save check-in"), icon=ft.Icons.CHECK, on_click=save),
        ft.OutlinedButton(_("See your trends"), icon=ft.Icons.INSIGHTS,
                          on_click=lambda e: page.run_task(shell.go, "/trends")),
        _recent(shell, overview.recent),
    ]
    return Screen(title=_("Check-in"), controls=[page_body(controls)])


def _toggle(chosen: list, item: str, on: bool) -> None:
    if on and item not in chosen:
        chosen.append(item)
    elif not on and item in chosen:
        chosen.remove(item)


def _two_track(state: dict) -> ft.Column:
    """The loved one's day and the person's responses (CRAFT's two tracks), shown when switched on."""
    lod = ft.SegmentedButton(selected=[], allow_empty_selection=True, show_selected_icon=False,
                             segments=[ft.Segment(value=k, label=ft.Text(word(LOVED_ONE_DAY, k)))
                                       for k in ("use", "non_use", "unknown")],
                             style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=4, vertical=14)),
                             on_change=lambda e: state.update(lod=(e.control.selected or [None])[0]))
    return ft.Column([
        small(_("Their day, and how you responded. Over time this shows which of your responses go with "
                "better days.")),
        heading(_("Your loved one's day"), level="section"), lod,
        heading(_("How did you respond?"), level="section"),
        ft.Row([toggle_chip(word(RESPONSE_WORDS, r), False, lambda on, r=r: _toggle(state["responses"], r, on))
                for r in RESPONSES], wrap=True, spacing=8, run_spacing=8),
    ], visible=False, spacing=12, tight=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)


def _due_notes(shell, status) -> list[ft.Control]:
    notes: list[ft.Control] = []
    if status.who5_due:
        notes.append(card(heading(_("Your weekly wellbeing check"), level="section"),
                          body(who5_words()),
                          ft.FilledTonalButton(_("Start the wellbeing check"),
                                               on_click=lambda e: shell.page.run_task(shell.go, "/who5")),
                          tone="notice"))
    if status.checked_in:
        notes.append(small(_("You have checked in today. You can add another check-in at any time.")))
    return notes


def _recent(shell, items) -> ft.Control:
    if not items:
        return small(_("Your check-ins will appear here."))
    rows = []
    for c in items:
        day = format_date(dt.date.fromisoformat(c.local_day))
        label, icon, color = MOODS[c.mood]
        detail = label() + (_(" · stress {n}").format(n=c.stress) if c.stress is not None else "")

        async def delete(e, cid=c.id, day=day):
            await shell.services.checkins.delete(cid)
            await shell.refresh()
            snack(shell.page, _("Check-in deleted"))

        rows.append(ft.ListTile(leading=ft.Icon(icon, color=color), title=ft.Text(day), subtitle=ft.Text(detail),
                                on_click=lambda e, cid=c.id: shell.page.run_task(open_checkin, shell, cid),
                                trailing=icon_button(ft.Icons.DELETE_OUTLINE,
                                                     _("Delete check-in from {day}").format(day=day), delete)))
    return ft.Column([heading(_("Recent check-ins"), level="section"),
                      small(_("Tap a check-in to read it whole.")), *rows], spacing=0, tight=True)
