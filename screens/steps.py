"""The seven kinds of journey step, each as a small widget the step screen places."""

from __future__ import annotations

import asyncio
import weakref
from typing import Awaitable, Callable

import flet as ft

from app.debounce import Debouncer
from app.domain import Step, WorksheetField
from app.i18n import _, ngettext
from screens import messages
from screens.theme import TOUCH, scaled_size
from screens.widgets import body, card, choice_button, heading, labelled, set_chosen, small

SAVE_DELAY = 0.8  # seconds after the last keystroke


_SAVERS: "weakref.WeakSet[Saver]" = weakref.WeakSet()


class Saver:
    """Saves a little after typing stops, at once on blur or leave; shows its state; never drops words."""

    def __init__(self, page: ft.Page, save: Callable[[], Awaitable[None]]):
        self.page, self._save = page, save
        self.status = small("")
        self._debounce = Debouncer(SAVE_DELAY, self._save_now)
        _SAVERS.add(self)

    @staticmethod
    async def flush_all() -> None:
        """Save every half-typed text now (before the whole app is redrawn, e.g. in another language)."""
        for saver in list(_SAVERS):
            await saver.flush()

    def changed(self) -> None:
        self.status.value = _("Saving…")
        self._debounce.poke()

    async def flush(self) -> bool:
        """Save now if anything changed; False (words kept, reason shown) when it could not be saved."""
        try:
            await self._debounce.flush()
        except Exception:  # noqa: BLE001 - _save_now has shown why
            return False
        return True

    async def _save_now(self) -> None:
        try:
            await self._save()
        except Exception as exc:
            self.status.value = _("Not saved yet. {reason}").format(
                reason=messages.describe(exc, what="autosave failed"))
            self.status.color = ft.Colors.ERROR
            self._safe_update()
            raise
        self.status.value = _("Saved")
        self.status.color = None
        self._safe_update()

    def _safe_update(self) -> None:
        if self.status.page:
            self.status.update()


# --- lesson --------------------------------------------------------------------

def reading_style() -> ft.MarkdownStyleSheet:
    """Lesson text at a comfortable reading size (16 px, roomy lines), grown with the text size setting."""
    return ft.MarkdownStyleSheet(
        p_text_style=ft.TextStyle(size=scaled_size(16), height=1.5),
        list_bullet_text_style=ft.TextStyle(size=scaled_size(16)),
        h2_text_style=ft.TextStyle(size=scaled_size(20), weight=ft.FontWeight.W_600),
        h3_text_style=ft.TextStyle(size=scaled_size(18), weight=ft.FontWeight.W_600),
        block_spacing=12,
    )


def markdown(text: str) -> ft.Control:
    """Lesson text at a comfortable reading size."""
    return ft.Markdown(text, extension_set=ft.MarkdownExtensionSet.GITHUB_FLAVORED, md_style_sheet=reading_style())


# --- number picker (scales) -------------------------------------------------------

def number_picker(label: str, low: int, high: int, value: int | None, on_pick: Callable[[int], None],
                  low_label: str | None = None, high_label: str | None = None) -> ft.Control:
    """Thumb-sized numbers in at most two even rows (0-5 over 6-10), each announcing whether it is chosen.

    Six targets and five gaps of 6 px fill 328 px (360 px less the margins) at about 50 px each."""
    buttons: dict[int, ft.Semantics] = {}

    def pick(n: int):
        for k, b in buttons.items():
            set_chosen(b, k == n)
        on_pick(n)
        if buttons[n].page:
            buttons[n].page.update()

    for n in range(low, high + 1):
        buttons[n] = choice_button(ft.Text(str(n), theme_style=ft.TextThemeStyle.TITLE_MEDIUM),
                                   selected=n == value, on_click=lambda e, n=n: pick(n))
    rows = [ft.Row(cells, spacing=6) for cells in number_rows(list(buttons.values()))]
    ends = ft.Row([small(f"{low} = {low_label}" if low_label else ""),
                   small(f"{high} = {high_label}" if high_label else "")],
                  alignment=ft.MainAxisAlignment.SPACE_BETWEEN, wrap=True)
    return labelled(label, ft.Column([*rows, ends], spacing=6, tight=True))


