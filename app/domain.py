"""Domain values shared by the store, the use-cases and the screens. Stdlib only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

THEMES = ("system", "light", "dark")
TEXT_SCALES = (100, 125, 150, 175, 200)  # text size in percent (issue 15: large text up to 200%)
MAX_TEXT = 100_000  # SYNC.md: a text field holds at most 100,000 characters


def new_id() -> str:
    """A client-made record id (SYNC.md: ids are random UUIDs)."""
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Settings:
    """What the person chose; every field has a safe default before onboarding."""

    language: str = "en"
    country: str | None = None
    display_name: str | None = None
    theme: str = "system"
    onboarded: bool = False
    checkin_time: str | None = None  # "HH:MM", local; the Today screen shows the check-in as due after it
    # Sharing defaults for new records while paired (journal entries are never shared by default).
    share_checkins: bool = False
    share_wellbeing: bool = False
    share_progress: bool = False
    lock_minutes: int = 2            # with a PIN set, lock after this many idle minutes
    discreet: bool = False           # a shared home: neutral title, files and reminders, a quick exit
    gentle_help_day: str | None = None  # the local day the crisis lines were last offered after a low score
    text_scale: int = 100            # text size in percent, one of TEXT_SCALES
    reduce_motion: bool = False      # no animations (the device's own preference is honoured as well)

    @property
    def greeting_name(self) -> str | None:
        name = (self.display_name or "").strip()
        return name or None


# --- journeys -------------------------------------------------------------

STEP_TYPES = ("lesson", "reflection", "checklist", "worksheet", "scale", "practice", "quiz")
FIELD_TYPES = ("short_text", "long_text", "choice", "scale")
SAFETY_KINDS = ("opioids", "alcohol_benzos", "violence")
CHECK_KINDS = ("violence",)     # a question the step screen asks before the step (Library.checks)
COUNTRY_NOTES = ("naloxone",)   # per-country text from the crisis file, shown inside a step
BREATH = ("in", "hold", "out")  # what a practice phase asks of the breath (drives a calm animation)


@dataclass(frozen=True)
class Prompt:
    id: str
    text: str


@dataclass(frozen=True)
class Item:
    """A checklist item or a worksheet choice: a stable key and its words."""

    id: str
    text: str


@dataclass(frozen=True)
class WorksheetField:
    id: str
    type: str
    label: str
    help: str | None = None
    example: str | None = None
    options: tuple[Item, ...] = ()
    min: int = 0
    max: int = 10
    low_label: str | None = None
    high_label: str | None = None
    model_answer: str | None = None  # shown after the person has tried (rewrite exercises)


@dataclass(frozen=True)
class Band:
    """An interpretation of a scale answer from `low` to `high` inclusive."""

    low: int
    high: int
    text: str


@dataclass(frozen=True)
class Phase:
    label: str
    seconds: int
    breath: str | None = None  # one of BREATH, or None for a phase that is not about breathing


@dataclass(frozen=True)
class Pace:
    """One speed of a breathing practice the person can pick (the first is the default)."""

    id: str
    label: str
    phases: tuple[Phase, ...]


@dataclass(frozen=True)
class Section:
    """A titled part of a lesson; `applies` names the safety kinds it speaks to, for ordering by profile."""

    id: str
    title: str
    body: str
    applies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Check:
    """A question asked before a step (e.g. "Is anyone at risk of being hurt if you do this?")."""

    kind: str
    question: str
    yes: str
    no: str
    if_yes: str


@dataclass(frozen=True)
class QuizCard:
    id: str
    statement: str
    answer: str  # "myth" or "fact"
    explanation: str


@dataclass(frozen=True)
class Step:
    """One step of a journey. Which optional parts are set depends on `type`."""

    id: str
    journey_id: str
    type: str
    title: str
    minutes: int
    topics: tuple[str, ...]
    body: str = ""
    image: str | None = None
    prompts: tuple[Prompt, ...] = ()
    items: tuple[Item, ...] = ()
    kind: str | None = None
    fields: tuple[WorksheetField, ...] = ()
    question: str | None = None
    min: int = 0
    max: int = 10
    low_label: str | None = None
    high_label: str | None = None
    bands: tuple[Band, ...] = ()
    phases: tuple[Phase, ...] = ()
    rounds: int = 1
    cards: tuple[QuizCard, ...] = ()
    repeatable: bool = False
    safety: tuple[str, ...] = ()
    check: str | None = None                 # a CHECK_KINDS question to ask before the step
    sources: tuple[str, ...] = ()            # ids in sources.yaml that back this step's facts
    sections: tuple[Section, ...] = ()       # a lesson's parts; `body` already holds them in default order
    intro: str = ""                          # a sectioned lesson's text before its sections
    short_fields: tuple[str, ...] = ()       # a worksheet's short version: these field ids only
    country_note: str | None = None          # a COUNTRY_NOTES text to show for the chosen country
    paces: tuple[Pace, ...] = ()             # a practice's speeds; `phases` is the first one
    get_help: bool = False                   # show the Get help now button inside the step

    def band_for(self, value: int) -> Band | None:
        return next((b for b in self.bands if b.low <= value <= b.high), None)


@dataclass(frozen=True)
class Journey:
    id: str
    order: int
    title: str
    summary: str
    icon: str
    steps: tuple[Step, ...]

    @property
    def minutes(self) -> int:
        return sum(s.minutes for s in self.steps)

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def index(self, step_id: str) -> int:
        return next(i for i, s in enumerate(self.steps) if s.id == step_id)


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    section: str


@dataclass(frozen=True)
class RightNow:
    """The kit on Today for a hard moment: steps to open, a danger question, a short note."""

    title: str
    intro: str
    breathe_step: str
    ground_step: str
    danger: Check
    note_title: str
    note_fields: tuple[WorksheetField, ...]


@dataclass(frozen=True)
class Library:
    """Everything under content/<locale>/ that the journeys need."""

    journeys: tuple[Journey, ...]
    topics: tuple[Topic, ...]
    safety_notes: dict[str, str]
    sources: tuple[dict, ...]
    checks: dict[str, Check] = field(default_factory=dict)
    gentle_help: dict[str, str] = field(default_factory=dict)  # title and body for low-wellbeing moments
    right_now: RightNow | None = None

    def journey(self, journey_id: str) -> Journey | None:
        return next((j for j in self.journeys if j.id == journey_id), None)

    def step(self, step_id: str) -> Step | None:
        for journey in self.journeys:
            found = journey.step(step_id)
            if found:
                return found
        return None


@dataclass(frozen=True)
class StepProgress:
    step_id: str
    journey_id: str
    status: str  # "started" or "completed"
    completed_count: int
    completed_at: str | None
    updated_at: str


@dataclass(frozen=True)
class JourneyProgress:
    """Where a person is in one journey: derived from step progress and the content."""

    journey: Journey
    completed: frozenset[str]
    current_step_id: str | None
    started: bool

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.journey.steps if s.id in self.completed)

    @property
    def fraction(self) -> float:
        return self.done_count / len(self.journey.steps)

    @property
    def finished(self) -> bool:
        return self.done_count == len(self.journey.steps)

    @property
    def next_step(self) -> Step:
        """The step to resume: where they left off, else the first not yet done."""
        if self.current_step_id and self.current_step_id not in self.completed:
            found = self.journey.step(self.current_step_id)
            if found:
                return found
        return next((s for s in self.journey.steps if s.id not in self.completed), self.journey.steps[0])


@dataclass(frozen=True)
class LovedOne:
    """About my loved one: private, encrypted, optional."""

    relationship: str | None = None
    substances: tuple[str, ...] = ()
    violence: str | None = None  # "yes", "no", "prefer_not"

    def safety_kinds(self) -> set[str]:
        kinds = set()
        if "opioids" in self.substances:
            kinds.add("opioids")
        if {"alcohol", "benzodiazepines"} & set(self.substances):
            kinds.add("alcohol_benzos")
        if self.violence == "yes":
            kinds.add("violence")
        return kinds


@dataclass(frozen=True)
class Reflection:
    """A reflection answer: a journal entry linked to its step and prompt."""

    id: str
    step_id: str
    prompt_id: str
    body: str
    updated_at: str


# --- journal and check-ins ---------------------------------------------------

SUGGESTED_TAGS = ("guilt", "hope", "anger", "fear", "boundary_kept", "conversation", "setback", "progress",
                  "self_care", "specialist", "reflection")
FEELINGS = ("guilt", "anger", "fear", "sadness", "hope", "relief", "exhaustion", "calm", "loneliness", "gratitude")
RESPONSES = ("spent_time_together", "praised_sober_time", "withdrew_attention", "allowed_consequence",
             "set_boundary", "argued", "looked_after_myself")
LOVED_ONE_DAYS = ("use", "non_use", "unknown")
MAX_TITLE = 200
MAX_TAGS = 20
MAX_CUSTOM_TAG = 40  # characters in one of the person's own tags


@dataclass(frozen=True)
class JournalEntry:
    id: str
    body: str
    title: str | None
    tags: tuple[str, ...]          # keys from SUGGESTED_TAGS
    custom_tags: tuple[str, ...]   # the person's own words (encrypted at rest)
    step_id: str | None
    created_at: str
    updated_at: str
    tz: str
    local_day: str
    order: int                     # stable local order (rowid)
    prompt_id: str | None = None   # a reflection: the prompt of step_id it answers


@dataclass(frozen=True)
class CheckIn:
    id: str
    mood: int
    feelings: tuple[str, ...]
    stress: int | None
    sleep: int | None
    note: str | None
    loved_one_day: str | None
    my_response: tuple[str, ...]
    created_at: str
    tz: str
    local_day: str


@dataclass(frozen=True)
class Wellbeing:
    id: str
    items: tuple[int, ...]
    score: int
    created_at: str
    tz: str
    local_day: str
