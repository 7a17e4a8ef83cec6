"""About: what Regroup is, what it is not, and how the data on this phone is protected."""

from __future__ import annotations


import flet as ft

from app.i18n import _
from screens.widgets import Screen, body, card, heading, page_body, small

VERSION = "0.1.0"


async def build(shell) -> Screen:
    controls = [
        heading(_("About Regroup"), level="display"),
        body(_("Regroup supports families after an intervention that did not work. It carries the help of "
               "your intervention specialist between sessions: guided journeys, a private journal, "
               "check-ins, and, only if you choose, sharing with your specialist.")),
        card(heading(_("Not a replacement for professional help"), level="section"),
             body(_("Regroup is not a crisis service, and it does not diagnose or treat anyone. "
                    "If someone is in danger, call your local emergency number or use Get help now.")),
             tone="notice"),
        heading(_("Your privacy"), level="section"),
        body(_("Everything you write is kept on this device and encrypted. Regroup sends nothing "
               "anywhere unless you pair with your specialist and choose what to share.")),
        body(_("Your data is in Regroup's own private folder on this device, which other apps cannot open.")),
        _details(str(shell.services.data_dir)),
        small(_("Version {version}").format(version=VERSION)),
    ]
    return Screen(title=_("About"), controls=[page_body(controls)])


def _details(path: str) -> ft.Control:
    """The folder's exact path, for a helper or a specialist, only when asked for."""
    shown = small(_("Data folder: {path}").format(path=path))
    shown.visible = False

    def toggle(e):
        shown.visible = not shown.visible
        e.control.content = _("Hide technical details") if shown.visible else _("Show technical details")
        e.control.page.update()

    return ft.Column([ft.TextButton(_("Show technical details"), icon=ft.Icons.INFO_OUTLINE,
                                    on_click=toggle), shown], spacing=4, tight=True)
