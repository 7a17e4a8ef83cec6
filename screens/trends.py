"""Trends: mood and stress over time, WHO-5, use and non-use days, a month calendar; each with words."""

from __future__ import annotations

import calendar
import datetime as dt

import flet as ft
import flet_charts as fch

from app.i18n import _, first_weekday, format_date, format_day_month, format_number, ngettext, weekday_names
from screens.labels import MOOD_TEXT, RESPONSES, mood_color, word
from screens.theme import scaled_size, text_scale
from screens.widgets import Screen, body, card, heading, page_body, small

MOOD_COLOR, STRESS_COLOR = "#228A7D", "#BD640B"  # 3:1 or more on light and dark cards (test_theme)
PERIODS = ((7, lambda: _("7 days")), (30, lambda: _("30 days")), (90, lambda: _("90 days")),
           (365, lambda: _("1 year")))


def _axis_labels(values: list[tuple[float, str]]) -> list[fch.ChartAxisLabel]:
    return [fch.ChartAxisLabel(value=v, label=ft.Text(text, size=scaled_size(10))) for v, text in values]


def _line(points: list[tuple[float, float]], color) -> fch.LineChartData:
    return fch.LineChartData(points=[fch.LineChartDataPoint(x, y) for x, y in points], color=color,
                             stroke_width=3, curved=False, point=len(points) <= 31)


def _date_ticks(days: int, today: dt.date) -> list[tuple[float, str]]:
    start = today - dt.timedelta(days=days - 1)
    middle = (days - 1) // 2
    return [(x, format_day_month(start + dt.timedelta(days=x))) for x in (0, middle, days - 1)]


def day_chart(points: list[tuple[int, float]], *, days: int, today: dt.date, low: int, high: int,
              color: str, ticks: list[int]) -> ft.Control:
    """One measure on its own scale, dates along the bottom. The padding keeps the end dates inside the card
    (a label is centred on its point, so half of it hangs past the last day)."""
    chart = fch.LineChart(
        data_series=[_line(points, color)], min_y=low, max_y=high, min_x=0, max_x=max(days - 1, 1), height=160,
        interactive=False,
        left_axis=fch.ChartAxis(labels=_axis_labels([(t, str(t)) for t in ticks]), label_size=scaled_size(28)),
        bottom_axis=fch.ChartAxis(labels=_axis_labels(_date_ticks(days, today)), label_size=scaled_size(28)),
        horizontal_grid_lines=fch.ChartGridLines(interval=ticks[1] - ticks[0], color=ft.Colors.OUTLINE_VARIANT,
                                                 width=0.5))
    return ft.Container(chart, padding=ft.Padding.only(left=4, right=24, top=8))


def described(control: ft.Control, alternative: str) -> ft.Control:
    """A chart with its long text alternative in its semantics. Measured in Chromium (FLET-NOTES): the label of
    `Semantics(container=True)` around a flet-charts chart comes out as a text node in the accessibility tree,
    so a screen reader reads the numbers while the screen shows the one-sentence summary."""
    return ft.Semantics(label=alternative, container=True, content=control)


def mood_and_stress(series, days: int, today: dt.date) -> list[ft.Control]:
    """Mood and stress each on its own scale (stress is no longer squeezed onto the mood axis)."""
    start = today - dt.timedelta(days=days - 1)
    xs = [(dt.date.fromisoformat(p.day) - start).days for p in series]
    controls: list[ft.Control] = []
    if len(series) >= 2:
        controls += [small(_("Mood, from 1 (very low) to 5 (very good)")),
                     described(day_chart(list(zip(xs, [p.mood for p in series])), days=days, today=today, low=1,
                                         high=5, color=MOOD_COLOR, ticks=[1, 3, 5]), _mood_alt(series))]
    stress = [(x, p.stress) for x, p in zip(xs, series) if p.stress is not None]
    if len(stress) >= 2:
        controls += [small(_("Stress, from 0 (none) to 10 (extreme)")),
                     described(day_chart(stress, days=days, today=today, low=0, high=10, color=STRESS_COLOR,
                                         ticks=[0, 5, 10]), _stress_alt(stress))]
    return controls


def _mood_alt(series) -> str:
    low = min(series, key=lambda p: p.mood)
    high = max(series, key=lambda p: p.mood)
    return ngettext("Mood on {n} day: lowest {low} on {low_day}, highest {high} on {high_day}.",
                    "Mood on {n} days: lowest {low} on {low_day}, highest {high} on {high_day}.", len(series)).format(
        n=len(series), low=format_number(low.mood), low_day=format_date(dt.date.fromisoformat(low.day)),
        high=format_number(high.mood), high_day=format_date(dt.date.fromisoformat(high.day)))


def _stress_alt(points: list[tuple[int, float]]) -> str:
    stresses = [y for _x, y in points]
    return ngettext("Stress on {n} day, averaging {stress} out of 10.",
                    "Stress on {n} days, averaging {stress} out of 10.", len(stresses)).format(
        n=len(stresses), stress=format_number(round(sum(stresses) / len(stresses), 1)))


