"""One journey: its steps, where the person is, and start, continue or restart."""

from __future__ import annotations

import flet as ft

from app.i18n import _, ngettext
from screens.journeys import progress_line
from screens.share_parts import share_switch
from screens.widgets import Screen, body, heading, page_body
from screens.addresses import step_route

TYPE_NAMES = {
    "lesson": lambda: _("Read"), "reflection": lambda: _("Reflect"), "checklist": lambda: _("Checklist"),
    "worksheet": lambda: _("Worksheet"), "scale": lambda: _("Rate it"), "practice": lambda: _("Practice"),
    "quiz": lambda: _("Myth or fact"),
}


async def build(shell, journey_id: str) -> Screen:
    page = shell.page
    state = await shell.services.journeys.journey_state(journey_id)
    j = state.journey
    nxt = state.next_step

    def step_row(index: int, step) -> ft.Control:
        done = step.id in state.completed
        status = _("done") if done else (_("up next") if step.id == nxt.id else _("not started"))
        icon = ft.Icons.CHECK_CIRCLE if done else (ft.Icons.PLAY_CIRCLE if step.id == nxt.id
                                                   else ft.Icons.RADIO_BUTTON_UNCHECKED)
        return ft.ListTile(
            leading=ft.Icon(icon, color=ft.Colors.PRIMARY if done or step.id == nxt.id else None),
            title=ft.Text(_("{number}. {title}").format(number=index + 1, title=step.title)),
            subtitle=ft.Text(_("{kind} · {minutes} min · {status}").format(
                kind=TYPE_NAMES[step.type](), minutes=step.minutes, status=status)),
            on_click=lambda e, sid=step.id: page.run_task(shell.go, step_route(sid)), min_height=56,
        )

    async def restart(e):
        page.pop_dialog()
        await shell.services.journeys.restart_journey(j.id)
        await shell.go(step_route(j.steps[0].id))

    def confirm_restart(e):
        page.show_dialog(ft.AlertDialog(
            title=ft.Text(_("Start this journey again?")),
            content=ft.Text(_("Your steps will show as not done. Everything you wrote is kept.")),
            actions=[ft.TextButton(_("Cancel"), on_click=lambda e: page.pop_dialog()),
                     ft.FilledButton(_("Start again"), on_click=restart)]))

    if state.finished:
        main_label = _("Review from the start")
    elif state.started:
        main_label = _("Continue: {step}").format(step=nxt.title)
    else:
        main_label = _("Start the journey")
    target = j.steps[0].id if state.finished else nxt.id
    controls = [
        heading(j.title, level="display"),
        body(j.summary),
        body(ngettext("About {minutes} minute in all, in short steps.", "About {minutes} minutes in all, in short steps.",
                      j.minutes).format(minutes=j.minutes), muted=True),
        progress_line(state),
        ft.FilledButton(main_label, icon=ft.Icons.PLAY_ARROW,
                        on_click=lambda e: page.run_task(shell.go, step_route(target))),
        heading(_("Steps"), level="section"),
        ft.Column([step_row(i, s) for i, s in enumerate(j.steps)], spacing=0),
    ]
    if state.started:
        controls.append(ft.OutlinedButton(_("Restart journey"), icon=ft.Icons.RESTART_ALT,
                                          on_click=confirm_restart))
    controls += await _progress_sharing(shell, j.id)
    return Screen(title=j.title, controls=[page_body(controls)])


class _JourneyMark:
    """A journey's progress has no record of its own: shared or private is the whole state."""

    def __init__(self, shared: bool):
        self.state, self.note = ("shared" if shared else "private"), None


async def _progress_sharing(shell, journey_id: str) -> list[ft.Control]:
    """On a paired phone: let the specialist see which steps are done (never what was written in them)."""
    sharing = shell.services.sharing
    if not await sharing.is_paired():
        return []

    async def change(on: bool):
        await sharing.set_journey_shared(journey_id, on)
        return _JourneyMark(await sharing.journey_shared(journey_id))

    mark = _JourneyMark(await sharing.journey_shared(journey_id))
    return [ft.Divider(), share_switch(shell, _("Share my progress on this journey with my specialist"), mark, change),
            ft.Text(_("Your specialist sees which steps are done, never what you wrote in them."),
                    theme_style=ft.TextThemeStyle.BODY_SMALL, color=ft.Colors.ON_SURFACE_VARIANT)]
