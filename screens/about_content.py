"""About this content: what the journeys draw on, and what Regroup is not."""

from __future__ import annotations

import flet as ft

from app.i18n import _
from screens.widgets import Screen, body, card, heading, page_body, small


async def build(shell) -> Screen:
    library = shell.services.library
    sources = library.sources if library else ()
    items = []
    for s in sources:
        parts = [ft.Text(s["title"], weight=ft.FontWeight.W_600), small(s["by"] + (f", {s['year']}" if s["year"] else "")),
                 body(s["about"], muted=True)]
        if s["url"]:
            parts.append(small(s["url"]))
        items.append(ft.Column(parts, spacing=2, tight=True))
    controls = [
        body(_("The journeys are written in plain words for families, in the spirit of approaches with good "
               "evidence: Community Reinforcement and Family Training (CRAFT), Invitation to Change, and "
               "motivational interviewing, together with family guides from public health agencies.")),
        card(heading(_("Not a replacement for professional help"), level="section"),
             body(_("Regroup supports the work you do with your specialist. It does not diagnose, treat, or "
                    "give medical advice, and it is not a crisis service. Talk to a doctor about anything "
                    "medical, and use Get help now if anyone is in danger.")), tone="notice"),
        heading(_("Sources"), level="section"),
        *items,
    ]
    return Screen(title=_("About this content"), controls=[page_body(controls)])
