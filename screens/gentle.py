"""Gentle crisis help after a low WHO-5 or a "Very low" mood: calm words and the lines, never alarm."""

from __future__ import annotations

import flet as ft

from app.i18n import _
from screens.widgets import body, card, heading


def who5_words() -> str:
    """Why the weekly check asks about two weeks (the WHO-5 is built that way) and why it is offered weekly."""
    return _("Five short questions about how you have felt over the last two weeks. That is how the WHO-5 is "
             "made; it is offered each week so you can see changes sooner.")


def _words(shell) -> dict[str, str]:
    """The content's gentle-help title and body (content/en/safety.yaml), or plain words if it did not load."""
    return (shell.services.library.gentle_help if shell.services.library else None) or {
        "title": _("You are carrying a lot"),
        "body": _("It can help to talk to someone today. Get help now has free lines for your country.")}


def gentle_help_card(shell) -> ft.Control:
    """The gentle-help words with the way to the lines, on the WHO-5 result."""
    words = _words(shell)
    return card(heading(words["title"], level="section"), body(words["body"]),
                ft.FilledTonalButton(_("See the lines for your country"), icon=ft.Icons.SOS_OUTLINED,
                                     on_click=shell.open_help), tone="notice")


def show_gentle_help(shell) -> None:
    """After a "Very low" check-in (at most once a day: the use-case decides): the card, in a dialog."""
    page = shell.page

    async def to_help(e):
        page.pop_dialog()
        await shell.open_help()

    words = _words(shell)
    page.show_dialog(ft.AlertDialog(
        title=ft.Text(words["title"]),
        content=ft.Column([body(words["body"])], tight=True,
                          scroll=ft.ScrollMode.AUTO, width=360),
        actions=[ft.TextButton(_("Not now"), on_click=lambda e: page.pop_dialog()),
                 ft.FilledTonalButton(_("See the lines for your country"), icon=ft.Icons.SOS_OUTLINED,
                                      on_click=to_help)], scrollable=True))
