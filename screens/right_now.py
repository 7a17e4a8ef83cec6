"""The "right now" kit on Today, one tap from a hard moment: breathe, ground, danger, a quick note."""

from __future__ import annotations

import flet as ft

from app.i18n import _
from screens import messages
from screens.widgets import body, card, heading
from screens.addresses import step_route


def right_now_card(shell) -> list[ft.Control]:
    library = shell.services.library
    kit = library.right_now if library else None
    if kit is None:
        return []
    go = shell.page.run_task

    def button(text: str, icon, on_click) -> ft.Control:
        return ft.FilledTonalButton(text, icon=icon, on_click=on_click)

    return [card(
        heading(kit.title, level="section"), body(kit.intro),
        ft.Row([button(_("Breathe"), ft.Icons.AIR, lambda e: go(shell.go, step_route(kit.breathe_step))),
                button(_("Ground: 5-4-3-2-1"), ft.Icons.SPA_OUTLINED,
                       lambda e: go(shell.go, step_route(kit.ground_step)))], wrap=True, spacing=8, run_spacing=8),
        button(kit.danger.question, ft.Icons.SOS_OUTLINED, lambda e: ask_danger(shell, kit.danger)),
        button(kit.note_title, ft.Icons.EDIT_NOTE, lambda e: open_quick_note(shell, kit)))]  # tonal buttons stand out


def ask_danger(shell, check) -> None:
    """"Is anyone in danger right now?": yes leads straight to Get help now, with the check's words."""
    page = shell.page

    async def yes(e):
        page.pop_dialog()
        shell.flash = {"help_note": check.if_yes}  # stays at the top of Get help now (a snack bar would fade)
        await shell.go("/help")

    page.show_dialog(ft.AlertDialog(
        title=ft.Text(check.question),
        actions=[ft.FilledButton(check.yes, on_click=yes),
                 ft.TextButton(check.no, on_click=lambda e: page.pop_dialog())],
        actions_alignment=ft.MainAxisAlignment.END))


def open_quick_note(shell, kit) -> None:
    """Three short questions, saved as one journal entry (kept encrypted like any other)."""
    page = shell.page
    boxes = [(f.label, ft.TextField(label=f.label, multiline=True, min_lines=1, max_lines=4,
                                    hint_text=_("For example: {example}").format(example=f.example) if f.example
                                    else None, capitalization=ft.TextCapitalization.SENTENCES))
             for f in kit.note_fields]
    error = ft.Text(color=ft.Colors.ERROR, visible=False)

    async def save(e):
        try:
            await shell.services.journal.save_quick_note(
                title=kit.note_title, answers=[(label, box.value or "") for label, box in boxes])
        except Exception as exc:  # noqa: BLE001 - keep the words in the dialog and say why
            error.value, error.visible = messages.describe(exc, what="quick note not saved"), True
            page.update()
            return
        page.pop_dialog()
        await shell.go("/today", message=_("Saved in your journal."))

    page.show_dialog(ft.AlertDialog(
        title=ft.Text(kit.note_title),
        content=ft.Column([box for _l, box in boxes] + [error], spacing=12, tight=True, scroll=ft.ScrollMode.AUTO,
                          width=360),
        actions=[ft.TextButton(_("Cancel"), on_click=lambda e: page.pop_dialog()),
                 ft.FilledButton(_("Save to my journal"), on_click=save)], scrollable=True))