def number_rows(cells: list[ft.Control], per_row: int = 6) -> list[list[ft.Control]]:
    """Split a scale into two even rows when it is longer than a row; the shorter row is padded with an
    empty cell so every target has the same width."""
    if len(cells) <= per_row:
        return [cells]
    first = (len(cells) + 1) // 2
    rows = [cells[:first], cells[first:]]
    rows[1] = rows[1] + [ft.Container(expand=True) for _ in range(first - len(rows[1]))]
    return rows


# --- worksheet -----------------------------------------------------------------------

LONG_LABEL = 36  # characters: a longer floating label wraps past the field's border at 360 px


def worksheet(step: Step, values: dict, saver: Saver) -> list[ft.Control]:
    """One control per field; every change is saved (debounced for typing). A worksheet with a short version
    offers it first (the debrief: three fields, not eight) and keeps every answer when switching."""
    controls = {f.id: _field_control(f, values, saver) for f in step.fields}
    placed: list[ft.Control] = []
    if step.short_fields:
        short = set(step.short_fields)

        def show(version: str):
            for fid, control in controls.items():
                control.visible = version == "full" or fid in short

        def switch(e):
            show(e.control.selected[0])
            e.control.page.update()

        # a debrief already begun in full reopens in full, so no answer is hidden
        first = "full" if any(values.get(f.id) not in (None, "") for f in step.fields if f.id not in short) \
            else "short"
        show(first)
        placed.append(ft.SegmentedButton(
            selected=[first], show_selected_icon=False, on_change=switch,
            style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=4, vertical=14)),
            segments=[ft.Segment(value="short", label=ft.Text(ngettext("Short: {n} question", "Short: {n} questions",
                                                                        len(short)).format(n=len(short)))),
                      ft.Segment(value="full", label=ft.Text(ngettext("Full: {n} question", "Full: {n} questions", len(step.fields)).format(
                          n=len(step.fields))))]))
    return [*placed, *controls.values(), saver.status]


def _field_control(field: WorksheetField, values: dict, saver: Saver) -> ft.Control:
    if field.type in ("short_text", "long_text"):
        return _text_field(field, values, saver)

    def set_value(v):
        values[field.id] = v
        saver.changed()

    if field.type == "choice":
        group = ft.RadioGroup(value=values.get(field.id),
                              content=ft.Column([radio(o.id, o.text) for o in field.options],
                                                spacing=0, tight=True),
                              on_change=lambda e: set_value(e.control.value))
        return ft.Column([heading(field.label, level="section"), labelled(field.label, group)],
                         spacing=4, tight=True)
    return ft.Column([heading(field.label, level="section"),
                      number_picker(field.label, field.min, field.max, values.get(field.id), set_value,
                                    field.low_label, field.high_label)], spacing=8, tight=True)


def _text_field(field: WorksheetField, values: dict, saver: Saver) -> ft.Control:
    """A long prompt stands above its field as text (the field keeps a short label); the help sits under
    its own field; a model answer is offered once the person has written something."""
    long = field.type == "long_text"
    long_label = len(field.label) > LONG_LABEL
    model = _model_answer(field) if field.model_answer else None

    def changed(e):
        values[field.id] = e.control.value
        saver.changed()
        if model and (e.control.value or "").strip() and not model.visible:
            model.visible = True
            model.update()

    async def blur(e):
        await saver.flush()

    box = ft.TextField(
        label=_("Your answer") if long_label else field.label, value=values.get(field.id) or "",
        hint_text=_("For example: {example}").format(example=field.example) if field.example else None,
        multiline=long, min_lines=3 if long else 1, max_lines=10 if long else 1,
        capitalization=ft.TextCapitalization.SENTENCES, on_change=changed, on_blur=blur)
    parts: list[ft.Control] = [heading(field.label, level="section")] if long_label else []
    parts.append(box)
    if field.help:
        parts.append(small(field.help))  # Flutter's helper text is one line and gets cut: a wrapping text
    if model:
        model.visible = bool((values.get(field.id) or "").strip())
        parts.append(model)
    return ft.Column(parts, spacing=6, tight=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)


