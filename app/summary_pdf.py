"""The printable summary: a PDF for a session with a specialist or counsellor, drawn with fpdf2.

Pure rendering: the use-case (app/services/summary.py) gathers a `SummaryData`; this draws it with the
bundled Noto Sans (assets/fonts, SIL Open Font License), so every Latin, Greek and Cyrillic letter a
person types prints as typed. A character the font lacks (an emoji, Chinese) prints as U+FFFD rather
than vanishing without a trace. Charts are drawn with lines, dates on the axis, and a sentence beside.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import lru_cache

from babel.dates import format_skeleton
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from app.crisis import CountryHelp
from app.domain import JournalEntry, Wellbeing
from app.i18n import _, format_date, format_locale, ngettext
from app.paths import ASSETS_DIR
from app.trends import DayPoint

FONTS = ASSETS_DIR / "fonts"
logging.getLogger("fpdf").setLevel(logging.ERROR)  # its warnings would list the person's characters
INK, MUTED, LINE, MOOD, STRESS, WHO5 = (33, 33, 33), (100, 100, 100), (200, 200, 200), (0, 105, 110), \
    (180, 80, 40), (90, 70, 160)


@dataclass(frozen=True)
class JourneyLine:
    title: str
    done: int
    total: int
    current: str | None  # the step the person is on, if started and not finished


@dataclass(frozen=True)
class SummaryData:
    title: str
    name: str | None
    day_from: dt.date
    day_to: dt.date
    made_on: dt.datetime
    series: list[DayPoint]
    mood_sentence: str
    wellbeing: list[Wellbeing]           # in the range, oldest first
    journeys: list[JourneyLine]
    plan_title: str
    plan: list[tuple[str, str | None]]   # (question, answer) of the re-approach plan
    entries: list[JournalEntry]          # the ones the person ticked, oldest first
    country: str | None                  # the country's name in the person's language
    help: CountryHelp | None
    app_name: str | None = "Regroup"     # None in discreet mode
    language: str = "en"
    more_plans: list[tuple[str, list[tuple[str, str | None]]]] = ()  # (title, answers): the safety plan, if asked


@lru_cache(maxsize=1)
def _glyphs() -> frozenset[int]:
    from fontTools.ttLib import TTFont
    return frozenset(TTFont(FONTS / "NotoSans-Regular.ttf").getBestCmap())


def printable(text: str | None) -> str:
    """The text with characters the font cannot draw shown as U+FFFD (never dropped silently)."""
    glyphs = _glyphs()
    return "".join(ch if ord(ch) in glyphs or ch in "\n\t" else "\ufffd" for ch in (text or ""))


def short_date(day: dt.date, span_days: int) -> str:
    """An axis label: "3 Sep" within a year, "Sep 2026" beyond, in the person's language."""
    return format_skeleton("MMMd" if span_days <= 370 else "yMMM", day, locale=format_locale())


