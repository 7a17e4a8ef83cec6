"""A saved check-in, read whole: mood, feelings, stress, sleep, the note, and the loved one's day."""

from __future__ import annotations

import datetime as dt

import flet as ft

from app.i18n import _, format_date, format_time
from screens.labels import FEELINGS, LOVED_ONE_DAY, MOODS, RESPONSES, SLEEP_WORDS, word
from screens.share_parts import record_switch
from screens.widgets import body, heading, small


def checkin_lines(c, when: dt.datetime) -> list[tuple[str, str]]:
    """(label, words) for each part of a check-in the person filled in, in the order they met them."""
    lines = [(_("When"), _("{date}, {time}").format(date=format_date(dt.date.fromisoformat(c.local_day)),
                                                    time=format_time(when))),
             (_("Mood"), word(MOODS, c.mood))]
    if c.feelings:
        lines.append((_("Feelings"), ", ".join(word(FEELINGS, f) for f in c.feelings)))
    if c.stress is not None:
        lines.append((_("Stress"), _("{n} out of 10").format(n=c.stress)))
    if c.sleep is not None:
        lines.append((_("Sleep"), _("{n} out of 5 ({words})").format(n=c.sleep, words=word(SLEEP_WORDS, c.sleep))))
    if c.note:
        lines.append((_("Note"), c.note))
    if c.loved_one_day:
        lines.append((_("Your loved one's day"), word(LOVED_ONE_DAY, c.loved_one_day)))
    if c.my_response:
        lines.append((_("How you responded"), ", ".join(word(RESPONSES, r) for r in c.my_response)))
    return lines


async def open_checkin(shell, checkin_id: str) -> None:
    """Show one check-in in a dialog that scrolls (a long note stays readable at 360 x 640)."""
    page = shell.page
    c = await shell.services.checkins.get(checkin_id)
    if c is None:
        return
    parts: list[ft.Control] = []
    for label, words in checkin_lines(c, shell.services.clock.to_local(c.created_at)):
        parts += [small(label), body(words)]
    parts += await record_switch(shell, "checkin", c.id, _("Share this check-in with my specialist"))
    page.show_dialog(ft.AlertDialog(
        title=heading(_("Your check-in"), level="section"),
        content=ft.Column(parts, spacing=4, tight=True, scroll=ft.ScrollMode.AUTO, width=360),
        actions=[ft.TextButton(_("Close"), on_click=lambda e: page.pop_dialog())], scrollable=True))