def _model_answer(field: WorksheetField) -> ft.Column:
    answer = card(small(_("One way to say it")), body(field.model_answer), tone="notice")
    answer.visible = False

    def reveal(e):
        answer.visible = True
        button.visible = False
        e.control.page.update()

    button = ft.TextButton(_("See a model answer"), icon=ft.Icons.LIGHTBULB_OUTLINE, on_click=reveal)
    return ft.Column([button, answer], spacing=6, tight=True)


# --- scale step ------------------------------------------------------------------------

def scale(step: Step, values: dict, saver: Saver) -> list[ft.Control]:
    meaning = body("")

    def show(n: int | None):
        band = step.band_for(n) if n is not None else None
        meaning.value = band.text if band else _("Choose a number to see what it might mean.")

    def pick(n: int):
        values["value"] = n
        show(n)
        saver.changed()

    show(values.get("value"))
    return [heading(step.question, level="section"),
            number_picker(step.question, step.min, step.max, values.get("value"), pick,
                          step.low_label, step.high_label),
            card(meaning, tone="notice"), saver.status]


# --- checklist -------------------------------------------------------------------------

def checklist(page: ft.Page, step: Step, checked: set[str],
              save: Callable[[str, bool], Awaitable[None]]) -> list[ft.Control]:
    status = small("")

    async def toggle(e, item_id: str):
        try:
            await save(item_id, bool(e.control.value))
            status.value = _("Saved")
        except Exception as exc:  # noqa: BLE001 - leave the box as the person set it and say so
            status.value = _("Not saved. {reason}").format(reason=messages.describe(exc, what="checklist not saved"))
        status.update()

    boxes = [check_row(item.text, item.id in checked, lambda e, i=item.id: page.run_task(toggle, e, i))
             for item in step.items]
    return [ft.Column(boxes, spacing=4), status]


def radio(value: str, text: str) -> ft.Radio:
    """A named radio. Flet's radio label is one line: content keeps options short (tests/test_content.py)."""
    return ft.Radio(value=value, label=text)


def check_row(text: str, value: bool, on_change: Callable) -> ft.Control:
    """A checkbox whose long label wraps (Flet's own label stays on one line and is cut off).

    The box carries the screen-reader name; tapping the words toggles it too."""
    box = ft.Checkbox(value=value, semantics_label=text, on_change=on_change)

    def tap_words(e):
        box.value = not box.value
        box.update()
        e.control = box
        on_change(e)

    # the words are a bigger target for a finger; screen readers and the keyboard use the named box instead
    words = ft.Container(ft.Text(text, theme_style=ft.TextThemeStyle.BODY_LARGE), on_click=tap_words,
                         padding=ft.Padding.symmetric(vertical=12))
    return ft.Row([box, ft.Semantics(content=words, exclude_semantics=True, expand=True)],
                  vertical_alignment=ft.CrossAxisAlignment.START, spacing=4)


# --- reflection ------------------------------------------------------------------------

def reflection(page: ft.Page, step: Step, answers: dict[str, str],
               save: Callable[[str, str], Awaitable[None]]) -> list[ft.Control]:
    controls: list[ft.Control] = []
    for prompt in step.prompts:
        field_values = {"text": answers.get(prompt.id, "")}

        async def do_save(pid=prompt.id, fv=field_values):
            await save(pid, fv["text"])

        saver = Saver(page, do_save)

        def changed(e, fv=field_values, s=saver):
            fv["text"] = e.control.value
            s.changed()

        async def blur(e, s=saver):
            await s.flush()

        controls += [
            heading(prompt.text, level="section"),
            ft.TextField(label=_("Your answer"), value=field_values["text"], multiline=True, min_lines=3,
                         max_lines=12, capitalization=ft.TextCapitalization.SENTENCES,
                         on_change=changed, on_blur=blur),
            saver.status,
        ]
    controls.append(small(_("Your answers are kept in your journal, on this phone only.")))
    return controls


