"""Privacy and your data: the lock, when it comes down, and (later sections) discreet mode, export and erase."""

from __future__ import annotations

import flet as ft

from app.i18n import _
from app.services.privacy import LOCK_MINUTES
from screens import messages
from screens.pin import secret_field
from screens.widgets import Screen, body, heading, page_body, small, snack


def _lock_section(shell) -> list[ft.Control]:
    page, privacy = shell.page, shell.services.privacy
    run = page.run_task
    if not privacy.has_secret:
        return [
            heading(_("Lock"), level="section"),
            body(_("Off. Anyone who opens Regroup on this device can read your journal.")),
            ft.FilledTonalButton(_("Set a PIN"), icon=ft.Icons.PIN_OUTLINED,
                                 on_click=lambda e: run(shell.go, "/pin")),
            ft.OutlinedButton(_("Use a passphrase"), icon=ft.Icons.PASSWORD,
                              on_click=lambda e: run(shell.go, "/passphrase")),
        ]

    async def save_minutes(e):
        if await shell.update_settings(lock_minutes=int(e.control.selected[0])):
            snack(page, _("Saved"))

    minutes = ft.SegmentedButton(
        selected=[str(shell.settings.lock_minutes)],
        style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=8, vertical=14)),
        segments=[ft.Segment(value=str(m), label=ft.Text(_("{n} min").format(n=m))) for m in LOCK_MINUTES],
        on_change=save_minutes)
    kind = _("a PIN") if privacy.kind == "pin" else _("a passphrase")
    return [
        heading(_("Lock"), level="section"),
        body(_("On, with {kind}. Regroup locks when it opens, when you leave it, and after a quiet while.").format(
            kind=kind)),
        ft.FilledTonalButton(_("Lock now"), icon=ft.Icons.LOCK,
                             on_click=lambda e: run(privacy.lock, "asked")),
        small(_("Lock after this long without use:")),
        minutes,
        ft.OutlinedButton(_("Change PIN or passphrase"), icon=ft.Icons.EDIT,
                          on_click=lambda e: run(shell.go, f"/{privacy.kind}")),
        ft.TextButton(_("Turn the lock off"), icon=ft.Icons.LOCK_OPEN,
                      on_click=lambda e: _turn_off(shell)),
    ]


def _turn_off(shell) -> None:
    page, privacy = shell.page, shell.services.privacy
    current = secret_field(_("Current PIN or passphrase"))
    error = ft.Text(color=ft.Colors.ERROR, visible=False)

    async def confirm(e):
        try:
            await privacy.remove_secret(current.value or "")
        except Exception as exc:  # noqa: BLE001 - say why; the lock stays on
            error.value, error.visible, current.value = messages.describe(exc, what="lock not removed"), True, ""
            page.update()
            return
        page.pop_dialog()
        await shell.go("/privacy", message=_("The lock is off."))

    page.show_dialog(ft.AlertDialog(
        modal=True, title=ft.Text(_("Turn the lock off?")),
        content=ft.Column([ft.Text(_("Anyone who opens Regroup on this device will be able to read your "
                                     "journal.")), current, error], tight=True, spacing=12),
        actions=[ft.TextButton(_("Cancel"), on_click=lambda e: page.pop_dialog()),
                 ft.TextButton(_("Turn off"), on_click=confirm)]))


def _discreet_section(shell) -> list[ft.Control]:
    async def switch(e):
        on = bool(e.control.value)
        if await shell.update_settings(discreet=on):
            await shell.go("/privacy", message=_("Discreet mode is on.") if on else _("Discreet mode is off."))

    return [
        ft.Divider(),
        heading(_("Discreet mode"), level="section"),
        body(_("For a shared home. The tab and window say \"Notes\", files you save are named \"notes\", "
               "reminders say only \"Time for your notes\", and the address bar stops naming the screen "
               "you are on. A quick exit button on every screen shows a plain notes page at once (and locks "
               "Regroup, if you set a PIN).")),
        ft.Switch(label=_("Discreet mode"), value=shell.settings.discreet, on_change=switch),
        small(_("Pages you opened before turning it on may still be in this browser's history: clear it in "
                "the browser's settings.")),
        *([small(_("Adding this page to your home screen? Turn discreet mode on first: it is then added as "
                   "\"Notes\" with a plain page for an icon. A home screen keeps the name it was given."))]
          if shell.services.web_app else []),
    ]


def _data_section(shell) -> list[ft.Control]:
    run = shell.page.run_task
    return [
        ft.Divider(),
        heading(_("Take your data with you"), level="section"),
        body(_("Everything you keep in Regroup, in one file protected by a passphrase: for a new phone, or "
               "to keep a copy.")),
        ft.FilledTonalButton(_("Export everything"), icon=ft.Icons.SAVE_ALT,
                             on_click=lambda e: run(shell.go, "/export")),
        ft.OutlinedButton(_("Import a file"), icon=ft.Icons.FOLDER_OPEN,
                          on_click=lambda e: run(shell.go, "/import")),
        ft.OutlinedButton(_("Printable summary (PDF)"), icon=ft.Icons.PICTURE_AS_PDF,
                          on_click=lambda e: run(shell.go, "/summary")),
    ]


def _erase_section(shell) -> list[ft.Control]:
    return [
        ft.Divider(),
        heading(_("Erase everything"), level="section"),
        body(_("Remove everything Regroup keeps on this device, for good.")),
        ft.OutlinedButton(_("Erase everything..."), icon=ft.Icons.DELETE_FOREVER,
                          style=ft.ButtonStyle(color=ft.Colors.ERROR),
                          on_click=lambda e: shell.page.run_task(shell.go, "/erase")),
    ]


async def build(shell) -> Screen:
    controls = [*_lock_section(shell), *_discreet_section(shell), *_data_section(shell), *_erase_section(shell)]
    return Screen(title=_("Privacy and your data"), controls=[page_body(controls)])
