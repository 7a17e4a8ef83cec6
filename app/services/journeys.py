"""Journey use-cases: overview and resume, open and complete a step, answers, and "About my loved one"."""

from __future__ import annotations

from dataclasses import dataclass, field

from app import journeys as rules
from app.domain import JourneyProgress, LovedOne, Reflection, Step, StepProgress
from app.i18n import _, format_date
from app.journal import check_text
from app.services.runtime import Runtime
from app.store import Store
from app.store import journeys as rows


@dataclass(frozen=True)
class StepState:
    """Everything a step screen needs, read in one trip when the step is opened."""

    progress: StepProgress | None
    worksheet: dict | None
    checked: frozenset[str] = frozenset()
    reflections: dict[str, Reflection] = field(default_factory=dict)
    loved_one: LovedOne = LovedOne()


@dataclass(frozen=True)
class StepDone:
    next_step: Step | None   # the journey's next step, None after the last
    journey_finished: bool   # every step of the journey is now done


# A worksheet saved as a file: its title in the file, and the file name's stem.
EXPORT_TITLES = {"reapproach_plan": (lambda: _("Our re-approach plan"), "reapproach-plan"),
                 "safety_plan": (lambda: _("My safety plan"), "safety-plan")}


@dataclass(frozen=True)
class ExportFile:
    name: str
    data: bytes


class JourneyService:
    def __init__(self, rt: Runtime):
        self._rt = rt

    @property
    def _library(self):
        return self._rt.library

    @staticmethod
    def _progress(s: Store) -> tuple[dict, dict]:
        return rows.list_step_progress(s), rows.list_cursors(s)

    async def overview(self) -> list[JourneyProgress]:
        if not self._library:
            return []
        progress, cursors = await self._rt.run(self._progress)
        return rules.all_progress(self._library, progress, cursors)

    async def journey_state(self, journey_id: str) -> JourneyProgress | None:
        journey = self._library.journey(journey_id) if self._library else None
        if journey is None:
            return None
        progress, cursors = await self._rt.run(self._progress)
        return rules.journey_progress(journey, progress, cursors)

    async def suggested_step(self) -> tuple[JourneyProgress, Step] | None:
        if not self._library:
            return None
        progress, cursors = await self._rt.run(self._progress)
        return rules.suggest_next(self._library, progress, cursors)

    async def open_step(self, step_id: str) -> StepState:
        """Opening a step moves its journey's cursor there and reads what the step needs."""
        step = self._library.step(step_id)

        def work(s: Store) -> StepState:
            rows.start_step(s, step.journey_id, step.id)
            return StepState(
                progress=rows.list_step_progress(s).get(step.id),
                worksheet=rows.get_worksheet(s, step.id) if step.type in ("worksheet", "scale") else None,
                checked=frozenset(rows.get_checklist(s, step.id)) if step.type == "checklist" else frozenset(),
                reflections=rows.list_reflections(s, step.id) if step.type == "reflection" else {},
                loved_one=rows.get_loved_one(s))
        return await self._rt.run(work)

    async def complete_step(self, step_id: str) -> StepDone:
        step = self._library.step(step_id)
        journey = self._library.journey(step.journey_id)

        def work(s: Store) -> StepDone:
            rows.complete_step(s, step.journey_id, step.id)
            state = rules.journey_progress(journey, *self._progress(s))
            return StepDone(rules.next_step_after(journey, step.id), state.finished)
        return await self._rt.run(work)

    async def restart_journey(self, journey_id: str) -> None:
        journey = self._library.journey(journey_id)
        await self._rt.run(lambda s: rows.restart_journey(s, journey.id, journey.steps[0].id))

    async def save_worksheet(self, step_id: str, values: dict) -> None:
        step = self._library.step(step_id)
        for value in values.values():
            if isinstance(value, str):
                check_text(value)
        await self._rt.run(lambda s: rows.save_worksheet(s, journey_id=step.journey_id, step_id=step.id,
                                                         kind=step.kind, fields=dict(values)))

    async def export_worksheet(self, step_id: str) -> ExportFile:
        """The saved worksheet (the re-approach plan) as a Markdown file, read from the store."""
        step = self._library.step(step_id)

        def work(s: Store) -> tuple[dict, str]:
            return rows.get_worksheet(s, step.id) or {}, s.clock.today()
        values, today = await self._rt.run(work)
        title, slug = EXPORT_TITLES.get(step.kind, EXPORT_TITLES["reapproach_plan"])
        text = rules.worksheet_markdown(
            step, values, title=title(), empty=_("Not filled in yet"),
            exported=_("Exported from Regroup on {date}").format(date=format_date(today)))
        return ExportFile(f"regroup-{slug}-{today.isoformat()}.md", text.encode("utf-8"))

    async def set_checklist_item(self, step_id: str, item_id: str, checked: bool) -> None:
        await self._rt.run(lambda s: rows.set_checklist_item(s, step_id, item_id, checked))

    async def save_reflection(self, step_id: str, prompt_id: str, text: str) -> Reflection | None:
        check_text(text)
        return await self._rt.run(lambda s: rows.save_reflection(s, step_id, prompt_id, text))

    async def loved_one(self) -> LovedOne:
        return await self._rt.run(rows.get_loved_one)

    async def save_loved_one(self, loved_one: LovedOne) -> LovedOne:
        return await self._rt.run(lambda s: rows.save_loved_one(s, loved_one))

