"""Today: a greeting and what might help right now."""

from __future__ import annotations

import datetime as dt

import flet as ft

from app.i18n import _, format_hhmm, ngettext
from screens.gentle import who5_words
from screens.right_now import right_now_card
from screens.widgets import Screen, body, card, heading, page_body, small
from screens.addresses import step_route


NIGHT_ENDS, NIGHT_STARTS = 5, 23  # "Good morning" at 03:14 rings false: say "Hello" at night


def greeting(now: dt.datetime, name: str | None) -> str:
    if now.hour < NIGHT_ENDS or now.hour >= NIGHT_STARTS:
        text = _("Hello, {name}") if name else _("Hello")
    elif now.hour < 12:
        text = _("Good morning, {name}") if name else _("Good morning")
    elif now.hour < 18:
        text = _("Good afternoon, {name}") if name else _("Good afternoon")
    else:
        text = _("Good evening, {name}") if name else _("Good evening")
    return text.format(name=name)


def _due_cards(shell, status, now: dt.datetime) -> list[ft.Control]:
    """What is due today: the check-in and the weekly WHO-5. No streaks, no guilt."""
    run, cards = shell.page.run_task, []
    time = shell.settings.checkin_time
    if status.checked_in:
        cards.append(card(heading(_("You checked in today"), level="section"),
                          body(_("Thank you for taking a moment for yourself.")),
                          ft.TextButton(_("See your trends"), icon=ft.Icons.INSIGHTS,
                                        on_click=lambda e: run(shell.go, "/trends"))))
    else:
        lead = (_("Your check-in time is {time}.").format(time=format_hhmm(time)) + " " if time and
                now.strftime("%H:%M") >= time else "")
        cards.append(card(heading(_("How are you today?"), level="section"),
                          body(lead + _("A short check-in helps you notice how you are doing over time.")),
                          ft.FilledTonalButton(_("Check in now"), icon=ft.Icons.FAVORITE_BORDER,
                                               on_click=lambda e: run(shell.go, "/checkin"))))
    if status.who5_due:
        cards.append(card(heading(_("Weekly wellbeing check"), level="section"),
                          body(who5_words()),
                          ft.TextButton(_("Start the wellbeing check"),
                                        on_click=lambda e: run(shell.go, "/who5"))))
    return cards


def _next_step_card(shell, suggestion) -> ft.Control:
    if suggestion is None:
        return card(
            heading(_("Your next step"), level="section"),
            body(_("Guided journeys help you make sense of what happened and plan what to try next.")),
            ft.FilledTonalButton(_("See journeys"), icon=ft.Icons.ROUTE,
                                 on_click=lambda e: shell.page.run_task(shell.go, "/journeys")))
    state, step = suggestion
    lead = _("Continue where you left off") if state.started else _("A good place to start")
    return card(
        heading(_("Your next step"), level="section"),
        body(lead, muted=True),
        ft.Text(_("{journey}: {step}").format(journey=state.journey.title, step=step.title),
                weight=ft.FontWeight.W_600),
        small(_("About {minutes} min").format(minutes=step.minutes)),
        ft.FilledTonalButton(_("Open next step"), icon=ft.Icons.PLAY_ARROW,
                             on_click=lambda e: shell.page.run_task(shell.go, step_route(step.id))))


async def _sharing_cards(shell) -> list[ft.Control]:
    """Word from the specialist, or the news that their server no longer knows this phone."""
    status = await shell.services.sharing.status()
    run = shell.page.run_task
    if status.state == "closed":
        return [card(heading(_("No longer connected to your specialist"), level="section"),
                     body(_("Nothing more is sent. What you shared before stays with your specialist unless they "
                            "erase it. Everything on this phone is kept.")),
                     ft.TextButton(_("What this means"), on_click=lambda e: run(shell.go, "/sharing")),
                     tone="notice")]
    if status.paired and status.unread:
        return [card(heading(_("Your specialist sent you something new"), level="section"),
                     ft.FilledTonalButton(_("Read messages"), icon=ft.Icons.FORUM_OUTLINED,
                                          on_click=lambda e: run(shell.go, "/inbox")),
                     tone="notice")]
    return []


async def build(shell) -> Screen:
    view = await shell.services.today()
    now = shell.services.clock.local_now()
    controls = [
        heading(greeting(now, shell.settings.greeting_name), level="display"),
        body(_("Whatever happened, you are still here and still trying. That matters."), muted=True),
        *right_now_card(shell),
        *await _sharing_cards(shell),
        *_due_cards(shell, view.status, now),
        _next_step_card(shell, view.suggestion),
        card(
            heading(_("If today is very hard"), level="section"),
            body(_("You do not have to cope alone. Crisis and support lines for your country are one tap away.")),
            ft.TextButton(_("See crisis and support lines"), icon=ft.Icons.SOS_OUTLINED,
                          on_click=shell.open_help),
            tone="notice",
        ),
    ]
    return Screen(title=_("Today"), controls=[page_body(controls)])
