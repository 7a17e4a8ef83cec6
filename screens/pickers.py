"""Choosers that scale to long lists: a dialog of named buttons (screen readers and thumbs both)."""

from __future__ import annotations

from typing import Awaitable, Callable

import flet as ft

from app.i18n import _, country_name


def choose_country(page: ft.Page, codes: list[str], current: str | None,
                   on_pick: Callable[[str], Awaitable[None]]) -> None:
    """Open a list of countries, sorted by their name in the person's language."""
    async def pick(code: str):
        page.pop_dialog()
        await on_pick(code)

    def row(code: str) -> ft.Control:
        name = country_name(code)
        return ft.ListTile(
            title=ft.Text(name), on_click=lambda e, c=code: page.run_task(pick, c),
            trailing=ft.Icon(ft.Icons.CHECK, semantics_label=_("Selected")) if code == current else None,
            min_height=48,
        )

    rows = [row(c) for c in sorted(codes, key=country_name)]
    page.show_dialog(ft.AlertDialog(
        title=ft.Text(_("Choose your country")),
        content=ft.Column(rows, tight=True, scroll=ft.ScrollMode.AUTO, width=360),
        actions=[ft.TextButton(_("Cancel"), on_click=lambda e: page.pop_dialog())],
        scrollable=True,
    ))
