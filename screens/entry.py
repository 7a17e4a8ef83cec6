"""Write or edit a journal entry: drafts kept while typing, tags, prompts, delete with undo."""

from __future__ import annotations

import logging
import random

import flet as ft

from app.domain import MAX_TAGS, MAX_TITLE, SUGGESTED_TAGS
from app.i18n import _
from screens.labels import TAGS, toggle_chip, word
from screens.steps import Saver
from screens.widgets import Screen, body, card, heading, page_body

log = logging.getLogger("regroup.ui")
REASONS = {
    "empty": lambda: _("Write something first: an empty entry is not saved."),
    "title_too_long": lambda: _("The title is too long: {max} characters at most.").format(max=MAX_TITLE),
    "too_many_tags": lambda: _("An entry can have up to {max} tags.").format(max=MAX_TAGS),
    "not_found": lambda: _("This entry was deleted, so it cannot be saved. Your words are kept as a draft."),
}


async def build(shell, entry_id: str) -> Screen:
    page, services = shell.page, shell.services
    editing = entry_id != "new"
    entry = await services.get_entry(entry_id) if editing else None
    if editing and entry is None:
        return Screen(title=_("Journal"), controls=[page_body([body(_("This entry no longer exists."))])])
    draft = await services.get_draft(entry.id if entry else None)
    state = {"tags": list(entry.tags) if entry else [], "custom": list(entry.custom_tags) if entry else []}
    title = ft.TextField(label=_("Title (optional)"), max_length=MAX_TITLE,
                         value=(draft or {}).get("title", entry.title if entry else "") or "",
                         capitalization=ft.TextCapitalization.SENTENCES)
    text = ft.TextField(label=_("What is on your mind?"), multiline=True, min_lines=8, max_lines=30,
                        value=(draft or {}).get("body", entry.body if entry else ""),
                        capitalization=ft.TextCapitalization.SENTENCES)
    error = ft.Text(color=ft.Colors.ERROR, visible=False)

    async def keep_draft():
        await services.save_draft(body=text.value or "", title=title.value or "",
                                  entry_id=entry.id if entry else None)

    saver = Saver(page, keep_draft)
    saver.status.value = _("We brought back what you were writing.") if draft else ""
    title.on_change = text.on_change = lambda e: saver.changed()
    title.on_blur = text.on_blur = lambda e: page.run_task(saver.flush)

    async def save(e):
        error.visible = False
        try:
            await services.save_entry(body=text.value or "", title=title.value, tags=state["tags"],
                                      custom_tags=state["custom"], entry_id=entry.id if entry else None)
        except ValueError as exc:
            key = str(exc) if str(exc) in REASONS else None
            error.value = REASONS[key]() if key else _("This entry is longer than 100,000 characters.")
            error.visible = True
            page.update()
            return
        except Exception as exc:  # noqa: BLE001 - a full disk, say: keep the draft and say so
            log.error("entry not saved: %s", exc.__class__.__name__)
            await saver.flush()
            error.value = _("Your entry could not be saved: {reason} It is kept as a draft on this screen.").format(
                reason=_("this device is out of space.") if exc.__class__.__name__ == "StoreFullError"
                else _("something went wrong."))
            error.visible = True
            page.update()
            return
        await shell.go("/journal", message=_("Entry saved"))

    controls: list[ft.Control] = []
    if not editing and not (draft or {}).get("body") and services.prompts:
        prompt_text = body(random.choice(services.prompts))

        def another(e):
            prompt_text.value = random.choice([p for p in services.prompts if p != prompt_text.value])
            prompt_text.update()

        def use(e):
            title.value = prompt_text.value
            title.update()
            saver.changed()

        controls.append(card(heading(_("Need a place to start?"), level="section"), prompt_text,
                             ft.Row([ft.TextButton(_("Use this prompt"), height=48, on_click=use),
                                     ft.TextButton(_("Another prompt"), height=48, on_click=another)], wrap=True),
                             tone="notice"))
    controls += [title, text, saver.status, heading(_("Tags"), level="section"),
                 _tag_editor(page, state, saver), error,
                 ft.FilledButton(_("Save entry"), icon=ft.Icons.SAVE_OUTLINED, height=52, on_click=save)]
    if entry and entry.step_id and services.library and services.library.step(entry.step_id):
        step = services.library.step(entry.step_id)
        controls.append(ft.TextButton(_("From the journey step: {title}").format(title=step.title),
                                      icon=ft.Icons.ROUTE, height=48,
                                      on_click=lambda e: page.run_task(shell.go, f"/step/{step.id}")))
    if entry:
        controls.append(ft.OutlinedButton(_("Delete entry"), icon=ft.Icons.DELETE_OUTLINE, height=48,
                                          on_click=lambda e: _confirm_delete(shell, entry.id)))
    return Screen(title=_("Edit entry") if editing else _("New entry"), controls=[page_body(controls)])


def _tag_editor(page, state, saver) -> ft.Control:
    custom_row = ft.Row(wrap=True, spacing=8)
    new_tag = ft.TextField(label=_("Add your own tag"), expand=True, on_submit=lambda e: add(e))

    def set_tag(key, on):
        if on and key not in state["tags"]:
            state["tags"].append(key)
        elif not on and key in state["tags"]:
            state["tags"].remove(key)

    def show_custom():
        custom_row.controls = [ft.Chip(label=ft.Text(t), on_delete=lambda e, t=t: remove(t),
                                       delete_icon=ft.Icon(ft.Icons.CLOSE, semantics_label=_("Remove tag {tag}").format(tag=t)))
                               for t in state["custom"]]

    def add(e):
        value = (new_tag.value or "").strip()
        if value and value not in state["custom"]:
            state["custom"].append(value[:40])
        new_tag.value = ""
        show_custom()
        page.update()

    def remove(t):
        state["custom"].remove(t)
        show_custom()
        page.update()

    show_custom()
    chips = [toggle_chip(word(TAGS, k), k in state["tags"], lambda on, k=k: set_tag(k, on))
             for k in SUGGESTED_TAGS if k != "reflection"]
    return ft.Column([ft.Row(chips, wrap=True, spacing=8, run_spacing=8), custom_row,
                      ft.Row([new_tag, ft.OutlinedButton(_("Add tag"), height=48, on_click=add)])],
                     spacing=8, tight=True)


def _confirm_delete(shell, entry_id: str) -> None:
    page = shell.page

    async def delete(e):
        page.pop_dialog()
        await shell.services.delete_entry(entry_id)
        # The journal shows "Entry deleted, Undo" itself: an overlay shown while the screen changes
        # can be lost with the view it belonged to.
        shell.flash = {"undo_entry": entry_id}
        await shell.go("/journal")

    page.show_dialog(ft.AlertDialog(
        title=ft.Text(_("Delete this entry?")),
        content=ft.Text(_("You can undo this for a few seconds.")),
        actions=[ft.TextButton(_("Cancel"), on_click=lambda e: page.pop_dialog()),
                 ft.FilledButton(_("Delete"), on_click=delete)]))
