"""Erase everything: one clear screen, what goes and what stays, a typed word to confirm."""

from __future__ import annotations

import flet as ft

from app.i18n import _
from app.services.privacy import erase_word
from screens import messages
from screens.widgets import Screen, body, card, heading, page_body, small


async def build(shell) -> Screen:
    page, privacy = shell.page, shell.services.privacy
    paired = await privacy.is_paired()
    word = erase_word()
    typed = ft.TextField(label=_("Type {word} to confirm").format(word=word), autocorrect=False,
                         enable_suggestions=False)
    shared = ft.Checkbox(label=_("Also erase what I shared with my specialist"), value=True, visible=paired)
    error = ft.Text(color=ft.Colors.ERROR, visible=False)
    this_device_only = ft.OutlinedButton(_("Erase this device only"), icon=ft.Icons.PHONE_ANDROID,
                                         visible=False)

    async def erase(unpair: bool, button: ft.Control):
        error.visible, button.disabled = False, True
        page.update()
        try:
            await privacy.erase_everything(typed.value or "", unpair=unpair, erase_shared=bool(shared.value))
        except Exception as exc:  # noqa: BLE001 - say why; nothing was erased
            error.value, error.visible, button.disabled = messages.describe(exc, what="erase refused"), True, False
            this_device_only.visible = getattr(exc, "code", None) == "unpair_failed"
            page.update()
        # on success the shell hears "erased" and starts again at the welcome

    this_device_only.on_click = lambda e: page.run_task(erase, False, e.control)
    controls = [
        heading(_("Erase everything"), level="display"),
        card(body(_("This removes from this device everything you wrote and chose in Regroup: your journal, "
                    "drafts, check-ins, answers, progress, settings, your PIN and the key that protects it all. "
                    "It cannot be undone.")), tone="warning"),
        body(_("Files you saved yourself (an export, a PDF) are not touched: delete them where you saved "
               "them.")),
        small(_("Want to keep a copy first? Export everything, then come back.")),
        ft.TextButton(_("Export everything first"), icon=ft.Icons.SAVE_ALT,
                      on_click=lambda e: page.run_task(shell.go, "/export")),
    ]
    if paired:
        controls += [
            heading(_("Your specialist"), level="section"),
            body(_("This device is connected to your specialist. Erasing unpairs it first; what you shared stays "
                   "with your specialist unless you tick the box.")),
            shared,
        ]
    controls += [
        typed, error,
        ft.FilledButton(_("Erase everything"), icon=ft.Icons.DELETE_FOREVER,
                        style=ft.ButtonStyle(bgcolor=ft.Colors.ERROR, color=ft.Colors.ON_ERROR),
                        on_click=lambda e: page.run_task(erase, True, e.control)),
        this_device_only,
    ]
    return Screen(title=_("Erase everything"), controls=[page_body(controls)])
