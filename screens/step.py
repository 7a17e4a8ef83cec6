"""The step player: one step of a journey, whatever its type, with progress kept as you go."""

from __future__ import annotations

import flet as ft

from app.content import SAFETY_PLAN_STEP, check_for, notes_for, ordered_sections
from app.crisis import INTERNATIONAL
from app.errors import AppError
from app.i18n import _, country_name, current_language, format_date, ngettext
from screens import messages
from screens import steps as kinds
from screens.share_parts import share_switch
from screens.widgets import Screen, body, card, heading, page_body, small, snack
from screens.addresses import step_route


EXPORTABLE = ("reapproach_plan", "safety_plan")  # worksheets a person may want on paper or to send


def _safety_cards(shell, step, loved_one) -> list[ft.Control]:
    notes = shell.services.library.safety_notes
    return [card(kinds.markdown(notes[k]), tone="warning") for k in notes_for(step, loved_one)]


def _lesson_text(step, loved_one) -> list[ft.Control]:
    """A sectioned lesson: its intro, then every section, the ones that fit the profile first."""
    if not step.sections:
        return [kinds.markdown(step.body)] if step.body else []
    controls = [kinds.markdown(step.intro)] if step.intro else []
    for section in ordered_sections(step, loved_one):
        controls += [heading(section.title, level="section"), kinds.markdown(section.body)]
    return controls


def _country_note(shell, step) -> list[ft.Control]:
    """The chosen country's naloxone facts (never another country's rules), or the international ones."""
    crisis = shell.services.crisis
    text = crisis.naloxone_note(shell.country, current_language()) if crisis and step.country_note else None
    if not text:
        return []
    help = crisis.for_country(shell.country)
    where = country_name(help.code) if help and help.code != INTERNATIONAL else _("where you live")
    return [card(heading(_("Naloxone in {place}").format(place=where), level="section"), kinds.markdown(text),
                 tone="notice")]


def _help_button(shell) -> ft.Control:
    return ft.FilledTonalButton(_("Get help now"), icon=ft.Icons.SOS_OUTLINED, on_click=shell.open_help)


