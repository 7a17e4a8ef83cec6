"""More: settings, about, and help."""

from __future__ import annotations

import flet as ft

from app.i18n import _, ngettext
from screens.widgets import Screen, page_body


def _entry(icon, title: str, subtitle: str, on_click) -> ft.Control:
    return ft.ListTile(leading=ft.Icon(icon), title=ft.Text(title), subtitle=ft.Text(subtitle),
                       on_click=on_click, min_height=56)


def _sharing_words(status) -> str:
    if status.state == "none":
        return _("Not paired. Nothing leaves this phone unless you choose it")
    if status.state == "closed":
        return _("No longer connected")
    if status.unread:
        return ngettext("Paired · {n} new thing from your specialist", "Paired · {n} new things from your specialist",
                        status.unread).format(n=status.unread)
    return _("Paired as {name}").format(name=status.name or "")


async def build(shell) -> Screen:
    run = shell.page.run_task
    status = await shell.services.sharing.status()
    return Screen(title=_("More"), controls=[page_body([
        _entry(ft.Icons.FORUM_OUTLINED if status.paired else ft.Icons.LINK, _("Share with my specialist"),
               _sharing_words(status), lambda e: run(shell.go, "/sharing")),
        _entry(ft.Icons.SETTINGS_OUTLINED, _("Settings"), _("Country, name, theme and check-in time"),
               lambda e: run(shell.go, "/settings")),
        _entry(ft.Icons.SHIELD_OUTLINED, _("Privacy and your data"), _("Lock, discreet mode, export, erase"),
               lambda e: run(shell.go, "/privacy")),
        _entry(ft.Icons.INFO_OUTLINE, _("About Regroup"), _("What Regroup is, and how your data is kept"),
               lambda e: run(shell.go, "/about")),
        _entry(ft.Icons.SOS_OUTLINED, _("Crisis and support lines"), _("The numbers for your country"),
               shell.open_help),
    ])])