def who5_chart(scores: list[int]) -> ft.Control:
    return fch.LineChart(
        data_series=[_line(list(enumerate(scores)), ft.Colors.SECONDARY)], min_y=0, max_y=100, min_x=0,
        max_x=max(len(scores) - 1, 1), height=180, interactive=False,
        left_axis=fch.ChartAxis(labels=_axis_labels([(0, "0"), (50, "50"), (100, "100")]), label_size=scaled_size(32)),
        horizontal_grid_lines=fch.ChartGridLines(interval=25, color=ft.Colors.OUTLINE_VARIANT, width=0.5))


def use_chart(c) -> ft.Control:
    def rod(x, value, color):
        return fch.BarChartGroup(x=x, rods=[fch.BarChartRod(from_y=0, to_y=value or 0, width=40, color=color,
                                                            border_radius=6)])
    return fch.BarChart(
        groups=[rod(0, c.a_mood, ft.Colors.PRIMARY), rod(1, c.b_mood, ft.Colors.TERTIARY)], min_y=0, max_y=5,
        height=180, interactive=False,
        bottom_axis=fch.ChartAxis(labels=_axis_labels([(0, _("Non-use days")), (1, _("Use days"))]),
                                  label_size=scaled_size(28)),
        left_axis=fch.ChartAxis(labels=_axis_labels([(1, "1"), (3, "3"), (5, "5")]), label_size=scaled_size(24)))


def month_calendar(moods: dict[int, float], today: dt.date) -> ft.Control:
    weeks = calendar.Calendar(firstweekday=first_weekday()).monthdayscalendar(today.year, today.month)
    # the week starts where the locale starts it (Sunday in the US and Mexico); 40 px cells: "Mon" fits up to
    # 125% text; larger text shows one letter ("M"), as phone calendars do
    names = weekday_names(width="abbreviated" if text_scale() <= 1.25 else "narrow")
    rows = [ft.Row([ft.Container(small(names[i]), width=40, alignment=ft.Alignment.CENTER) for i in range(7)],
                   spacing=4)]
    for week in weeks:
        cells = []
        for day in week:
            mood = moods.get(day)
            cells.append(ft.Container(
                ft.Text(str(day) if day else "", theme_style=ft.TextThemeStyle.BODY_SMALL,
                        color=MOOD_TEXT if mood else None),
                width=40, height=40, border_radius=8, alignment=ft.Alignment.CENTER,
                bgcolor=mood_color(mood) if mood else (ft.Colors.SURFACE_CONTAINER_HIGH if day else None)))
        rows.append(ft.Row(cells, spacing=4))
    return ft.Column(rows, spacing=4, tight=True)


def _month_alt(moods: dict[int, float]) -> str:
    if not moods:
        return _("No check-ins yet this month.")
    days = ", ".join(_("{day}: {mood}").format(day=d, mood=format_number(m)) for d, m in sorted(moods.items()))
    return _("Mood by day this month, 1 (very low) to 5 (very good): {days}.").format(days=days)


async def build(shell) -> Screen:
    page = shell.page
    state = {"days": 30}
    area = ft.Column(spacing=16, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)

    async def show():
        view = await shell.services.checkins.trends(state["days"])
        series, use, today = view.series, view.use, dt.date.fromisoformat(view.today)
        scores = [w.score for w in view.who5]
        area.controls = [
            card(heading(_("Mood and stress"), level="section"), body(view.series_summary),
                 *mood_and_stress(series, state["days"], today)),
            card(heading(_("Wellbeing (WHO-5)"), level="section"), body(view.who5_summary),
                 *([described(who5_chart(scores), _("Wellbeing scores in this period, oldest first: {scores}.").format(
                     scores=", ".join(map(str, scores))))] if len(scores) >= 2 else [])),
            card(heading(_("Your mood on use and non-use days"), level="section"), body(view.use_summary),
                 *([described(use_chart(use), _("Mood on non-use days: {am}; on use days: {bm}.").format(
                     am=format_number(use.a_mood), bm=format_number(use.b_mood)))]
                   if use.a_days and use.b_days else [])),
            card(heading(_("What you did, and how you felt"), level="section"),
                 *_response_lines(view.response_sentences(lambda r: word(RESPONSES, r)), view.response_counts)),
            card(heading(_("This month"), level="section"),
                 described(month_calendar(view.month, today), _month_alt(view.month))),
        ]
        page.update()

    def pick(e):
        state["days"] = int(e.control.selected[0])
        page.run_task(show)

    period = ft.SegmentedButton(selected=["30"], show_selected_icon=False,
                                segments=[ft.Segment(value=str(d), label=ft.Text(l())) for d, l in PERIODS],
                                style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=4, vertical=14)),
                                on_change=pick)
    await show()
    return Screen(title=_("Trends"), controls=[page_body([period, area])])


def _response_lines(lines: list[str], counts: dict[str, int]) -> list[ft.Control]:
    if not counts:
        return [body(_("Log how you responded in a check-in to see patterns here."), muted=True)]
    clear = [ft.Text(line) for line in lines]
    if not clear:
        clear = [body(_("There is no clear difference yet between days with different responses."), muted=True)]
    tally = ", ".join(f"{word(RESPONSES, r)}: {n}" for r, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    return clear + [small(_("Days logged for each response: {tally}.").format(tally=tally))]