class _Document(FPDF):
    def __init__(self, data: SummaryData):
        super().__init__(format="A4", unit="mm")
        self.data = data
        self.add_font("Noto", "", str(FONTS / "NotoSans-Regular.ttf"))
        self.add_font("Noto", "B", str(FONTS / "NotoSans-Bold.ttf"))
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_creation_date(data.made_on)
        self.set_title(data.title)
        self.set_lang(data.language)
        self.set_creator(data.app_name or "")
        self.set_producer("")

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font("Noto", "", 8)
        self.set_text_color(*MUTED)
        made = _("Private. Made on {date}").format(date=format_date(self.data.made_on.date()))
        if self.data.app_name:
            made = _("Private. Made with {app} on {date}").format(app=self.data.app_name,
                                                                  date=format_date(self.data.made_on.date()))
        self.cell(0, 5, printable(made), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, _("Page {page} of {pages}").format(page=self.page_no(), pages="{nb}"), align="R")

    # --- text ----------------------------------------------------------------

    def heading(self, text: str) -> None:
        if self.will_page_break(24):
            self.add_page()
        self.ln(4)
        self.set_font("Noto", "B", 13)
        self.set_text_color(*INK)
        self.multi_cell(0, 7, printable(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*LINE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2)

    def para(self, text: str | None, *, size: float = 10.5, bold: bool = False, muted: bool = False,
             gap: float = 1.5) -> None:
        self.set_font("Noto", "B" if bold else "", size)
        self.set_text_color(*(MUTED if muted else INK))
        self.multi_cell(0, size * 0.5, printable(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(gap)

    # --- charts ----------------------------------------------------------------

    def chart(self, label: str, points: list[tuple[dt.date, float]], *, low: float, high: float,
              ticks: list[float], colour: tuple[int, int, int], height: float = 42) -> None:
        """A line chart with dates along the bottom and the scale on the left."""
        if self.will_page_break(height + 16):
            self.add_page()
        self.para(label, size=10, bold=True, gap=0.5)
        left, top = self.l_margin + 9, self.get_y() + 2
        width = self.w - self.r_margin - left
        first, last = self.data.day_from, self.data.day_to
        span = max(1, (last - first).days)
        x = lambda day: left + width * (day - first).days / span  # noqa: E731
        y = lambda value: top + height * (1 - (value - low) / (high - low))  # noqa: E731
        self.set_font("Noto", "", 7.5)
        self.set_text_color(*MUTED)
        self.set_line_width(0.15)
        for tick in ticks:
            self.set_draw_color(*LINE)
            self.line(left, y(tick), left + width, y(tick))
            self.set_xy(self.l_margin, y(tick) - 2)
            self.cell(8, 4, f"{tick:g}", align="R")
        for i in range(6):
            day = first + dt.timedelta(days=round(span * i / 5))
            self.set_draw_color(*LINE)
            self.line(x(day), top + height, x(day), top + height + 1.2)
            self.set_xy(x(day) - 12, top + height + 1.2)
            self.cell(24, 4, short_date(day, span), align="C")
        self.set_draw_color(*MUTED)
        self.line(left, top, left, top + height)
        self.line(left, top + height, left + width, top + height)
        inside = [(x(d), y(v)) for d, v in points if first <= d <= last]
        self.set_draw_color(*colour)
        self.set_fill_color(*colour)
        self.set_line_width(0.5)
        if len(inside) > 1:
            self.polyline(inside)
        if len(inside) <= 60:
            for px, py in inside:
                self.circle(px, py, 0.9, style="F")
        self.set_line_width(0.2)
        self.set_xy(self.l_margin, top + height + 7)


def _days(points: list[DayPoint], attr: str) -> list[tuple[dt.date, float]]:
    return [(dt.date.fromisoformat(p.day), getattr(p, attr)) for p in points if getattr(p, attr) is not None]


def render(data: SummaryData) -> bytes:
    """The PDF's bytes."""
    pdf = _Document(data)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("Noto", "B", 18)
    pdf.set_text_color(*INK)
    pdf.multi_cell(0, 9, printable(data.title), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if data.name:
        pdf.para(data.name, size=12)
    pdf.para(_("From {start} to {end}").format(start=format_date(data.day_from), end=format_date(data.day_to)),
             size=11, muted=True, gap=3)

    pdf.heading(_("Mood and stress"))
    pdf.para(data.mood_sentence)
    if data.series:
        pdf.chart(_("Mood, average of each day (1 very low to 5 very good)"), _days(data.series, "mood"),
                  low=1, high=5, ticks=[1, 2, 3, 4, 5], colour=MOOD)
        stress = _days(data.series, "stress")
        if stress:
            pdf.chart(_("Stress, average of each day (0 none to 10 the most)"), stress, low=0, high=10,
                      ticks=[0, 2, 4, 6, 8, 10], colour=STRESS)
    else:
        pdf.para(_("No check-ins in these dates."), muted=True)

    _wellbeing(pdf, data)
    _journeys(pdf, data)
    _plan(pdf, data)
    _entries(pdf, data)
    _help(pdf, data)
    return bytes(pdf.output())


def _wellbeing(pdf: _Document, data: SummaryData) -> None:
    pdf.heading(_("Wellbeing (WHO-5)"))
    pdf.para(_("The WHO-5 asks five questions about the last two weeks; the score runs from 0 to 100. "
               "It is a wellbeing check, not a diagnosis."), muted=True)
    if not data.wellbeing:
        pdf.para(_("No wellbeing checks in these dates."), muted=True)
        return
    points = [(dt.date.fromisoformat(w.local_day), w.score) for w in data.wellbeing]
    pdf.chart(_("Wellbeing score (0 to 100)"), points, low=0, high=100, ticks=[0, 25, 50, 75, 100], colour=WHO5,
              height=34)
    latest = data.wellbeing[-1]
    pdf.para(ngettext("{count} check. The latest, on {date}: {score} out of 100.",
                      "{count} checks. The latest, on {date}: {score} out of 100.", len(data.wellbeing)).format(
        count=len(data.wellbeing), date=format_date(dt.date.fromisoformat(latest.local_day)), score=latest.score))


def _journeys(pdf: _Document, data: SummaryData) -> None:
    pdf.heading(_("Journeys"))
    for line in data.journeys:
        pdf.para(line.title, bold=True, gap=0)
        text = ngettext("{done} of {total} step done", "{done} of {total} steps done", line.total).format(
            done=line.done, total=line.total)
        if line.current:
            text += " · " + _("now at: {step}").format(step=line.current)
        pdf.para(text, muted=True)


def _plan(pdf: _Document, data: SummaryData) -> None:
    for title, answers in [(data.plan_title, data.plan), *data.more_plans]:
        pdf.heading(title)
        if not any(answer for _, answer in answers):
            pdf.para(_("Not filled in yet."), muted=True)
            continue
        for question, answer in answers:
            pdf.para(question, bold=True, size=10, gap=0.3)
            pdf.para(answer if answer else _("Not filled in yet"), muted=not answer)


def _entries(pdf: _Document, data: SummaryData) -> None:
    if not data.entries:
        return
    pdf.heading(_("Journal entries I chose to bring"))
    for entry in data.entries:
        when = format_date(dt.date.fromisoformat(entry.local_day))
        pdf.para(f"{when} · {entry.title}" if entry.title else when, bold=True, size=10, gap=0.3)
        pdf.para(entry.body, gap=3)


def _help(pdf: _Document, data: SummaryData) -> None:
    pdf.heading(_("If you need help now: {country}").format(country=data.country) if data.country
                else _("If you need help now"))
    if data.help is None:
        pdf.para(_("Call your local emergency number."))
        return
    for line in data.help.lines:
        number = line.display or line.phone or line.sms or line.url or ""
        pdf.para(f"{line.name_in(data.language)}: {number}", bold=True, size=10, gap=0)
        pdf.para(" · ".join(x for x in (line.hours_in(data.language), line.description(data.language)) if x), size=9, muted=True)
