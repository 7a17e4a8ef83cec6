"""The lock screen: nothing of the person's records is on the page until the PIN or passphrase opens it."""

from __future__ import annotations

import asyncio

import flet as ft

from app.i18n import _, ngettext
from screens import messages
from screens.pin import secret_field
from screens.widgets import Screen, body, page_body, small


def _wait_text(seconds: int) -> str:
    if seconds >= 120:
        minutes = (seconds + 59) // 60
        return ngettext("You can try again in {minutes} minute.", "You can try again in {minutes} minutes.",
                        minutes).format(minutes=minutes)
    return ngettext("You can try again in {seconds} second.", "You can try again in {seconds} seconds.",
                    seconds).format(seconds=seconds)


async def build(shell) -> Screen:
    page, privacy = shell.page, shell.services.privacy
    state = privacy.state()
    is_pin = state.kind != "passphrase"
    field = secret_field(_("PIN") if is_pin else _("Passphrase"), digits=is_pin, autofocus=True)
    error = ft.Text(color=ft.Colors.ERROR, visible=False)
    wait = small("")
    button = ft.FilledButton(_("Unlock"), icon=ft.Icons.LOCK_OPEN)

    async def count_down(seconds: int):
        button.disabled = True
        while seconds > 0 and page.route == "/lock" and not privacy.unlocked:
            wait.value = _wait_text(seconds)
            page.update()
            await asyncio.sleep(1)
            seconds = privacy.state().wait_s
        button.disabled, wait.value = False, ""
        page.update()

    async def unlock(e=None):
        if button.disabled:
            return
        secret, field.value = field.value or "", ""
        button.disabled = True
        page.update()
        result = await privacy.unlock(secret)
        if result.ok:
            return  # the shell hears "unlocked" and draws where the person was
        button.disabled = False
        error.value, error.visible = messages.text(result.code), True
        page.update()
        if result.wait_s:
            page.run_task(count_down, result.wait_s)

    button.on_click = unlock
    field.on_submit = unlock
    if state.wait_s:
        page.run_task(count_down, state.wait_s)

    controls = [
        body(_("Type your PIN to open.") if is_pin else _("Type your passphrase to open.")),
        field, error, wait, button,
        ft.TextButton(_("Forgot your PIN?") if is_pin else _("Forgot your passphrase?"),
                      on_click=lambda e: _forgot(shell)),
    ]
    return Screen(title=_("Locked"), controls=[page_body(controls)])


def _forgot(shell) -> None:
    page = shell.page

    async def start_again(e):
        page.pop_dialog()
        await shell.start_again_after_forgotten_secret()

    page.show_dialog(ft.AlertDialog(
        modal=True,
        title=ft.Text(_("If you forgot it")),
        content=ft.Column([
            ft.Text(_("Nobody can open your journal without it: not Regroup, not your specialist. There is no "
                      "reset, because a reset would let anyone in.")),
            ft.Text(_("Take your time: it often comes back. Wrong tries only make you wait; they never "
                      "delete anything.")),
            ft.Text(_("If you need Regroup now, you can start again with an empty journal. Your locked data "
                      "is not deleted: it is moved aside on this device, with the date in its name, in case "
                      "you remember.")),
        ], tight=True, spacing=12, scroll=ft.ScrollMode.AUTO),
        actions=[ft.TextButton(_("Keep trying"), on_click=lambda e: page.pop_dialog()),
                 ft.TextButton(_("Start again, keep the old data aside"), on_click=start_again)],
    ))
