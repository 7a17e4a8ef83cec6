"""Content loading: journeys, topics, safety notes and sources from content/<locale>/, validated.

A broken file is a ContentError that names the file, the step and the field, so a
reviewer can fix it without reading code. Adding a journey is adding a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from app import domain as d
from app.errors import ContentError
from app.paths import ASSETS_DIR, CONTENT_DIR


COMMON = {"id", "type", "title", "minutes", "topics", "safety", "repeatable", "body", "image"}
BY_TYPE = {
    "lesson": set(),
    "reflection": {"prompts"},
    "checklist": {"items"},
    "worksheet": {"kind", "fields"},
    "scale": {"kind", "question", "min", "max", "low_label", "high_label", "bands"},
    "practice": {"phases", "rounds"},
    "quiz": {"cards"},
}
REQUIRED = {"lesson": {"body"}, "reflection": {"prompts"}, "checklist": {"items"},
            "worksheet": {"kind", "fields"}, "scale": {"kind", "question", "bands"},
            "practice": {"phases"}, "quiz": {"cards"}}
FIELD_KEYS = {"id", "type", "label", "help", "example", "options", "min", "max", "low_label", "high_label"}
MIN_STEPS, MAX_STEPS = 6, 10
MIN_MINUTES, MAX_MINUTES = 3, 10


class _Reader:
    """Typed access to one mapping, with errors that say where."""

    def __init__(self, raw: Any, file: str, where: str, allowed: set[str]):
        if not isinstance(raw, dict):
            raise ContentError(file, where, None, "must be a mapping of field: value")
        unknown = sorted(set(raw) - allowed)
        if unknown:
            raise ContentError(file, where, unknown[0], "is not a known field here")
        self.raw, self.file, self.where = raw, file, where

    def error(self, field: str | None, problem: str) -> ContentError:
        return ContentError(self.file, self.where, field, problem)

    def text(self, field: str, *, required: bool = True) -> str | None:
        value = self.raw.get(field)
        if value is None:
            if required:
                raise self.error(field, "is missing")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.error(field, "must be non-empty text")
        return value.strip()

    def integer(self, field: str, *, default: int | None = None, low: int | None = None,
                high: int | None = None) -> int:
        value = self.raw.get(field, default)
        if value is None:
            raise self.error(field, "is missing")
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(field, "must be a whole number")
        if (low is not None and value < low) or (high is not None and value > high):
            raise self.error(field, f"must be from {low} to {high}")
        return value

    def items(self, field: str, *, required: bool = True) -> list:
        value = self.raw.get(field)
        if value is None and not required:
            return []
        if not isinstance(value, list) or not value:
            raise self.error(field, "must be a non-empty list")
        return value


def _unique(ids: list[str], reader: _Reader, field: str) -> None:
    seen = set()
    for i in ids:
        if i in seen:
            raise reader.error(field, f"has the id '{i}' twice")
        seen.add(i)


def _keyed(raw_list: list, reader: _Reader, field: str, make) -> tuple:
    result = []
    for n, raw in enumerate(raw_list, 1):
        sub = _Reader(raw, reader.file, f"{reader.where}, {field} {n}", {"id", "text"})
        result.append(make(id=sub.text("id"), text=sub.text("text")))
    _unique([r.id for r in result], reader, field)
    return tuple(result)


def _field(raw: Any, reader: _Reader, n: int) -> d.WorksheetField:
    r = _Reader(raw, reader.file, f"{reader.where}, fields {n}", FIELD_KEYS)
    ftype = r.text("type")
    if ftype not in d.FIELD_TYPES:
        raise r.error("type", f"must be one of {', '.join(d.FIELD_TYPES)}")
    options = _keyed(r.items("options"), r, "options", d.Item) if ftype == "choice" else ()
    low, high = (r.integer("min", default=0), r.integer("max", default=10)) if ftype == "scale" else (0, 10)
    if low >= high:
        raise r.error("max", "must be above min")
    return d.WorksheetField(id=r.text("id"), type=ftype, label=r.text("label"), help=r.text("help", required=False),
                            example=r.text("example", required=False), options=options, min=low, max=high,
                            low_label=r.text("low_label", required=False),
                            high_label=r.text("high_label", required=False))


def _step(raw: Any, file: str, journey_id: str, n: int, topics: set[str]) -> d.Step:
    where = f"step {n}"
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        where = f"step '{raw['id']}'"
    kind = raw.get("type") if isinstance(raw, dict) else None
    if kind not in d.STEP_TYPES:
        raise ContentError(file, where, "type", f"must be one of {', '.join(d.STEP_TYPES)}")
    r = _Reader(raw, file, where, COMMON | BY_TYPE[kind])
    for field in sorted(REQUIRED[kind]):
        if field not in raw:
            raise r.error(field, f"is required for a {kind} step")
    step_id = r.text("id")
    if not step_id.startswith(journey_id + "."):
        raise r.error("id", f"must start with the journey id '{journey_id}.'")
    step_topics = tuple(r.items("topics"))
    unknown = [t for t in step_topics if t not in topics]
    if unknown:
        raise r.error("topics", f"'{unknown[0]}' is not in topics.yaml")
    safety = tuple(r.items("safety", required=False))
    if any(s not in d.SAFETY_KINDS for s in safety):
        raise r.error("safety", f"must be among {', '.join(d.SAFETY_KINDS)}")
    image = r.text("image", required=False)
    if image and not (ASSETS_DIR / image).is_file():
        raise r.error("image", f"assets/{image} does not exist")
    values: dict[str, Any] = dict(
        id=step_id, journey_id=journey_id, type=kind, title=r.text("title"),
        minutes=r.integer("minutes", low=MIN_MINUTES, high=MAX_MINUTES), topics=step_topics,
        body=r.text("body", required=kind == "lesson") or "", image=image, safety=safety,
        repeatable=bool(raw.get("repeatable", False)),
    )
    if kind == "reflection":
        values["prompts"] = _keyed(r.items("prompts"), r, "prompts", d.Prompt)
    elif kind == "checklist":
        values["items"] = _keyed(r.items("items"), r, "items", d.Item)
    elif kind == "worksheet":
        fields = tuple(_field(f, r, i) for i, f in enumerate(r.items("fields"), 1))
        _unique([f.id for f in fields], r, "fields")
        values.update(kind=r.text("kind"), fields=fields)
    elif kind == "scale":
        values.update(_scale(r))
    elif kind == "practice":
        phases = []
        for i, p in enumerate(r.items("phases"), 1):
            pr = _Reader(p, file, f"{where}, phases {i}", {"label", "seconds"})
            phases.append(d.Phase(label=pr.text("label"), seconds=pr.integer("seconds", low=1, high=600)))
        values.update(phases=tuple(phases), rounds=r.integer("rounds", default=1, low=1, high=60))
    elif kind == "quiz":
        cards = []
        for i, c in enumerate(r.items("cards"), 1):
            cr = _Reader(c, file, f"{where}, cards {i}", {"id", "statement", "answer", "explanation"})
            answer = cr.text("answer")
            if answer not in ("myth", "fact"):
                raise cr.error("answer", "must be 'myth' or 'fact'")
            cards.append(d.QuizCard(id=cr.text("id"), statement=cr.text("statement"), answer=answer,
                                    explanation=cr.text("explanation")))
        _unique([c.id for c in cards], r, "cards")
        values["cards"] = tuple(cards)
    return d.Step(**values)


def _scale(r: _Reader) -> dict:
    low, high = r.integer("min", default=0), r.integer("max", default=10)
    bands = []
    for i, b in enumerate(r.items("bands"), 1):
        br = _Reader(b, r.file, f"{r.where}, bands {i}", {"from", "to", "text"})
        bands.append(d.Band(low=br.integer("from"), high=br.integer("to"), text=br.text("text")))
    covered = sorted(v for b in bands for v in range(b.low, b.high + 1))
    if covered != list(range(low, high + 1)):
        raise r.error("bands", f"must cover every value from {low} to {high} exactly once")
    return dict(kind=r.text("kind"), question=r.text("question"), min=low, max=high,
                low_label=r.text("low_label"), high_label=r.text("high_label"), bands=tuple(bands))


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ContentError(path.name, "file", None, f"cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"line {mark.line + 1}" if mark else "file"
        raise ContentError(path.name, place, None, "is not valid YAML") from None


def load_journey(path: Path, topics: set[str]) -> d.Journey:
    file = path.name
    raw = _load_yaml(path)
    r = _Reader(raw, file, "journey", {"id", "order", "title", "summary", "icon", "steps"})
    journey_id = r.text("id")
    if not journey_id.replace("_", "").isalnum() or not journey_id.islower():
        raise r.error("id", "must be lower-case letters, digits and _")
    steps_raw = r.items("steps")
    if not MIN_STEPS <= len(steps_raw) <= MAX_STEPS:
        raise r.error("steps", f"a journey has {MIN_STEPS} to {MAX_STEPS} steps, not {len(steps_raw)}")
    steps = tuple(_step(s, file, journey_id, n, topics) for n, s in enumerate(steps_raw, 1))
    _unique([s.id for s in steps], r, "steps")
    return d.Journey(id=journey_id, order=r.integer("order"), title=r.text("title"), summary=r.text("summary"),
                     icon=r.text("icon"), steps=steps)


def load_topics(path: Path) -> tuple[d.Topic, ...]:
    raw = _load_yaml(path)
    r = _Reader(raw, path.name, "top level", {"topics"})
    topics = []
    for n, t in enumerate(r.items("topics"), 1):
        tr = _Reader(t, path.name, f"topic {n}", {"id", "title", "section"})
        topics.append(d.Topic(id=tr.text("id"), title=tr.text("title"), section=tr.text("section")))
    _unique([t.id for t in topics], r, "topics")
    return tuple(topics)


def load_library(language: str = "en", content_dir: Path = CONTENT_DIR) -> d.Library:
    """Load everything for one language, falling back to English for a missing language folder."""
    base = content_dir / language if (content_dir / language / "journeys").is_dir() else content_dir / "en"
    topics = load_topics(base / "topics.yaml")
    topic_ids = {t.id for t in topics}
    journeys, owner = [], {}
    for path in sorted((base / "journeys").glob("*.yaml")):
        journey = load_journey(path, topic_ids)
        for step in journey.steps:
            if step.id in owner:
                raise ContentError(path.name, f"step '{step.id}'", "id", f"is also used in {owner[step.id]}")
            owner[step.id] = path.name
        if any(j.id == journey.id for j in journeys):
            raise ContentError(path.name, "journey", "id", f"'{journey.id}' is used by another file")
        journeys.append(journey)
    if not journeys:
        raise ContentError(str(base / "journeys"), "folder", None, "holds no journey files")
    safety = _load_yaml(base / "safety.yaml")
    sr = _Reader(safety, "safety.yaml", "top level", set(d.SAFETY_KINDS))
    notes = {k: sr.text(k) for k in d.SAFETY_KINDS}
    sources_raw = _load_yaml(base / "sources.yaml")
    src = _Reader(sources_raw, "sources.yaml", "top level", {"sources"})
    sources = []
    for n, s in enumerate(src.items("sources"), 1):
        s_r = _Reader(s, "sources.yaml", f"source {n}", {"title", "by", "year", "url", "about"})
        sources.append({"title": s_r.text("title"), "by": s_r.text("by"), "year": s_r.raw.get("year"),
                        "url": s_r.text("url", required=False), "about": s_r.text("about")})
    return d.Library(journeys=tuple(sorted(journeys, key=lambda j: j.order)), topics=topics,
                     safety_notes=notes, sources=tuple(sources))


def load_prompts(language: str = "en", content_dir: Path = CONTENT_DIR) -> tuple[str, ...]:
    """Journal writing prompts for a blank page."""
    path = content_dir / language / "journal_prompts.yaml"
    if not path.exists():
        path = content_dir / "en" / "journal_prompts.yaml"
    raw = _load_yaml(path)
    r = _Reader(raw, path.name, "top level", {"prompts"})
    prompts = r.items("prompts")
    if not all(isinstance(p, str) and p.strip() for p in prompts):
        raise r.error("prompts", "must be a list of non-empty text")
    return tuple(p.strip() for p in prompts)
