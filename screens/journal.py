"""Journal: the private, encrypted record (writing arrives with the journal issue)."""

from __future__ import annotations

import flet as ft

from app.i18n import _
from screens.widgets import Screen, empty_state, page_body


async def build(shell) -> Screen:
    return Screen(title=_("Journal"), controls=[page_body([empty_state(
        ft.Icons.BOOK_OUTLINED,
        _("Your journal is empty"),
        _("Entries you write will be kept on this phone, encrypted, and shared with no one unless you choose."),
    )])])
