"""The app's places: the five destinations, sub-pages on top of their parent, and help over any screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import flet as ft

from app.i18n import _
from screens import (about, about_content, checkin, erase, exchange, inbox, journal, journeys, loved_one, more, pin,
                     privacy, settings, sharing, summary, today, wellbeing)


async def _trends(shell):
    """The charts page, imported when first opened: flet_charts is half a second of imports at start-up."""
    from screens import trends
    return await trends.build(shell)


@dataclass(frozen=True)
class Destination:
    route: str
    label: Callable[[], str]
    icon: ft.IconData
    selected_icon: ft.IconData
    build: Callable


DESTINATIONS = (
    Destination("/today", lambda: _("Today"), ft.Icons.WB_SUNNY_OUTLINED, ft.Icons.WB_SUNNY, today.build),
    Destination("/journeys", lambda: _("Journeys"), ft.Icons.ROUTE_OUTLINED, ft.Icons.ROUTE, journeys.build),
    Destination("/journal", lambda: _("Journal"), ft.Icons.BOOK_OUTLINED, ft.Icons.BOOK, journal.build),
    Destination("/checkin", lambda: _("Check-in"), ft.Icons.FAVORITE_BORDER, ft.Icons.FAVORITE, checkin.build),
    Destination("/more", lambda: _("More"), ft.Icons.MENU, ft.Icons.MENU_OPEN, more.build),
)
# Sub-pages sit on top of their parent (the back arrow returns there).
SUBPAGES = {"/settings": ("/more", settings.build), "/about": ("/more", about.build),
            "/loved-one": ("/journeys", loved_one.build), "/about-content": ("/journeys", about_content.build),
            "/who5": ("/checkin", wellbeing.build), "/trends": ("/checkin", _trends),
            # privacy (issue 13): the lock, and later discreet mode, export and erase
            "/privacy": ("/more", privacy.build), "/pin": ("/privacy", pin.build_pin),
            "/passphrase": ("/privacy", pin.build_passphrase), "/protect": ("/today", pin.build_offer),
            "/export": ("/privacy", exchange.build_export), "/import": ("/privacy", exchange.build_import),
            "/summary": ("/privacy", summary.build), "/erase": ("/privacy", erase.build),
            # sharing with the specialist (issue 10)
            "/sharing": ("/more", sharing.build), "/inbox": ("/sharing", inbox.build)}
HELP = "/help"

