"""The step player: one step of a journey, whatever its type, with progress kept as you go."""

from __future__ import annotations

import flet as ft

from app.i18n import _, format_date
from screens import messages
from screens import steps as kinds
from screens.widgets import Screen, body, card, heading, page_body, small, snack


def _safety_cards(shell, step, loved_one) -> list[ft.Control]:
    notes = shell.services.library.safety_notes
    kinds_here = [k for k in step.safety if k in loved_one.safety_kinds()]
    return [card(kinds.markdown(notes[k]), tone="warning") for k in kinds_here]


async def build(shell, step_id: str) -> Screen:
    page, services = shell.page, shell.services
    step = services.library.step(step_id)
    journey = services.library.journey(step.journey_id)
    index = journey.index(step.id)
    data = await services.journeys.open_step(step.id)
    progress = data.progress
    values: dict = dict(data.worksheet or {})

    async def save_values():
        await services.journeys.save_worksheet(step.id, dict(values))

    saver = kinds.Saver(page, save_values)
    controls: list[ft.Control] = [
        small(_("Step {number} of {total} · about {minutes} min").format(
            number=index + 1, total=len(journey.steps), minutes=step.minutes)),
        heading(step.title, level="display"),
        *_safety_cards(shell, step, data.loved_one),
    ]
    if step.body:
        controls.append(kinds.markdown(step.body))
    if step.type == "worksheet":
        controls += kinds.worksheet(step, values, saver)
        if step.kind == "reapproach_plan":
            controls.append(_export_button(shell, step, saver))
    elif step.type == "scale":
        controls += kinds.scale(step, values, saver)
    elif step.type == "checklist":
        controls += kinds.checklist(page, step, set(data.checked),
                                    lambda item, on: services.journeys.set_checklist_item(step.id, item, on))
    elif step.type == "reflection":
        answers = {pid: r.body for pid, r in data.reflections.items()}
        controls += kinds.reflection(page, step, answers,
                                     lambda pid, text: services.journeys.save_reflection(step.id, pid, text))
    elif step.type == "practice":
        controls += kinds.practice(page, step)
    elif step.type == "quiz":
        controls += kinds.quiz(step)

    controls.append(ft.Divider())
    controls += _completion(shell, step, journey, index, progress, saver)
    return Screen(title=journey.title, controls=[page_body(controls)])


def _completion(shell, step, journey, index, progress, saver) -> list[ft.Control]:
    page, services = shell.page, shell.services
    done = progress is not None and progress.status == "completed"
    last = index == len(journey.steps) - 1

    async def complete(e):
        if not await saver.flush():
            snack(page, _("Your answers are not saved yet, so this step stays open. Please try again."))
            return
        try:
            result = await services.journeys.complete_step(step.id)
        except Exception as exc:  # noqa: BLE001 - the step stays open; say so
            snack(page, messages.describe(exc, what="step not completed"))
            return
        message = _("Well done. That's one more for today.") if step.repeatable and done else None
        if result.next_step is None:
            message = (_("You finished {title}. Take a moment to notice what you have done.").format(
                title=journey.title) if result.journey_finished else _("Step done."))
            await shell.go(f"/journey/{journey.id}", message=message)
        else:
            await shell.go(f"/step/{result.next_step.id}", message=message)

    if step.repeatable:
        label = _("Done for today")
    elif last:
        label = _("Finish the journey")
    else:
        label = _("Done, next step")
    controls: list[ft.Control] = []
    if done and progress.completed_at:
        when = format_date(shell.services.clock.to_local(progress.completed_at).date())
        text = (_("You have done this practice {count} times. Last time: {date}.").format(
                    count=progress.completed_count, date=when)
                if step.repeatable and progress.completed_count > 1
                else _("You finished this step on {date}.").format(date=when))
        controls.append(body(text, muted=True))
    controls.append(ft.FilledButton(label, icon=ft.Icons.CHECK, height=52, on_click=complete))
    nav = []
    if index > 0:
        prev = journey.steps[index - 1]
        nav.append(ft.TextButton(_("Previous step"), icon=ft.Icons.ARROW_BACK, height=48,
                                 on_click=lambda e: page.run_task(_leave, shell, saver, f"/step/{prev.id}")))
    if not last:
        nxt = journey.steps[index + 1]
        nav.append(ft.TextButton(_("Skip for now"), icon=ft.Icons.ARROW_FORWARD, height=48,
                                 on_click=lambda e: page.run_task(_leave, shell, saver, f"/step/{nxt.id}")))
    controls.append(ft.Row(nav, alignment=ft.MainAxisAlignment.SPACE_BETWEEN, wrap=True))
    return controls


async def _leave(shell, saver, route: str) -> None:
    await saver.flush()
    await shell.go(route)


def _export_button(shell, step, saver) -> ft.Control:
    """The plan goes into the printable summary (a PDF with the rest of the person's record)."""
    async def export(e):
        if not await saver.flush():
            snack(shell.page, _("Your answers are not saved yet, so the plan was not exported. Please try again."))
            return
        await shell.go("/summary")

    return ft.OutlinedButton(_("Print the plan in a summary (PDF)"), icon=ft.Icons.PICTURE_AS_PDF, height=48,
                             on_click=export)
