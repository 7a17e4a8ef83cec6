"""The journeys in content/en as data for the dashboard: titles to choose a recommendation from, and the
worksheets' field labels and option words. Read straight from the YAML files (the server never imports the
app's code); anything unreadable gives an empty catalogue, never a failed page."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CONTENT_DIR = Path(__file__).resolve().parents[1] / "content" / "en" / "journeys"
PREVIEW_CHARS = 220
OPENING_LINES, OPENING_CHARS = 3, 600  # the start of a step's text in the recommendation's preview
TYPE_WORDS = {"lesson": "A lesson to read", "worksheet": "A worksheet to fill in", "practice": "A practice to try",
              "checklist": "A checklist", "quiz": "A short quiz", "reflection": "A reflection to write",
              "scale": "A question on a scale"}
EMPHASIS = re.compile(r"(\*\*|__|\*)(?=\S)(.+?)(?<=\S)\1")


@dataclass(frozen=True)
class Step:
    id: str
    journey_id: str
    title: str
    type: str
    preview: str
    kind: str | None = None
    minutes: int | None = None
    opening: tuple[str, ...] = ()  # the first lines of its text, without Markdown marks
    labels: dict = field(default_factory=dict)  # field id -> label
    options: dict = field(default_factory=dict)  # field id -> {option id -> words}


@dataclass(frozen=True)
class Journey:
    id: str
    title: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Catalogue:
    journeys: tuple[Journey, ...]

    @functools.cached_property
    def steps(self) -> dict[str, Step]:
        return {s.id: s for j in self.journeys for s in j.steps}

    @functools.cached_property
    def by_kind(self) -> dict[str, Step]:
        return {s.kind: s for s in self.steps.values() if s.kind}

    def journey(self, journey_id: str) -> Journey | None:
        return next((j for j in self.journeys if j.id == journey_id), None)

    def step(self, step_id: str | None) -> Step | None:
        return self.steps.get(step_id or "")

    def step_title(self, step_id: str | None) -> str | None:
        step = self.steps.get(step_id or "")
        return step.title if step else None


def _preview(text: str) -> str:
    """The first paragraph of a step's body, without Markdown marks, cut at a word."""
    lines = [ln.strip().lstrip("#").strip() for ln in (text or "").splitlines()]
    words = " ".join(ln for ln in lines if ln).replace("**", "").replace("__", "")
    return words if len(words) <= PREVIEW_CHARS else words[:PREVIEW_CHARS].rsplit(" ", 1)[0] + "…"


def _opening(text: str) -> tuple[str, ...]:
    """The first OPENING_LINES lines of a step's body as plain text (a heading, a paragraph, a list item), at most
    OPENING_CHARS in all, the last one cut at a word."""
    out, room = [], OPENING_CHARS
    for line in (text or "").splitlines():
        line = line.strip().lstrip("#").strip()
        if not line or room <= 0 or len(out) == OPENING_LINES:
            continue
        if line[:2] in ("- ", "* "):
            line = "\u2022 " + line[2:]
        line = EMPHASIS.sub(lambda m: m.group(2), line)
        if len(line) > room:
            line = line[:room].rsplit(" ", 1)[0] + "\u2026"
        out.append(line)
        room -= len(line)
    return tuple(out)


def type_words(step: Step) -> str:
    return TYPE_WORDS.get(step.type, step.type.replace("_", " ").capitalize() or "A step")


def _step(raw: dict, journey_id: str) -> Step:
    fields = [f for f in raw.get("fields") or [] if isinstance(f, dict) and f.get("id")]
    return Step(id=str(raw["id"]), journey_id=journey_id, title=str(raw.get("title") or raw["id"]),
                type=str(raw.get("type") or ""), preview=_preview(str(raw.get("body") or "")), kind=raw.get("kind"),
                minutes=raw["minutes"] if isinstance(raw.get("minutes"), int) else None,
                opening=_opening(str(raw.get("body") or "")),
                labels={f["id"]: str(f.get("label") or f["id"]) for f in fields},
                options={f["id"]: {o["id"]: str(o.get("text") or o["id"]) for o in f.get("options") or []
                                   if isinstance(o, dict) and o.get("id")} for f in fields if f.get("options")})


@functools.lru_cache(maxsize=4)
def load(directory: Path = CONTENT_DIR) -> Catalogue:
    """Every journey in order, each with its steps; cached (the files change only with a new release)."""
    journeys = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
            steps = tuple(_step(s, raw["id"]) for s in raw.get("steps") or [] if isinstance(s, dict) and "id" in s)
            journeys.append((raw.get("order", 99), Journey(str(raw["id"]), str(raw.get("title") or raw["id"]), steps)))
        except (OSError, yaml.YAMLError, KeyError, TypeError):
            continue
    return Catalogue(tuple(j for _, j in sorted(journeys, key=lambda t: t[0])))