# --- quiz ---------------------------------------------------------------------------------

def quiz(step: Step) -> list[ft.Control]:
    state = {"index": 0, "right": 0}
    area = ft.Column(spacing=12, tight=True)

    def show():
        area.controls.clear()
        if state["index"] >= len(step.cards):
            area.controls += [heading(_("All done"), level="section"),
                              body(ngettext("You matched the evidence on {right} of {total} card. What matters is "
                                            "what you take from the explanations.",
                                            "You matched the evidence on {right} of {total} cards. What matters is "
                                            "what you take from the explanations.", len(step.cards)).format(
                                  right=state["right"], total=len(step.cards))),
                              ft.OutlinedButton(_("Go through the cards again"),
                                                on_click=lambda e: restart())]
            return
        c = step.cards[state["index"]]
        area.controls += [
            small(_("Card {number} of {total}").format(number=state["index"] + 1, total=len(step.cards))),
            card(heading(c.statement, level="section")),
            ft.Row([ft.FilledTonalButton(_("Myth"), on_click=lambda e: answer("myth")),
                    ft.FilledTonalButton(_("Fact"), on_click=lambda e: answer("fact"))],
                   spacing=12),
        ]

    def answer(choice: str):
        c = step.cards[state["index"]]
        right = choice == c.answer
        state["right"] += int(right)
        verdict = (_("Right: this is a myth.") if c.answer == "myth" else _("Right: this is a fact.")) if right else \
            (_("Not quite: this is a myth.") if c.answer == "myth" else _("Not quite: this is a fact."))
        area.controls[-1] = ft.Column([
            card(heading(verdict, level="section"), body(c.explanation), tone="notice"),
            ft.FilledButton(_("Next card") if state["index"] + 1 < len(step.cards) else _("See how you did"),
                            on_click=lambda e: advance())], spacing=12, tight=True)
        area.update()

    def advance():
        state["index"] += 1
        show()
        area.update()

    def restart():
        state.update(index=0, right=0)
        show()
        area.update()

    show()
    return [area]


# --- practice -----------------------------------------------------------------------------

BREATH_SIZE = {"in": 150, "hold": 150, "out": 70}  # the circle's diameter at the end of each phase
CIRCLE_REST = 90


