"""Journal: entries grouped by day, newest first, loaded a page at a time; search and filters."""

from __future__ import annotations

import asyncio
import datetime as dt

import flet as ft

from app.debounce import Debouncer
from app.domain import SUGGESTED_TAGS, JournalEntry
from app.i18n import _, format_date, format_relative_day, format_time
from app.journeys import reflection_question
from screens.labels import TAGS, word
from screens.widgets import Screen, body, card, empty_state, heading, page_body, small

UNDO_SECONDS = 10
SEARCH_DELAY = 0.3
PERIODS = (("all", lambda: _("Any time"), None), ("7", lambda: _("7 days"), 7),
           ("30", lambda: _("30 days"), 30), ("365", lambda: _("1 year"), 365))


def _snippet(entry: JournalEntry) -> str:
    text = " ".join(entry.body.split())
    return text if len(text) <= 160 else text[:157].rstrip() + "…"


def _entry_card(shell, entry: JournalEntry) -> ft.Control:
    when = shell.services.clock.to_local(entry.created_at)
    source = reflection_question(shell.services.library, entry.step_id, entry.prompt_id)
    question = source[1].text if source and source[1] else None
    title = entry.title or question or _snippet(entry)[:60]
    tags = [word(TAGS, t) for t in entry.tags] + list(entry.custom_tags)
    parts = [ft.Text(title, weight=ft.FontWeight.W_600, max_lines=2),
             small(format_time(when) + (" · " + ", ".join(tags) if tags else ""))]
    if entry.title or question:
        parts.insert(1, ft.Text(_snippet(entry), max_lines=3))
    if source:
        parts.insert(0, small(_("Reflection · {step}").format(step=source[0].title)))
    return ft.Container(
        ft.Column(parts, spacing=4, tight=True), padding=12, border_radius=12,
        bgcolor=ft.Colors.SURFACE_CONTAINER_LOW, ink=True,  # an ink well takes the focus: Tab, then Enter opens it
        on_click=lambda e: shell.page.run_task(shell.go, f"/entry/{entry.id}"),
    )