def _with_check(shell, check, content: list[ft.Control]) -> list[ft.Control]:
    """Ask the check's question before the step; the step shows after "no". After "yes": the check's words,
    Get help now and the safety plan (and the step, if the person still wants to read it)."""
    step_area = ft.Column(content, spacing=16, visible=False, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
    answer = ft.Column(spacing=12, tight=True, visible=False)

    def safe(e):
        question.visible, step_area.visible = False, True
        shell.page.update()

    def at_risk(e):
        buttons.visible, answer.visible = False, True
        shell.page.update()

    buttons = ft.Row([ft.FilledTonalButton(check.no, on_click=safe),
                      ft.OutlinedButton(check.yes, on_click=at_risk)], wrap=True, spacing=8, run_spacing=8)
    answer.controls = [
        body(check.if_yes), _help_button(shell),
        ft.OutlinedButton(_("Make a safety plan"), icon=ft.Icons.SHIELD_OUTLINED,
                          on_click=lambda e: shell.page.run_task(shell.go, step_route(SAFETY_PLAN_STEP))),
        ft.TextButton(_("Show the step anyway"), on_click=safe)]
    question = card(heading(check.question, level="section"), buttons, answer, tone="notice")
    return [question, step_area]


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
    content: list[ft.Control] = [*_safety_cards(shell, step, data.loved_one), *_lesson_text(step, data.loved_one),
                                 *_country_note(shell, step)]
    if step.type == "worksheet":
        content += kinds.worksheet(step, values, saver)
        if step.kind in EXPORTABLE:
            content.append(_export_button(shell, step, saver))
        content += await _sharing(shell, step, saver)
    elif step.type == "scale":
        content += kinds.scale(step, values, saver)
    elif step.type == "checklist":
        content += kinds.checklist(page, step, set(data.checked),
                                   lambda item, on: services.journeys.set_checklist_item(step.id, item, on))
    elif step.type == "reflection":
        answers = {pid: r.body for pid, r in data.reflections.items()}
        content += kinds.reflection(page, step, answers,
                                    lambda pid, text: services.journeys.save_reflection(step.id, pid, text))
    elif step.type == "practice":
        content += kinds.practice(page, step, reduce_motion=getattr(shell, "reduce_motion", False))
    elif step.type == "quiz":
        content += kinds.quiz(step)
    if step.get_help:
        content.append(_help_button(shell))
    content.append(ft.Divider())
    content += _completion(shell, step, journey, index, progress, saver)
    check = check_for(services.library, step)
    controls: list[ft.Control] = [
        small(_("Step {number} of {total} · about {minutes} min").format(
            number=index + 1, total=len(journey.steps), minutes=step.minutes)),
        heading(step.title, level="display"),
        *(_with_check(shell, check, content) if check else content),
    ]
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
            await shell.go(step_route(result.next_step.id), message=message)

    if step.repeatable:
        label = _("Done for today")
    elif last:
        label = _("Finish the journey")
    else:
        label = _("Done, next step")
    controls: list[ft.Control] = []
    if done and progress.completed_at:
        when = format_date(shell.services.clock.to_local(progress.completed_at).date())
        text = (ngettext("You have done this practice {count} time. Last time: {date}.",
                          "You have done this practice {count} times. Last time: {date}.",
                          progress.completed_count).format(
                    count=progress.completed_count, date=when)
                if step.repeatable and progress.completed_count > 1
                else _("You finished this step on {date}.").format(date=when))
        controls.append(body(text, muted=True))
    controls.append(ft.FilledButton(label, icon=ft.Icons.CHECK, on_click=complete))
    nav = []
    if index > 0:
        prev = journey.steps[index - 1]
        nav.append(ft.TextButton(_("Previous step"), icon=ft.Icons.ARROW_BACK,
                                 on_click=lambda e: page.run_task(_leave, shell, saver, step_route(prev.id))))
    if not last:
        nxt = journey.steps[index + 1]
        nav.append(ft.TextButton(_("Skip for now"), icon=ft.Icons.ARROW_FORWARD,
                                 on_click=lambda e: page.run_task(_leave, shell, saver, step_route(nxt.id))))
    controls.append(ft.Row(nav, alignment=ft.MainAxisAlignment.SPACE_BETWEEN, wrap=True))
    return controls


async def _sharing(shell, step, saver) -> list[ft.Control]:
    """On a paired phone: share this worksheet (the re-approach plan above all) and read the specialist's
    feedback on it, beside the plan itself."""
    sharing = shell.services.sharing
    if not await sharing.is_paired():
        return []
    rid, mark = await sharing.worksheet_mark(step.id)

    async def change(on: bool):
        await saver.flush()  # share what is on the screen, not an older save
        record, _mark = await sharing.worksheet_mark(step.id)
        if record is None:
            raise AppError("worksheet_empty")
        return await sharing.set_shared("worksheet", record, on)

    controls: list[ft.Control] = [ft.Divider(), heading(_("Your specialist"), level="section"),
                                  share_switch(shell, _("Share my answers on this page with my specialist"), mark, change)]
    for item in await sharing.feedback_for(step.id) if rid else []:
        when = shell.services.clock.to_local(item.data.get("created_at") or item.received_at)
        controls.append(card(small(_("Your specialist's feedback · {date}").format(date=format_date(when.date()))),
                             body(item.data.get("body", "")), tone="notice"))
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
        shell.flash = {"safety_plan": step.kind == "safety_plan"}
        await shell.go("/summary")

    return ft.OutlinedButton(_("Print the plan in a summary (PDF)"), icon=ft.Icons.PICTURE_AS_PDF,
                             on_click=export)