def practice(page: ft.Page, step: Step, *, reduce_motion: bool = False) -> list[ft.Control]:
    """A gentle timer through the phases: a pace to pick, start, pause, resume, and a calm end. A circle
    grows on the in-breath and shrinks on the out-breath; it stays still when the device asks for less motion."""
    phase_text = ft.Text(_("Ready when you are"), theme_style=ft.TextThemeStyle.HEADLINE_SMALL,
                         text_align=ft.TextAlign.CENTER, weight=ft.FontWeight.W_600)
    count_text = ft.Text("", theme_style=ft.TextThemeStyle.DISPLAY_SMALL, text_align=ft.TextAlign.CENTER)
    round_text = small("")
    bar = ft.ProgressBar(value=0, bar_height=8, border_radius=4, semantics_label=_("Time through the practice"))
    state = {"running": False, "paused": False, "elapsed": 0, "phases": step.phases}
    toggle = ft.FilledButton(_("Start"), icon=ft.Icons.PLAY_ARROW, on_click=lambda e: press())
    stop = ft.TextButton(_("End now"), icon=ft.Icons.STOP, visible=False, on_click=lambda e: end_early())
    breathing = any(p.breath for p in step.phases)
    circle = ft.Container(width=CIRCLE_REST, height=CIRCLE_REST, border_radius=100, bgcolor=ft.Colors.PRIMARY_CONTAINER,
                          animate=None if reduce_motion else ft.Animation(1000, ft.AnimationCurve.EASE_IN_OUT))
    circle_box = ft.Container(circle, height=160, alignment=ft.Alignment.CENTER, visible=breathing)

    def total() -> int:
        return sum(p.seconds for p in state["phases"]) * step.rounds

    def position(elapsed: int):
        phases = state["phases"]
        rnd, within = divmod(elapsed, sum(p.seconds for p in phases))
        for phase in phases:
            if within < phase.seconds:
                return rnd, phase, phase.seconds - within
            within -= phase.seconds
        return rnd, phases[-1], 0

    def breathe(phase, left: int):
        if reduce_motion or not phase.breath or left != phase.seconds:
            return  # only at the start of a phase: one smooth change over the whole phase
        circle.animate = ft.Animation(phase.seconds * 1000, ft.AnimationCurve.EASE_IN_OUT)
        circle.width = circle.height = BREATH_SIZE[phase.breath]

    async def run():
        while state["running"] and state["elapsed"] < total():
            if phase_text.page is None:  # the person left the screen
                state["running"] = False
                return
            if not state["paused"]:
                rnd, phase, left = position(state["elapsed"])
                phase_text.value, count_text.value = phase.label, str(left)
                round_text.value = _("Round {number} of {total}").format(number=rnd + 1, total=step.rounds) \
                    if step.rounds > 1 else ""
                bar.value = state["elapsed"] / total()
                breathe(phase, left)
                page.update()
                state["elapsed"] += 1
            await asyncio.sleep(1)
        if state["running"]:
            finish()

    def press():
        if not state["running"]:
            state.update(running=True, paused=False, elapsed=0)
            toggle.content, toggle.icon = _("Pause"), ft.Icons.PAUSE
            stop.visible = True
            page.run_task(run)
        elif state["paused"]:
            state["paused"] = False
            toggle.content, toggle.icon = _("Pause"), ft.Icons.PAUSE
        else:
            state["paused"] = True
            toggle.content, toggle.icon = _("Resume"), ft.Icons.PLAY_ARROW
            phase_text.value = _("Paused. Take your time.")
        page.update()

    def rest(title: str, note: str, progress: float):
        state["running"] = False
        phase_text.value, count_text.value, round_text.value, bar.value = title, "", note, progress
        circle.width = circle.height = CIRCLE_REST
        toggle.content, toggle.icon = _("Start again"), ft.Icons.REPLAY
        stop.visible = False
        if phase_text.page:
            page.update()

    def finish():
        rest(_("Well done."), _("Notice how you feel now. When you are ready, mark this practice as done."), 1)

    def end_early():
        rest(*ended_early_words(state["elapsed"], total()), state["elapsed"] / max(total(), 1))

    controls: list[ft.Control] = []
    if step.paces:
        def pick_pace(e):
            pace = next(p for p in step.paces if p.id == e.control.selected[0])
            state["phases"] = pace.phases
            if state["running"]:
                state["elapsed"] = 0
        controls.append(ft.SegmentedButton(
            selected=[step.paces[0].id], show_selected_icon=False, on_change=pick_pace,
            style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=4, vertical=14)),
            segments=[ft.Segment(value=p.id, label=ft.Text(p.label)) for p in step.paces]))
    controls += [card(ft.Column([circle_box, phase_text, count_text, round_text, bar],
                                horizontal_alignment=ft.CrossAxisAlignment.CENTER, spacing=8, tight=True)),
                 ft.Row([toggle, stop], spacing=12, wrap=True)]
    return controls


def ended_early_words(elapsed: int, total: int) -> tuple[str, str]:
    """What "End now" shows: what was done, kindly, without pretending the practice was finished."""
    if elapsed < 1:
        return _("Stopped."), _("That is fine. You can start again whenever you like.")
    minutes, seconds = divmod(elapsed, 60)
    spent = (_("{m} min {s} s").format(m=minutes, s=seconds) if minutes else _("{s} seconds").format(s=seconds))
    return (_("You took {time} for yourself.").format(time=spent),
            _("That counts. The whole practice takes about {minutes} min; you can start again whenever you "
              "like.").format(minutes=max(1, round(total / 60))))