class JournalScreen:
    """The journal list and its filters; every filter change reloads from the first page."""

    def __init__(self, shell):
        self.shell, self.page, self.services = shell, shell.page, shell.services
        self.query, self.tag, self.period, self.range = "", None, "all", None
        self.cursor: int | None = None
        self.last_day: str | None = None
        self.results = ft.Column(spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
        self.more = ft.OutlinedButton(_("Show older entries"), icon=ft.Icons.EXPAND_MORE, visible=False,
                                      on_click=lambda e: self.page.run_task(self.load, False))
        self.tag_button = ft.OutlinedButton(_("Tag: any"), icon=ft.Icons.LABEL_OUTLINE,
                                            on_click=self.choose_tag)
        self.range_text = small("")
        self.clear_range = ft.TextButton(_("Clear dates"), visible=False, on_click=self.clear_dates)
        self.search = Debouncer(SEARCH_DELAY, lambda: self.load(True))

    def filters(self) -> dict:
        if self.range:
            start, end = self.range
            return {"query": self.query, "tag": self.tag, "day_from": start.isoformat(), "day_to": end.isoformat()}
        days = next(d for k, _l, d in PERIODS if k == self.period)
        today = self.services.clock.today()
        return {"query": self.query, "tag": self.tag,
                "day_from": (today - dt.timedelta(days=days - 1)).isoformat() if days else None}

    async def load(self, reset: bool) -> None:
        if reset:
            self.cursor, self.last_day = None, None
            self.results.controls.clear()
        found = await self.services.journal.list_entries(**self.filters(), before=self.cursor)
        self.cursor = found.cursor
        for entry in found.entries:
            if entry.local_day != self.last_day:
                self.last_day = entry.local_day
                self.results.controls.append(heading(self._day_heading(entry.local_day), level="section"))
            self.results.controls.append(_entry_card(self.shell, entry))
        if not self.results.controls:
            self.results.controls.append(self._nothing())
        self.more.visible = self.cursor is not None
        self.page.update()

    def _day_heading(self, local_day: str) -> str:
        """The day in full, led by "Today", "Yesterday" or "3 days ago" within the last week."""
        day, today = dt.date.fromisoformat(local_day), self.services.clock.today()
        full = format_date(day, format="full")
        return f"{format_relative_day(day, today)} · {full}" if 0 <= (today - day).days < 7 else full

    def _nothing(self) -> ft.Control:
        if self.query or self.tag or self.period != "all" or self.range:
            return body(_("No entries match. Try other words, or clear the filters."), muted=True)
        return empty_state(ft.Icons.BOOK_OUTLINED, _("Your journal is empty"),
                           _("Write whatever is on your mind. It stays on this phone, encrypted."))

    def search_changed(self, e) -> None:
        self.query = e.control.value or ""
        self.search.poke()

    def pick_period(self, e) -> None:
        self.period, self.range = e.control.selected[0], None
        self.show_range()
        self.page.run_task(self.load, True)

    def show_range(self) -> None:
        if self.range:
            start, end = self.range
            self.range_text.value = _("From {start} to {end}").format(start=format_date(start),
                                                                       end=format_date(end))
        else:
            self.range_text.value = ""
        self.clear_range.visible = bool(self.range)

    def picked_range(self, e) -> None:
        start, end = e.control.start_value, e.control.end_value
        if start and end:
            self.range = (start.date() if hasattr(start, "date") else start, end.date() if hasattr(end, "date") else end)
            self.show_range()
            self.page.run_task(self.load, True)

    def choose_dates(self, e) -> None:
        today = self.services.clock.local_now().replace(tzinfo=None)
        self.page.show_dialog(ft.DateRangePicker(
            first_date=dt.datetime(2000, 1, 1), last_date=today, current_date=today,
            help_text=_("Show entries between these dates"), on_change=self.picked_range))

    def clear_dates(self, e) -> None:
        self.range = None
        self.show_range()
        self.page.run_task(self.load, True)

    async def choose_tag(self, e) -> None:
        page = self.page

        async def pick(tag):
            page.pop_dialog()
            self.tag = tag
            self.tag_button.content = _("Tag: {tag}").format(tag=word(TAGS, tag)) if tag else _("Tag: any")
            await self.load(True)
        own = await self.services.journal.list_custom_tags()  # the person's own tags ("sister"), from memory
        builtin = {word(TAGS, t).casefold() for t in SUGGESTED_TAGS}
        options = ([(None, _("Any tag"))] + [(t, word(TAGS, t)) for t in SUGGESTED_TAGS]
                   + [(t, t) for t in own if t.casefold() not in builtin])
        page.show_dialog(ft.AlertDialog(
            title=ft.Text(_("Show entries with this tag")),
            content=ft.Column([ft.ListTile(title=ft.Text(label), min_height=48,
                                           on_click=lambda e, t=t: page.run_task(pick, t)) for t, label in options],
                              tight=True, scroll=ft.ScrollMode.AUTO),
            actions=[ft.TextButton(_("Cancel"), on_click=lambda e: page.pop_dialog())]))

    def undo_banner(self) -> ft.Control:
        """"Entry deleted, Undo" for a few seconds after a delete on the entry screen."""
        area = ft.Column(tight=True)
        flash = self.shell.take_flash()
        if not (flash and flash.get("undo_entry")):
            return area
        deleted_id = flash["undo_entry"]

        async def undo(e):
            await self.services.journal.undo_delete(deleted_id)
            area.controls.clear()
            await self.load(True)

        def hide():
            if area.page:
                area.controls.clear()
                area.update()
        area.controls.append(card(ft.Row([body(_("Entry deleted")), ft.TextButton(_("Undo"),
                                                                                 on_click=undo)],
                                         alignment=ft.MainAxisAlignment.SPACE_BETWEEN, wrap=True), tone="notice"))
        asyncio.get_running_loop().call_later(UNDO_SECONDS, hide)
        return area

    def controls(self) -> list[ft.Control]:
        return [
            self.undo_banner(),
            ft.FilledButton(_("Write an entry"), icon=ft.Icons.EDIT,
                            on_click=lambda e: self.page.run_task(self.shell.go, "/entry/new")),
            ft.TextField(label=_("Search your journal"), prefix_icon=ft.Icons.SEARCH, on_change=self.search_changed,
                         on_submit=lambda e: self.page.run_task(self.load, True)),
            ft.SegmentedButton(selected=["all"], show_selected_icon=False, on_change=self.pick_period,
                               segments=[ft.Segment(value=k, label=ft.Text(l())) for k, l, _d in PERIODS],
                               style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=4, vertical=14))),
            ft.Row([self.tag_button, ft.OutlinedButton(_("Choose dates"), icon=ft.Icons.DATE_RANGE,
                                                       on_click=self.choose_dates)], wrap=True, spacing=8,
                   run_spacing=8),
            ft.Row([self.range_text, self.clear_range], wrap=True, vertical_alignment=ft.CrossAxisAlignment.CENTER),
            self.results,
            self.more,
        ]


async def build(shell) -> Screen:
    screen = JournalScreen(shell)
    controls = screen.controls()
    await screen.load(True)
    return Screen(title=_("Journal"), controls=[page_body(controls)])
