"""Trends: mood and stress over time, WHO-5, use and non-use days, a month calendar; each with words."""

from __future__ import annotations

import calendar
import datetime as dt

import flet as ft
import flet_charts as fch
from babel.dates import get_day_names

from app.i18n import _, current_language, format_date, format_number
from screens.labels import RESPONSES, mood_color, word
from screens.widgets import Screen, body, card, heading, page_body, small

MOOD_COLOR, STRESS_COLOR = "#1E7A6F", "#D9730D"
PERIODS = ((7, lambda: _("7 days")), (30, lambda: _("30 days")), (90, lambda: _("90 days")),
           (365, lambda: _("1 year")))


def _axis_labels(values: list[tuple[float, str]]) -> list[fch.ChartAxisLabel]:
    return [fch.ChartAxisLabel(value=v, label=ft.Text(text, size=10)) for v, text in values]


def _line(points: list[tuple[float, float]], color) -> fch.LineChartData:
    return fch.LineChartData(points=[fch.LineChartDataPoint(x, y) for x, y in points], color=color,
                             stroke_width=3, curved=False, point=len(points) <= 31)


def mood_chart(series, days: int, today: dt.date) -> ft.Control:
    start = today - dt.timedelta(days=days - 1)
    xs = [(dt.date.fromisoformat(p.day) - start).days for p in series]
    mood = list(zip(xs, [p.mood for p in series]))
    stress = [(x, p.stress / 2) for x, p in zip(xs, series) if p.stress is not None]  # 0-10 drawn on 0-5
    ticks = [(0, format_date(start, format="d MMM")), (days - 1, format_date(today, format="d MMM"))]
    return fch.LineChart(
        data_series=[_line(mood, MOOD_COLOR), _line(stress, STRESS_COLOR)],
        min_y=0, max_y=5, min_x=0, max_x=max(days - 1, 1), height=220, interactive=False,
        left_axis=fch.ChartAxis(labels=_axis_labels([(1, "1"), (3, "3"), (5, "5")]), label_size=24),
        bottom_axis=fch.ChartAxis(labels=_axis_labels(ticks), label_size=28),
        horizontal_grid_lines=fch.ChartGridLines(interval=1, color=ft.Colors.OUTLINE_VARIANT, width=0.5),
    )


def _mood_alt(series) -> str:
    if not series:
        return _("No check-ins in this period.")
    low = min(series, key=lambda p: p.mood)
    high = max(series, key=lambda p: p.mood)
    stresses = [p.stress for p in series if p.stress is not None]
    text = _("Chart of mood (1 to 5) on {n} days: lowest {low} on {low_day}, highest {high} on {high_day}.").format(
        n=len(series), low=format_number(low.mood), low_day=format_date(dt.date.fromisoformat(low.day)),
        high=format_number(high.mood), high_day=format_date(dt.date.fromisoformat(high.day)))
    if stresses:
        text += " " + _("Average stress {stress} out of 10 (the second line, drawn at half height).").format(
            stress=format_number(round(sum(stresses) / len(stresses), 1)))
    return text


def _legend() -> ft.Control:
    def key(color, text):
        return ft.Row([ft.Container(width=14, height=4, bgcolor=color, border_radius=2), small(text)], spacing=6)
    return ft.Row([key(MOOD_COLOR, _("Mood, 1 to 5")), key(STRESS_COLOR, _("Stress, 0 to 10, at half height"))],
                  wrap=True, spacing=16)


def who5_chart(scores: list[int]) -> ft.Control:
    return fch.LineChart(
        data_series=[_line(list(enumerate(scores)), ft.Colors.SECONDARY)], min_y=0, max_y=100, min_x=0,
        max_x=max(len(scores) - 1, 1), height=180, interactive=False,
        left_axis=fch.ChartAxis(labels=_axis_labels([(0, "0"), (50, "50"), (100, "100")]), label_size=32),
        horizontal_grid_lines=fch.ChartGridLines(interval=25, color=ft.Colors.OUTLINE_VARIANT, width=0.5))


def use_chart(c) -> ft.Control:
    def rod(x, value, color):
        return fch.BarChartGroup(x=x, rods=[fch.BarChartRod(from_y=0, to_y=value or 0, width=40, color=color,
                                                            border_radius=6)])
    return fch.BarChart(
        groups=[rod(0, c.a_mood, ft.Colors.PRIMARY), rod(1, c.b_mood, ft.Colors.TERTIARY)], min_y=0, max_y=5,
        height=180, interactive=False,
        bottom_axis=fch.ChartAxis(labels=_axis_labels([(0, _("Non-use days")), (1, _("Use days"))]), label_size=28),
        left_axis=fch.ChartAxis(labels=_axis_labels([(1, "1"), (3, "3"), (5, "5")]), label_size=24))


def month_calendar(moods: dict[int, float], today: dt.date) -> ft.Control:
    weeks = calendar.Calendar(firstweekday=0).monthdayscalendar(today.year, today.month)
    names = get_day_names("abbreviated", locale=current_language())
    rows = [ft.Row([ft.Container(small(names[i]), width=40, alignment=ft.Alignment.CENTER) for i in range(7)],
                   spacing=4)]
    for week in weeks:
        cells = []
        for day in week:
            mood = moods.get(day)
            cells.append(ft.Container(
                ft.Text(str(day) if day else "", size=12, color=ft.Colors.WHITE if mood else None),
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
            card(heading(_("Mood and stress"), level="section"),
                 body(view.series_summary),
                 *([mood_chart(series, state["days"], today), _legend()] if len(series) >= 2 else []),
                 small(_mood_alt(series))),
            card(heading(_("Wellbeing (WHO-5)"), level="section"), body(view.who5_summary),
                 *([who5_chart(scores)] if len(scores) >= 2 else []),
                 small(_("Scores in this period, oldest first: {scores}.").format(
                     scores=", ".join(map(str, scores))) if scores else _("No wellbeing checks yet."))),
            card(heading(_("Your mood on use and non-use days"), level="section"), body(view.use_summary),
                 *([use_chart(use)] if use.a_days and use.b_days else []),
                 small(_("Non-use days: {a} (mood {am}); use days: {b} (mood {bm}).").format(
                     a=use.a_days, b=use.b_days, am=format_number(use.a_mood) if use.a_mood else "-",
                     bm=format_number(use.b_mood) if use.b_mood else "-"))),
            card(heading(_("What you did, and how you felt"), level="section"),
                 *_response_lines(view.response_sentences(lambda r: word(RESPONSES, r)), view.response_counts)),
            card(heading(_("This month"), level="section"), month_calendar(view.month, today),
                 small(_month_alt(view.month))),
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
