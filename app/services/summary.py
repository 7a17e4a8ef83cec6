"""The printable summary for a session: choose the dates and the journal entries, get a PDF."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import Callable

from app import journeys as rules
from app import trends
from app.crisis import CrisisDirectory
from app.domain import JournalEntry, Library, Step
from app.i18n import _, country_name, current_language, ngettext
from app.services.exchange import ExportFile
from app.runtime import Runtime
from app.store import Store
from app.store import checkins as checkin_rows
from app.store import journal as entries
from app.store import journeys as journey_rows
from app.store import trends as series
from app.store.settings import get_settings

PLAN_KIND = "reapproach_plan"
SAFETY_KIND = "safety_plan"
MAX_CHOICES = 200  # entries offered for ticking, newest first


@dataclass(frozen=True)
class SummaryOptions:
    day_from: dt.date
    day_to: dt.date
    entry_ids: tuple[str, ...] = ()  # none by default: only what the person ticks is printed
    safety_plan: bool = False        # the safety plan only when the person asks (it may name a code word)


def plan_step(library: Library | None, kind: str = PLAN_KIND) -> Step | None:
    """The worksheet of this kind (the re-approach plan; the safety plan when asked)."""
    if library is None:
        return None
    return next((s for j in library.journeys for s in j.steps if s.kind == kind), None)


def mood_sentence(points: list[trends.DayPoint]) -> str:
    """One honest sentence for the range (a change is claimed only as app/trends.py allows)."""
    if len(points) < 3:
        return _("Too few check-ins in these dates to say how things went.")
    mean, trend = trends.mean_and_trend(points)
    return ngettext("On the {days} day with a check-in, mood averaged {mean} out of 5, {trend}.",
                    "On the {days} days with a check-in, mood averaged {mean} out of 5, {trend}.",
                    len(points)).format(
        days=len(points), mean=mean, trend=trend)


def _answer(field, value) -> str | None:
    if value in (None, ""):
        return None
    if field.type == "choice":
        return next((o.text for o in field.options if o.id == value), str(value))
    if field.type == "scale":
        return f"{value} / {field.max}"
    return str(value).strip() or None


class SummaryService:
    def __init__(self, rt: Runtime, crisis: Callable[[], CrisisDirectory | None]):
        self._rt, self._crisis = rt, crisis

    def default_range(self) -> tuple[dt.date, dt.date]:
        """The last 90 days, today included."""
        today = self._rt.clock.today()
        return today - dt.timedelta(days=89), today

    async def entries_in(self, day_from: dt.date, day_to: dt.date) -> list[JournalEntry]:
        """The journal entries of the range the person may tick, newest first."""
        def work(s: Store) -> list[JournalEntry]:
            page, _cursor = entries.list_entries(s, day_from=day_from.isoformat(), day_to=day_to.isoformat(),
                                                 limit=MAX_CHOICES)
            return page
        return await self._rt.run(work)

    async def make_pdf(self, options: SummaryOptions, *, country: str | None, app_name: str | None = "Regroup",
                       name_prefix: str = "regroup") -> ExportFile:
        """Gather the range's figures in one store trip, then draw the PDF off the store's thread."""
        start, end = sorted((options.day_from, options.day_to))
        library = self._rt.library
        plan = plan_step(library)
        safety = plan_step(library, SAFETY_KIND) if options.safety_plan else None

        def work(s: Store):
            since, until = start.isoformat(), end.isoformat()
            points = series.daily_series(s, since=since, until=until)
            wellbeing = [w for w in reversed(checkin_rows.list_wellbeing(s, limit=100_000))
                         if since <= w.local_day <= until]
            progress = rules.all_progress(library, journey_rows.list_step_progress(s),
                                          journey_rows.list_cursors(s)) if library else []
            answers = journey_rows.get_worksheet(s, plan.id) or {} if plan else {}
            safety_answers = journey_rows.get_worksheet(s, safety.id) or {} if safety else {}
            chosen = [e for e in (entries.get_entry(s, i) for i in options.entry_ids) if e]
            return (points, wellbeing, progress, answers, safety_answers, chosen, get_settings(s).display_name,
                    s.clock.now())
        points, wellbeing, progress, answers, safety_answers, chosen, name, now = await self._rt.run(work)
        crisis = self._crisis()
        # fpdf and fontTools: 0.6 s of imports, only when a summary is made; fpdf2 needs Pillow, which the web build
        # lacks (docs/web-app.md)
        from app import summary_pdf
        data = summary_pdf.SummaryData(
            title=_("Summary for my session"), name=name, day_from=start, day_to=end, made_on=now,
            series=points, mood_sentence=mood_sentence(points),
            wellbeing=wellbeing,
            journeys=[summary_pdf.JourneyLine(p.journey.title, p.done_count, len(p.journey.steps),
                                              p.next_step.title if p.started and not p.finished else None)
                      for p in progress],
            plan_title=plan.title if plan else _("Our re-approach plan"),
            plan=[(f.label, _answer(f, answers.get(f.id))) for f in plan.fields] if plan else [],
            more_plans=[(safety.title, [(f.label, _answer(f, safety_answers.get(f.id))) for f in safety.fields])]
            if safety else [],
            entries=sorted(chosen, key=lambda e: e.order),
            country=country_name(country) if country else None,
            help=crisis.for_country(country) if crisis else None,
            app_name=app_name, language=current_language())
        pdf = await asyncio.to_thread(summary_pdf.render, data)
        return ExportFile(f"{name_prefix}-summary-{start.isoformat()}-to-{end.isoformat()}.pdf", pdf)
