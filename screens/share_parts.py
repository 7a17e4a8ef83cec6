"""Sharing, where a record lives: one switch and one line saying what the specialist can see of it.

A record is private until the person turns its switch on; the switch is shown only on a paired phone.
"""

from __future__ import annotations

from typing import Awaitable, Callable

import flet as ft

from app.i18n import _
from screens import messages
from screens.widgets import small, snack


def mark_words(mark) -> str:
    """One plain sentence for a record's sharing state (outbox.Mark)."""
    if mark is None:
        return _("Private: only you can see it.")
    state, note = mark.state, mark.note
    if state == "shared":
        return _("Shared with your specialist. Changes you make later are shared too.")
    if state == "waiting":
        return _("Waiting to be sent to your specialist. It goes the next time this phone is online.")
    if state == "unsharing":
        return _("Being taken back: your specialist stops seeing it the next time this phone is online.")
    if state in ("refused", "removed", "revoked_elsewhere"):
        return messages.refusal(note)
    if state == "closed":
        return _("Your specialist still has the copy you shared before. Nothing new is sent.")
    return _("Private: only you can see it.")


def share_switch(shell, label: str, mark, on_change: Callable[[bool], Awaitable[object]]) -> ft.Control:
    """A switch with its state in words underneath; `on_change(on)` returns the record's new Mark."""
    on = bool(mark and mark.state in ("shared", "waiting"))
    words = small(mark_words(mark))
    switch = ft.Switch(label=label, value=on, label_position=ft.LabelPosition.RIGHT)

    async def changed(e):
        wanted = bool(e.control.value)
        try:
            new = await on_change(wanted)
        except Exception as exc:  # noqa: BLE001 - say why; the switch goes back
            switch.value = not wanted
            words.value = messages.describe(exc, what="sharing not changed")
            shell.page.update()
            return
        switch.value = bool(new and new.state in ("shared", "waiting"))
        words.value = mark_words(new)
        snack(shell.page, mark_words(new))
        shell.page.update()

    switch.on_change = changed
    return ft.Column([switch, words], spacing=2, tight=True)


async def default_note(shell, kind: str) -> list[ft.Control]:
    """Under a form whose records are shared automatically: say so before the person saves."""
    status = await shell.services.sharing.status()
    if not (status.paired and status.defaults.get(kind)):
        return []
    words = {"checkin": _("New check-ins are shared with your specialist. You can change this in Share with my "
                          "specialist, or stop sharing one from its details."),
             "wellbeing": _("Your result is shared with your specialist. You can change this in Share with my "
                            "specialist.")}[kind]
    return [ft.Row([ft.Icon(ft.Icons.FORUM_OUTLINED, size=18, color=ft.Colors.ON_SURFACE_VARIANT),
                    ft.Text(words, expand=True, theme_style=ft.TextThemeStyle.BODY_SMALL,
                            color=ft.Colors.ON_SURFACE_VARIANT)], vertical_alignment=ft.CrossAxisAlignment.START)]


async def record_switch(shell, entity: str, record_id: str, label: str) -> list[ft.Control]:
    """The switch for one saved record, or nothing on a phone that is not paired."""
    sharing = shell.services.sharing
    if not await sharing.is_paired():
        return []
    mark = (await sharing.marks(entity, [record_id])).get(record_id)
    return [share_switch(shell, label, mark, lambda on: sharing.set_shared(entity, record_id, on))]
