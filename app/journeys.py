"""Progress rules for journeys: pure functions over content and stored progress."""

from __future__ import annotations

from app.domain import Journey, JourneyProgress, Library, Prompt, Step, StepProgress


def journey_progress(journey: Journey, progress: dict[str, StepProgress],
                     cursors: dict[str, tuple[str, str]]) -> JourneyProgress:
    step_ids = {s.id for s in journey.steps}
    completed = frozenset(sid for sid, p in progress.items() if sid in step_ids and p.status == "completed")
    cursor = cursors.get(journey.id)
    started = cursor is not None or any(sid in step_ids for sid in progress)
    return JourneyProgress(journey=journey, completed=completed,
                           current_step_id=cursor[0] if cursor else None, started=started)


def all_progress(library: Library, progress: dict[str, StepProgress],
                 cursors: dict[str, tuple[str, str]]) -> list[JourneyProgress]:
    return [journey_progress(j, progress, cursors) for j in library.journeys]


def suggest_next(library: Library, progress: dict[str, StepProgress],
                 cursors: dict[str, tuple[str, str]]) -> tuple[JourneyProgress, Step] | None:
    """The next step of the journey in progress (the one touched last); else the first unfinished journey."""
    states = all_progress(library, progress, cursors)
    in_progress = [s for s in states if s.started and not s.finished]
    if in_progress:
        latest = max(in_progress, key=lambda s: cursors.get(s.journey.id, ("", ""))[1])
        return latest, latest.next_step
    fresh = next((s for s in states if not s.finished), None)
    return (fresh, fresh.next_step) if fresh else None


def next_step_after(journey: Journey, step_id: str) -> Step | None:
    index = journey.index(step_id)
    return journey.steps[index + 1] if index + 1 < len(journey.steps) else None



def reflection_question(library: Library | None, step_id: str | None,
                        prompt_id: str | None) -> tuple[Step, Prompt | None] | None:
    """The step a reflection came from and the question it answers (None when the step no longer exists)."""
    step = library.step(step_id) if library and step_id else None
    if step is None:
        return None
    return step, next((p for p in step.prompts if p.id == prompt_id), None)


def steps_citing(library: Library) -> dict[str, list[Step]]:
    """For each source id, the steps that cite it, in journey order (About this content lists them)."""
    cited: dict[str, list[Step]] = {}
    for journey in library.journeys:
        for step in journey.steps:
            for source in step.sources:
                cited.setdefault(source, []).append(step)
    return cited
