"""The printable summary: pick the dates and the journal entries to bring (none by default), save a PDF."""

from __future__ import annotations

import datetime as dt

import flet as ft

from app.i18n import _, format_date
from app.services.summary import SummaryOptions
from screens import messages
from screens.widgets import Screen, body, card, heading, page_body, small

PERIODS = ((30, lambda: _("30 days")), (90, lambda: _("90 days")), (182, lambda: _("6 months")),
           (365, lambda: _("1 year")))


class SummaryScreen:
    def __init__(self, shell):
        self.shell, self.page, self.services = shell, shell.page, shell.services
        self.day_from, self.day_to = self.services.summary.default_range()
        self.ticked: set[str] = set()
        flash = shell.take_flash() or {}
        self.safety_plan = ft.Checkbox(label=_("Include my safety plan"), value=bool(flash.get("safety_plan")))
        self.range_text = body("")
        self.entries = ft.Column(spacing=0)
        self.error = ft.Text(color=ft.Colors.ERROR, visible=False)
        self.done = ft.Text(color=ft.Colors.PRIMARY, visible=False)
        self.busy = ft.Row([ft.ProgressRing(width=20, height=20, stroke_width=3), small(_("Making the PDF..."))],
                           visible=False, spacing=12)

    async def load(self) -> None:
        """The range's entries, none ticked (a journal entry is printed only when the person ticks it)."""
        self.range_text.value = _("From {start} to {end}").format(start=format_date(self.day_from),
                                                                  end=format_date(self.day_to))
        found = await self.services.summary.entries_in(self.day_from, self.day_to)
        self.ticked &= {e.id for e in found}
        self.entries.controls = [
            ft.Checkbox(label=f"{format_date(dt.date.fromisoformat(e.local_day))} · "
                              f"{e.title or e.body.splitlines()[0][:60]}",
                        value=e.id in self.ticked, on_change=lambda ev, i=e.id: self.tick(i, ev.control.value))
            for e in found] or [small(_("No journal entries in these dates."))]

    def tick(self, entry_id: str, on: bool) -> None:
        (self.ticked.add if on else self.ticked.discard)(entry_id)

    async def pick_period(self, e) -> None:
        today = self.services.clock.today()
        self.day_from, self.day_to = today - dt.timedelta(days=int(e.control.selected[0]) - 1), today
        await self.load()
        self.page.update()

    def picked_range(self, e) -> None:
        start, end = e.control.start_value, e.control.end_value
        if start and end:
            self.day_from = start.date() if hasattr(start, "date") else start
            self.day_to = end.date() if hasattr(end, "date") else end
            self.page.run_task(self.reload)

    async def reload(self) -> None:
        await self.load()
        self.page.update()

    def choose_dates(self, e) -> None:
        today = self.services.clock.local_now().replace(tzinfo=None)
        self.page.show_dialog(ft.DateRangePicker(
            first_date=dt.datetime(2000, 1, 1), last_date=today, current_date=today,
            help_text=_("The dates the summary covers"), on_change=self.picked_range))

    async def save(self, e) -> None:
        self.error.visible = self.done.visible = False
        e.control.disabled, self.busy.visible = True, True
        self.page.update()
        shell = self.shell
        try:
            file = await self.services.summary.make_pdf(
                SummaryOptions(self.day_from, self.day_to, tuple(sorted(self.ticked)),
                               safety_plan=bool(self.safety_plan.value)), country=shell.country,
                app_name=shell.app_name, name_prefix=shell.file_prefix)
            async with self.services.privacy.away():
                await ft.FilePicker().save_file(dialog_title=_("Save the summary"), file_name=file.name,
                                                src_bytes=file.data)
        except Exception as exc:  # noqa: BLE001 - say why; nothing was changed
            self.error.value, self.error.visible = messages.describe(exc, what="summary not made"), True
        else:
            self.done.value, self.done.visible = _("Your summary is ready: {name}").format(name=file.name), True
        e.control.disabled, self.busy.visible = False, False
        self.page.update()

    def controls(self) -> list[ft.Control]:
        return [
            heading(_("A summary for your session"), level="display"),
            body(_("A PDF to print or show your specialist or counsellor: your mood and stress, wellbeing "
                   "scores, journey progress, your re-approach plan, and the help numbers for your country.")),
            heading(_("Dates"), level="section"),
            ft.SegmentedButton(selected=["90"], show_selected_icon=False, on_change=self.pick_period,
                               segments=[ft.Segment(value=str(d), label=ft.Text(l())) for d, l in PERIODS],
                               style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=4, vertical=14))),
            ft.OutlinedButton(_("Choose dates"), icon=ft.Icons.DATE_RANGE, on_click=self.choose_dates),
            self.range_text,
            heading(_("Journal entries to include"), level="section"),
            card(body(_("None are included unless you tick them. Anyone who sees the PDF can read what you "
                        "tick.")), tone="notice"),
            self.entries,
            heading(_("Your safety plan"), level="section"),
            small(_("Only if you want it on paper: anyone who sees the PDF can read it.")),
            self.safety_plan,
            self.error, self.done, self.busy,
            ft.FilledButton(_("Save the PDF"), icon=ft.Icons.PICTURE_AS_PDF, on_click=self.save),
        ]


async def build(shell) -> Screen:
    screen = SummaryScreen(shell)
    await screen.load()
    return Screen(title=_("Summary"), controls=[page_body(screen.controls())])
