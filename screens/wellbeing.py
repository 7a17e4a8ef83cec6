"""The weekly WHO-5 wellbeing check: five questions, a score out of 100, never a diagnosis."""

from __future__ import annotations

import flet as ft

from app.i18n import _
from screens.share_parts import default_note, record_switch
from screens import messages
from screens.gentle import gentle_help_card
from screens.widgets import Screen, body, card, heading, labelled, page_body, small

QUESTIONS = (
    lambda: _("I have felt cheerful and in good spirits"),
    lambda: _("I have felt calm and relaxed"),
    lambda: _("I have felt active and vigorous"),
    lambda: _("I woke up feeling fresh and rested"),
    lambda: _("My daily life has been filled with things that interest me"),
)
ANSWERS = (
    (5, lambda: _("All of the time")), (4, lambda: _("Most of the time")),
    (3, lambda: _("More than half of the time")), (2, lambda: _("Less than half of the time")),
    (1, lambda: _("Some of the time")), (0, lambda: _("At no time")),
)


async def build(shell) -> Screen:
    page = shell.page
    answers: dict[int, int] = {}
    error = ft.Text(color=ft.Colors.ERROR, visible=False)
    result = ft.Column(visible=False, spacing=12, tight=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
    form = ft.Column(spacing=12, tight=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)

    async def submit(e):
        if len(answers) < len(QUESTIONS):
            error.value, error.visible = _("Please answer all five questions."), True
            page.update()
            return
        try:
            saved = await shell.services.checkins.add_wellbeing([answers[i] for i in range(len(QUESTIONS))])
        except Exception as exc:  # noqa: BLE001 - the answers stay chosen on screen
            error.value, error.visible = messages.describe(exc, what="wellbeing not saved"), True
            page.update()
            return
        record, needs_care = saved.record, saved.needs_care
        form.visible = False
        result.controls = [
            heading(_("Your score: {score} out of 100").format(score=record.score), level="display"),
            body(_("Higher scores mean better wellbeing over the last two weeks. The score is a way to notice "
                   "changes over time. It is not a diagnosis.")),
        ]
        if saved.gentle_help:
            result.controls.append(gentle_help_card(shell))
        elif needs_care:
            result.controls.append(card(
                heading(_("It sounds like things have been hard lately"), level="section"),
                body(_("That makes sense with what you are carrying. It could help to talk with your specialist "
                       "or your doctor about how you have been feeling. If you ever feel unsafe, help is one tap away.")),
                ft.FilledButton(_("Get help now"), icon=ft.Icons.SOS_OUTLINED, on_click=shell.open_help),
                tone="warning"))
        # on a paired phone: this result's own switch (on when results go automatically), as on a check-in
        result.controls += await record_switch(shell, "wellbeing", record.id,
                                               _("Share this result with my specialist"))
        result.controls.append(ft.OutlinedButton(_("See your trends"), icon=ft.Icons.INSIGHTS,
                                                 on_click=lambda e: page.run_task(shell.go, "/trends")))
        result.visible = True
        page.update()

    form.controls = [body(_("Over the last two weeks, how often has each of these been true for you?")),
                     small(_("The WHO-5 Well-Being Index, from the World Health Organization. It always looks "
                             "back two weeks; Regroup offers it each week so you can see changes sooner."))]
    for i, question in enumerate(QUESTIONS):
        group = ft.RadioGroup(content=ft.Column([ft.Radio(value=str(v), label=t()) for v, t in ANSWERS],
                                                spacing=0, tight=True),
                              on_change=lambda e, i=i: answers.__setitem__(i, int(e.control.value)))
        form.controls += [heading(f"{i + 1}. {question()}", level="section"), labelled(question(), group)]
    form.controls += [error, *await default_note(shell, "wellbeing"),
                      ft.FilledButton(_("See my score"), icon=ft.Icons.CHECK, on_click=submit)]
    return Screen(title=_("Wellbeing check"), controls=[page_body([form, result])])
