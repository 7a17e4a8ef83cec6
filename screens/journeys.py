"""Journeys: the four guided journeys (their content and player arrive with the journeys issue)."""

from __future__ import annotations

import flet as ft

from app.i18n import _
from screens.widgets import Screen, empty_state, page_body


async def build(shell) -> Screen:
    return Screen(title=_("Journeys"), controls=[page_body([empty_state(
        ft.Icons.ROUTE,
        _("No journeys on this device yet"),
        _("Guided journeys will appear here: making sense of what happened, understanding addiction, "
          "preparing a new approach, and daily coping. An update of Regroup brings them."),
    )])])
