"""Check-in: mood and stress over time (the check-in itself arrives with the journal issue)."""

from __future__ import annotations

import flet as ft

from app.i18n import _
from screens.widgets import Screen, empty_state, page_body


async def build(shell) -> Screen:
    return Screen(title=_("Check-in"), controls=[page_body([empty_state(
        ft.Icons.FAVORITE_BORDER,
        _("No check-ins yet"),
        _("Check-ins will take a few seconds: how you feel, your stress, your sleep. "
          "Over time they show trends that can help you and your specialist."),
    )])])
