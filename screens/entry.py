"""Write or edit a journal entry: drafts kept while typing, tags, prompts, delete with undo."""

from __future__ import annotations

import random

import flet as ft

from app.domain import MAX_TITLE, SUGGESTED_TAGS
from app.errors import AppError
from app.i18n import _
from app.journal import clean_custom_tag
from app.journeys import reflection_question
from screens import messages
from screens.labels import TAGS, toggle_chip, word
from screens.share_parts import record_switch
from screens.steps import Saver
from screens.widgets import Screen, body, card, heading, page_body, small
from screens.addresses import step_route


async def build(shell, entry_id: str) -> Screen:
    page, services = shell.page, shell.services
    editing = entry_id != "new"
    opened = await services.journal.open_entry(entry_id if editing else None)
    if opened is None:
        return Screen(title=_("Journal"), controls=[page_body([body(_("This entry no longer exists."))])])
    entry, draft = opened.entry, opened.draft
    state = {"tags": list(entry.tags) if entry else [], "custom": list(entry.custom_tags) if entry else []}
    title = ft.TextField(label=_("Title (optional)"), max_length=MAX_TITLE,
                         value=(draft or {}).get("title", entry.title if entry else "") or "",
                         capitalization=ft.TextCapitalization.SENTENCES)
    text = ft.TextField(label=_("What is on your mind?"), multiline=True, min_lines=8, max_lines=30,
                        value=(draft or {}).get("body", entry.body if entry else ""),
                        capitalization=ft.TextCapitalization.SENTENCES)
    error = ft.Text(color=ft.Colors.ERROR, visible=False)

    async def keep_draft():
        await services.journal.save_draft(body=text.value or "", title=title.value or "",
                                          entry_id=entry.id if entry else None)

    saver = Saver(page, keep_draft)
    saver.status.value = _("We brought back what you were writing.") if draft else ""
    title.on_change = text.on_change = lambda e: saver.changed()
    title.on_blur = text.on_blur = lambda e: page.run_task(saver.flush)

    paired = await services.sharing.is_paired()
    share_new = ft.Switch(label=_("Share this entry with my specialist"), value=False) if paired and not entry \
        else None

    async def save(e):
        error.visible = False
        try:
            saved = await services.journal.save_entry(
                body=text.value or "", title=title.value, tags=state["tags"], custom_tags=state["custom"],
                entry_id=entry.id if entry else None)
        except Exception as exc:  # noqa: BLE001 - say why; keep the words on screen and as a draft
            if not (isinstance(exc, AppError) and exc.code in ("empty_entry", "title_too_long", "too_many_tags")):
                await saver.flush()
            error.value, error.visible = messages.describe(exc, what="entry not saved"), True
            page.update()
            return
        note = _("This entry had been deleted, so your words were saved as a new entry.") if saved.as_new \
            else _("Entry saved")
        if share_new is not None and share_new.value:
            try:  # a step after the save: should it fail, the entry is kept, private, and the person is told
                await services.sharing.set_shared("journal_entry", saved.entry.id, True)
                note = _("Entry saved. It will be sent to your specialist.")
            except Exception as exc:  # noqa: BLE001
                note = _("Entry saved. It was not shared: {why}").format(
                    why=messages.describe(exc, what="entry not shared"))
        await shell.go("/journal", message=note)

    controls: list[ft.Control] = []
    if not editing and not (draft or {}).get("body") and services.prompts:
        controls.append(_prompt_card(services.prompts, text, saver))
    if share_new is not None:
        sharing = [share_new, small(_("Off: only you can read it. On: your specialist can read it too; nobody else "
                                      "in your family can."))]
    elif entry is not None and paired:
        sharing = await record_switch(shell, "journal_entry", entry.id, _("Share this entry with my specialist"))
    else:
        sharing = []
    controls += [*_reflection_source(shell, entry), title, text, saver.status, heading(_("Tags"), level="section"),
                 _tag_editor(page, state, saver), *sharing, error,
                 ft.FilledButton(_("Save entry"), icon=ft.Icons.SAVE_OUTLINED, on_click=save),
                 *_entry_links(shell, entry)]
    return Screen(title=_("Edit entry") if editing else _("New entry"), controls=[page_body(controls)])


def _prompt_card(prompts: tuple[str, ...], target: ft.TextField, saver: Saver) -> ft.Control:
    """A writing prompt for a blank page, another one on request."""
    prompt_text = body(random.choice(prompts))

    def another(e):
        prompt_text.value = random.choice([p for p in prompts if p != prompt_text.value])
        prompt_text.update()

    def use(e):
        """The prompt goes into the body, as a first line to write under (the title stays the person's own)."""
        typed = (target.value or "").strip()
        target.value = prompt_text.value + "\n" + (("\n" + typed) if typed else "")
        target.update()
        saver.changed()

    return card(heading(_("Need a place to start?"), level="section"), prompt_text,
                ft.Row([ft.TextButton(_("Use this prompt"), on_click=use),
                        ft.TextButton(_("Another prompt"), on_click=another)], wrap=True),
                tone="notice")


def _reflection_source(shell, entry) -> list[ft.Control]:
    """A reflection shows the question it answers and the step it came from, with a way back to it."""
    found = reflection_question(shell.services.library, entry.step_id, entry.prompt_id) if entry else None
    if not found:
        return []
    step, prompt = found
    return [card(small(_("Your answer to a question in the journey step “{title}”").format(title=step.title)),
                 heading(prompt.text if prompt else step.title, level="section"),
                 ft.TextButton(_("Open the step: {title}").format(title=step.title), icon=ft.Icons.ROUTE,
                               on_click=lambda e: shell.page.run_task(shell.go, step_route(step.id))))]


def _entry_links(shell, entry) -> list[ft.Control]:
    """Delete (the way back to a reflection's step stands above, with its question)."""
    if entry is None:
        return []
    links: list[ft.Control] = []
    links.append(ft.OutlinedButton(_("Delete entry"), icon=ft.Icons.DELETE_OUTLINE,
                                   on_click=lambda e: _confirm_delete(shell, entry.id)))
    return links


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
        try:
            value = clean_custom_tag(new_tag.value or "")
        except AppError as exc:
            new_tag.error = messages.text(exc.code)
            page.update()
            return
        if value and value not in state["custom"]:
            state["custom"].append(value)
        new_tag.value, new_tag.error = "", None
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
                      ft.Row([new_tag, ft.OutlinedButton(_("Add tag"), on_click=add)])],
                     spacing=8, tight=True)


def _confirm_delete(shell, entry_id: str) -> None:
    page = shell.page

    async def delete(e):
        page.pop_dialog()
        await shell.services.journal.delete_entry(entry_id)
        # The journal shows "Entry deleted, Undo" itself: an overlay shown while the screen changes
        # can be lost with the view it belonged to.
        shell.flash = {"undo_entry": entry_id}
        await shell.go("/journal")

    page.show_dialog(ft.AlertDialog(
        title=ft.Text(_("Delete this entry?")),
        content=ft.Text(_("You can undo this for a few seconds.")),
        actions=[ft.TextButton(_("Cancel"), on_click=lambda e: page.pop_dialog()),
                 ft.FilledButton(_("Delete"), on_click=delete)]))
