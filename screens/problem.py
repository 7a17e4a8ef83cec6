"""When the store cannot be opened: say what happened, keep the old file, start fresh only when asked."""

from __future__ import annotations

import flet as ft

from app.i18n import _
from app.services import StartStatus
from screens import messages
from screens.widgets import Screen, body, card, heading, page_body, small, snack

TITLES = {
    StartStatus.CORRUPT: lambda: _("Your saved data could not be read"),
    StartStatus.KEY_MISSING: lambda: _("Your data is locked and its key is missing"),
    StartStatus.KEY_WRONG: lambda: _("Your data cannot be unlocked"),
    StartStatus.FAILED: lambda: _("Regroup could not open its data"),
    StartStatus.NO_CRYPTO: lambda: _("This browser cannot keep your writing private"),
}


async def build(shell) -> Screen:
    result = shell.start_result
    title = TITLES[result.status]
    page = shell.page

    async def start_fresh(e):
        page.pop_dialog()
        moved, new_result = await shell.services.start_fresh(result.status)
        shell.start_result = new_result
        if new_result.status is StartStatus.OK:
            await shell.adopt(new_result.settings)
        await shell.restart()
        names = ", ".join(p.name for p in moved) or _("nothing")
        snack(page, _("The old files were kept as: {names}").format(names=names))

    def confirm(e):
        page.show_dialog(ft.AlertDialog(
            modal=True,
            title=ft.Text(_("Start fresh?")),
            content=ft.Text(_("Regroup will move the unreadable files aside (they are kept, with the date in "
                              "their name) and start with an empty journal and default settings.")),
            actions=[ft.TextButton(_("Cancel"), on_click=lambda e: page.pop_dialog()),
                     ft.FilledButton(_("Move aside and start fresh"), on_click=start_fresh)],
        ))

    controls = [
        card(heading(title(), level="section"), body(messages.text(result.status.value)), tone="warning"),
        body(_("You can still use Get help now. If your data matters to you, stop here and ask for help "
               "recovering it; nothing is lost yet.")),
        small(_("Data folder: {path}").format(path=shell.services.data_dir)),
        small(_("Details: {detail}").format(detail=result.detail)),
        ft.OutlinedButton(_("Start fresh"), icon=ft.Icons.RESTART_ALT, on_click=confirm),
    ]
    return Screen(title=_("Something went wrong"), controls=[page_body(controls)])
