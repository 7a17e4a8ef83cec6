"""About this content: what the journeys draw on, and what Regroup is not."""

from __future__ import annotations

import flet as ft

from app.i18n import _
from app.journeys import steps_citing
from screens.widgets import Screen, body, card, heading, page_body, small
from screens.addresses import step_route


async def build(shell) -> Screen:
    library = shell.services.library
    sources = library.sources if library else ()
    cited = steps_citing(library) if library else {}
    items = [_source(shell, s, cited.get(s["id"], [])) for s in sources]
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


def _source(shell, s: dict, steps: list) -> ft.Control:
    """One source: title, authors and year, where it was published, what it backs, and the steps that cite it."""
    byline = s["by"] + (f", {s['year']}" if s["year"] else "")
    parts: list[ft.Control] = [ft.Text(s["title"], weight=ft.FontWeight.W_600), small(byline)]
    if s.get("published_in"):
        parts.append(small(_("Published in {where}").format(where=s["published_in"])))
    parts.append(body(s["about"], muted=True))
    if s["url"]:
        parts.append(small(s["url"]))
    if steps:
        parts.append(small(_("Cited in:")))
        parts += [ft.TextButton(step.title, icon=ft.Icons.ROUTE,
                                on_click=lambda e, sid=step.id: shell.page.run_task(shell.go, step_route(sid)))
                  for step in steps]
    return ft.Column(parts, spacing=2, tight=True)
