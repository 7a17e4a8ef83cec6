"""What quick exit shows: a plain, empty notes page that says nothing about Regroup."""

from __future__ import annotations

import flet as ft

from app.i18n import _
from screens.widgets import Screen, body, page_body


def build(shell) -> Screen:
    return Screen(title=_("Notes"), controls=[page_body([
        body(_("No notes yet."), muted=True),
        ft.TextButton(_("Continue"), on_click=shell.leave_neutral),
    ])])
