"""Messages with my specialist: what they sent (messages, suggested steps, feedback on a plan) and replies.

Opening the screen marks everything read. The specialist is not watching around the clock, so the screen
says so and keeps Get help now beside the reply box.
"""

from __future__ import annotations

import flet as ft

from app.i18n import _, format_date, format_time
from screens import messages
from screens.addresses import step_route
from screens.widgets import Screen, body, card, empty_state, heading, page_body, small


def _stamp(shell, value: str | None) -> str:
    if not value:
        return ""
    local = shell.services.clock.to_local(value)
    return _("{date}, {time}").format(date=format_date(local.date()), time=format_time(local))


def _bubble(shell, direction: str, item) -> ft.Control:
    if direction == "in":
        who = item.data.get("sender") or _("Your specialist")
        words, when, note = item.data.get("body", ""), item.data.get("created_at") or item.received_at, None
    else:
        who, words, when = _("You"), item.body, item.created_at
        note = messages.refusal(item.refused) if item.refused else (_("Waiting to be sent") if item.waiting else
                                                                      _("Sent"))
    mine = direction == "out"
    parts = [small(f"{who} · {_stamp(shell, when)}"), ft.Text(words)]
    if note:
        parts.append(small(note))
    return ft.Row([ft.Container(
        ft.Column(parts, spacing=4, tight=True), padding=12, border_radius=16, expand=True,
        bgcolor=ft.Colors.PRIMARY_CONTAINER if mine else ft.Colors.SURFACE_CONTAINER_HIGH,
        margin=ft.Margin.only(left=40 if mine else 0, right=0 if mine else 40))])


def _recommendation(shell, item) -> ft.Control:
    library = shell.services.library
    step_id, journey_id = item.data.get("step_id"), item.data.get("journey_id")
    step = library.step(step_id) if (library and step_id) else None
    journey = library.journey(journey_id) if (library and journey_id) else None
    title = step.title if step else (journey.title if journey else _("A step in your journeys"))
    target = step_route(step.id) if step else (f"/journey/{journey.id}" if journey else "/journeys")
    parts = [small(_("Your specialist suggests · {when}").format(when=_stamp(shell, item.data.get("created_at")))),
             heading(title, level="section")]
    if item.data.get("note"):
        parts.append(body(item.data["note"]))
    parts.append(ft.FilledTonalButton(_("Open: {title}").format(title=title), icon=ft.Icons.ROUTE,
                                      on_click=lambda e: shell.page.run_task(shell.go, target)))
    return card(*parts, tone="notice")


def _feedback(shell, item, worksheet_steps: dict[str, str]) -> ft.Control:
    step_id = worksheet_steps.get(item.data.get("worksheet_id"))
    step = shell.services.library.step(step_id) if (step_id and shell.services.library) else None
    parts = [small(_("Feedback on your plan · {when}").format(when=_stamp(shell, item.data.get("created_at")))),
             body(item.data.get("body", ""))]
    if step:
        parts.append(ft.TextButton(_("Open: {title}").format(title=step.title), icon=ft.Icons.ROUTE,
                                   on_click=lambda e: shell.page.run_task(shell.go, step_route(step.id))))
    return card(*parts)


async def build(shell) -> Screen:
    page, sharing = shell.page, shell.services.sharing
    status = await sharing.status()
    if status.state == "none":
        return Screen(title=_("Messages"), controls=[page_body([empty_state(
            ft.Icons.FORUM_OUTLINED, _("Not paired"),
            _("Pair this phone with your specialist to receive their messages."),
            ft.FilledTonalButton(_("Share with my specialist"),
                                 on_click=lambda e: page.run_task(shell.go, "/sharing")))])])
    talk = await sharing.conversation()
    worksheet_steps = await sharing.worksheet_steps() if talk.feedback else {}
    if talk.unread:
        await sharing.mark_read()
    reply = ft.TextField(label=_("Write to your specialist"), multiline=True, min_lines=2, max_lines=8,
                         capitalization=ft.TextCapitalization.SENTENCES)
    error = ft.Text(color=ft.Colors.ERROR, visible=False)

    async def send(e):
        error.visible = False
        try:
            await sharing.send_message(reply.value or "")
        except Exception as exc:  # noqa: BLE001 - say why; the words stay in the box
            error.value, error.visible = messages.describe(exc, what="message not sent"), True
            page.update()
            return
        await shell.go("/inbox", message=_("Your message will be sent to your specialist soon."))

    controls: list[ft.Control] = [
        card(body(_("Your specialist reads messages when they can; they are not watched around the clock.")),
             small(_("If you or someone else is in danger now, use Get help now.")),
             ft.TextButton(_("See crisis and support lines"), icon=ft.Icons.SOS_OUTLINED,
                           on_click=shell.open_help), tone="notice")]
    if talk.recommendations:
        controls.append(heading(_("Suggested steps"), level="section"))
        controls += [_recommendation(shell, r) for r in reversed(talk.recommendations)]
    if talk.feedback:
        controls.append(heading(_("Feedback on your plans"), level="section"))
        controls += [_feedback(shell, f, worksheet_steps) for f in reversed(talk.feedback)]
    controls.append(heading(_("Messages"), level="section"))
    if talk.messages:
        controls += [_bubble(shell, direction, item) for direction, item in talk.messages]
    else:
        controls.append(body(_("No messages yet."), muted=True))
    if status.state == "active":
        controls += [reply, error, ft.FilledButton(_("Send"), icon=ft.Icons.SEND, on_click=send)]
    else:  # unpairing, or the server no longer knows this phone: nothing more is sent
        controls.append(body(_("This phone is no longer connected, so replies cannot be sent from here."), muted=True))
    return Screen(title=_("Messages"), controls=[page_body(controls)])
