"""Journal: entries grouped by day, newest first, loaded a page at a time; search and filters."""

from __future__ import annotations

import asyncio
import datetime as dt

import flet as ft

from app.domain import SUGGESTED_TAGS, JournalEntry
from app.i18n import _, format_date, format_time
from screens.labels import TAGS, word
from screens.widgets import Screen, body, card, empty_state, heading, page_body, small

UNDO_SECONDS = 10
PERIODS = (("all", lambda: _("Any time"), None), ("7", lambda: _("7 days"), 7),
           ("30", lambda: _("30 days"), 30), ("365", lambda: _("1 year"), 365))


def _snippet(entry: JournalEntry) -> str:
    text = " ".join(entry.body.split())
    return text if len(text) <= 160 else text[:157].rstrip() + "…"


def _entry_card(shell, entry: JournalEntry) -> ft.Control:
    when = dt.datetime.fromisoformat(entry.created_at.replace("Z", "+00:00")).astimezone()
    title = entry.title or _snippet(entry)[:60]
    tags = [word(TAGS, t) for t in entry.tags] + list(entry.custom_tags)
    parts = [ft.Text(title, weight=ft.FontWeight.W_600, max_lines=2),
             small(format_time(when) + (" · " + ", ".join(tags) if tags else ""))]
    if entry.title:
        parts.insert(1, ft.Text(_snippet(entry), max_lines=3))
    return ft.Container(
        ft.Column(parts, spacing=4, tight=True), padding=12, border_radius=12,
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW,
        on_click=lambda e: shell.page.run_task(shell.go, f"/entry/{entry.id}"),
    )


async def build(shell) -> Screen:
    page, services = shell.page, shell.services
    state = {"query": "", "tag": None, "period": "all", "cursor": None, "last_day": None, "range": None}
    results = ft.Column(spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
    more = ft.OutlinedButton(_("Show older entries"), icon=ft.Icons.EXPAND_MORE, height=48, visible=False)
    tag_button = ft.OutlinedButton(_("Tag: any"), icon=ft.Icons.LABEL_OUTLINE, height=48)
    search_timer: dict = {}

    def filters() -> dict:
        if state["range"]:
            start, end = state["range"]
            return {"query": state["query"], "tag": state["tag"], "day_from": start.isoformat(),
                    "day_to": end.isoformat()}
        days = next(d for k, _l, d in PERIODS if k == state["period"])
        day_from = (dt.date.today() - dt.timedelta(days=days - 1)).isoformat() if days else None
        return {"query": state["query"], "tag": state["tag"], "day_from": day_from}

    async def load(reset: bool):
        if reset:
            state["cursor"], state["last_day"] = None, None
            results.controls.clear()
        page_entries, cursor = await services.list_entries(**filters(), before=state["cursor"])
        state["cursor"] = cursor
        for entry in page_entries:
            if entry.local_day != state["last_day"]:
                state["last_day"] = entry.local_day
                results.controls.append(heading(format_date(dt.date.fromisoformat(entry.local_day), format="full"),
                                                level="section"))
            results.controls.append(_entry_card(shell, entry))
        if not results.controls:
            filtered = state["query"] or state["tag"] or state["period"] != "all" or state["range"]
            results.controls.append(
                body(_("No entries match. Try other words, or clear the filters."), muted=True) if filtered
                else empty_state(ft.Icons.BOOK_OUTLINED, _("Your journal is empty"),
                                 _("Write whatever is on your mind. It stays on this phone, encrypted.")))
        more.visible = cursor is not None
        page.update()

    async def search_changed(e):
        state["query"] = e.control.value or ""
        if search_timer.get("t"):
            search_timer["t"].cancel()
        search_timer["t"] = asyncio.get_running_loop().call_later(0.3, lambda: page.run_task(load, True))

    def pick_period(e):
        state["period"], state["range"] = e.control.selected[0], None
        show_range()
        page.run_task(load, True)

    range_text = small("")
    clear_range = ft.TextButton(_("Clear dates"), height=48, visible=False)

    def show_range():
        if state["range"]:
            start, end = state["range"]
            range_text.value = _("From {start} to {end}").format(start=format_date(start), end=format_date(end))
        else:
            range_text.value = ""
        clear_range.visible = bool(state["range"])

    def picked_range(e):
        start, end = e.control.start_value, e.control.end_value
        if start and end:
            state["range"] = (start.date() if hasattr(start, "date") else start,
                              end.date() if hasattr(end, "date") else end)
            show_range()
            page.run_task(load, True)

    def choose_dates(e):
        today = dt.datetime.now()
        page.show_dialog(ft.DateRangePicker(
            first_date=dt.datetime(2000, 1, 1), last_date=today, current_date=today,
            help_text=_("Show entries between these dates"), on_change=picked_range))

    def clear(e):
        state["range"] = None
        show_range()
        page.run_task(load, True)

    clear_range.on_click = clear

    def choose_tag(e):
        async def pick(tag):
            page.pop_dialog()
            state["tag"] = tag
            tag_button.content = _("Tag: {tag}").format(tag=word(TAGS, tag)) if tag else _("Tag: any")
            await load(True)
        options = [(None, _("Any tag"))] + [(t, word(TAGS, t)) for t in SUGGESTED_TAGS]
        page.show_dialog(ft.AlertDialog(
            title=ft.Text(_("Show entries with this tag")),
            content=ft.Column([ft.ListTile(title=ft.Text(label), min_height=48,
                                           on_click=lambda e, t=t: page.run_task(pick, t)) for t, label in options],
                              tight=True, scroll=ft.ScrollMode.AUTO),
            actions=[ft.TextButton(_("Cancel"), on_click=lambda e: page.pop_dialog())]))

    undo_area = ft.Column(tight=True)
    flash = shell.take_flash()
    if flash and flash.get("undo_entry"):
        deleted_id = flash["undo_entry"]

        async def undo(e):
            await services.undo_delete(deleted_id)
            undo_area.controls.clear()
            await load(True)

        def hide():
            if undo_area.page:
                undo_area.controls.clear()
                undo_area.update()

        undo_area.controls.append(card(ft.Row([body(_("Entry deleted")), ft.TextButton(_("Undo"), height=48,
                                                                                      on_click=undo)],
                                              alignment=ft.MainAxisAlignment.SPACE_BETWEEN), tone="notice"))
        asyncio.get_running_loop().call_later(UNDO_SECONDS, hide)
    tag_button.on_click = choose_tag
    more.on_click = lambda e: page.run_task(load, False)
    controls = [
        undo_area,
        ft.FilledButton(_("Write an entry"), icon=ft.Icons.EDIT, height=52,
                        on_click=lambda e: page.run_task(shell.go, "/entry/new")),
        ft.TextField(label=_("Search your journal"), prefix_icon=ft.Icons.SEARCH, on_change=search_changed,
                     on_submit=lambda e: page.run_task(load, True)),
        ft.SegmentedButton(selected=["all"], segments=[ft.Segment(value=k, label=ft.Text(l())) for k, l, _d in PERIODS],
                           on_change=pick_period, show_selected_icon=False,
                           style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=4, vertical=14))),
        ft.Row([tag_button, ft.OutlinedButton(_("Choose dates"), icon=ft.Icons.DATE_RANGE, height=48,
                                              on_click=choose_dates)], wrap=True, spacing=8, run_spacing=8),
        ft.Row([range_text, clear_range], wrap=True, vertical_alignment=ft.CrossAxisAlignment.CENTER),
        results,
        more,
    ]
    await load(True)
    return Screen(title=_("Journal"), controls=[page_body(controls)])
