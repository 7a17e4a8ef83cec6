"""Journeys: the four guided journeys with their progress and next step."""

from __future__ import annotations

import flet as ft

from app.domain import JourneyProgress
from app.i18n import _, ngettext
from screens.widgets import Screen, body, card, empty_state, heading, page_body, small


def journey_icon(name: str) -> ft.IconData:
    return getattr(ft.Icons, name.upper(), ft.Icons.ROUTE)


def progress_line(state: JourneyProgress) -> ft.Control:
    total = len(state.journey.steps)
    label = ngettext("{done} of {total} step done", "{done} of {total} steps done", state.done_count).format(
        done=state.done_count, total=total)
    return ft.Column([
        ft.ProgressBar(value=state.fraction, bar_height=8, border_radius=4,
                       semantics_label=label),
        small(label),
    ], spacing=4, tight=True)


def _journey_card(shell, state: JourneyProgress) -> ft.Control:
    j = state.journey
    if state.finished:
        action, icon = _("Review {title}").format(title=j.title), ft.Icons.CHECK_CIRCLE_OUTLINE
    elif state.started:
        action, icon = _("Continue {title}").format(title=j.title), ft.Icons.PLAY_ARROW
    else:
        action, icon = _("Start {title}").format(title=j.title), ft.Icons.PLAY_ARROW
    nxt = state.next_step
    return card(
        ft.Row([ft.Icon(journey_icon(j.icon), color=ft.Colors.PRIMARY),
                ft.Container(heading(j.title, level="section"), expand=True)],  # wraps, not cut, at large text
               spacing=12),
        body(j.summary, muted=True),
        progress_line(state),
        small(_("Finished. You can come back to any step.") if state.finished else
              _("Next: {step} · about {minutes} min").format(step=nxt.title, minutes=nxt.minutes)),
        ft.FilledTonalButton(action, icon=icon,
                             on_click=lambda e: shell.page.run_task(shell.go, f"/journey/{j.id}")),
    )


async def build(shell) -> Screen:
    services = shell.services
    if services.library is None:
        return Screen(title=_("Journeys"), controls=[page_body([empty_state(
            ft.Icons.ERROR_OUTLINE, _("The journeys could not be loaded"),
            _("A content file on this device is damaged, so the journeys cannot be shown. "
              "Your saved answers are safe. Details: {detail}").format(detail=services.library_error))])])
    states = await services.journeys.overview()
    run = shell.page.run_task
    controls: list[ft.Control] = [
        body(_("Step-by-step guides for the weeks after an intervention. Go at your own pace; "
               "Regroup keeps your place."), muted=True),
        *[_journey_card(shell, s) for s in states],
        ft.ListTile(leading=ft.Icon(ft.Icons.FAVORITE_OUTLINE), title=ft.Text(_("About my loved one")),
                    subtitle=ft.Text(_("Optional and private. Tailors the safety notes in the journeys.")),
                    on_click=lambda e: run(shell.go, "/loved-one"), min_height=56),
        ft.ListTile(leading=ft.Icon(ft.Icons.MENU_BOOK_OUTLINED), title=ft.Text(_("About this content")),
                    subtitle=ft.Text(_("Where the journeys come from")),
                    on_click=lambda e: run(shell.go, "/about-content"), min_height=56),
    ]
    return Screen(title=_("Journeys"), controls=[page_body(controls)])
