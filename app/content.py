"""Content loading: journeys, topics, safety notes and sources from content/<locale>/, validated.

A broken file is a ContentError that names the file, the step and the field, so a
reviewer can fix it without reading code. Adding a journey is adding a file.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

try:
    import yaml
except ImportError:  # the web build (no PyYAML for Pyodide): content/ is compiled to JSON by web/build.py
    yaml = None

from app import domain as d
from app.errors import ContentError
from app.paths import ASSETS_DIR, CONTENT_DIR

# libyaml's parser when installed (start-up read the content at a tenth of the speed without it); the
# same safe constructors either way.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader) if yaml else None


COMMON = {"id", "type", "title", "minutes", "topics", "safety", "repeatable", "body", "image",
          "check", "sources", "country_note", "get_help"}
BY_TYPE = {
    "lesson": {"sections"},
    "reflection": {"prompts"},
    "checklist": {"items"},
    "worksheet": {"kind", "fields", "short_fields"},
    "scale": {"kind", "question", "min", "max", "low_label", "high_label", "bands"},
    "practice": {"phases", "paces", "rounds"},
    "quiz": {"cards"},
}
REQUIRED = {"lesson": {"body"}, "reflection": {"prompts"}, "checklist": {"items"},
            "worksheet": {"kind", "fields"}, "scale": {"kind", "question", "bands"},
            "practice": set(), "quiz": {"cards"}}
FIELD_KEYS = {"id", "type", "label", "help", "example", "options", "min", "max", "low_label", "high_label",
              "model_answer"}
# Worksheets a screen may treat specially (export, a call button, a short version); the list keeps typos out.
WORKSHEET_KINDS = ("debrief", "conversation_practice", "reapproach_plan", "boundaries", "self_care_plan",
                   "safety_plan", "functional_analysis", "rewards", "problem_solving", "values", "family_plan",
                   "invitation_plan")
# 6 to 16 steps: the second edition puts every CRAFT module (a lesson and an exercise each) into the four
# journeys; a journey is a list a person can open at any step and leave at any time, so a longer list costs
# little, while each step stays 3 to 10 minutes.
MIN_STEPS, MAX_STEPS = 6, 16
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
                            high_label=r.text("high_label", required=False),
                            model_answer=r.text("model_answer", required=False))


def _step(raw: Any, file: str, journey_id: str, n: int, topics: set[str],
          source_ids: set[str] | None = None) -> d.Step:
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
    values.update(_common_extras(r, step_topics, source_ids))
    if kind == "lesson" and "sections" in raw:
        sections = _sections(r)
        values["intro"] = values["body"]
        values["body"] = "\n\n".join([values["body"]] + [f"## {x.title}\n\n{x.body}" for x in sections])
        values["sections"] = sections
    if kind == "reflection":
        values["prompts"] = _keyed(r.items("prompts"), r, "prompts", d.Prompt)
    elif kind == "checklist":
        values["items"] = _keyed(r.items("items"), r, "items", d.Item)
    elif kind == "worksheet":
        fields = tuple(_field(f, r, i) for i, f in enumerate(r.items("fields"), 1))
        _unique([f.id for f in fields], r, "fields")
        sheet_kind = r.text("kind")
        if sheet_kind not in WORKSHEET_KINDS:
            raise r.error("kind", f"must be one of {', '.join(WORKSHEET_KINDS)}")
        values.update(kind=sheet_kind, fields=fields, short_fields=_short_fields(r, fields))
    elif kind == "scale":
        values.update(_scale(r))
    elif kind == "practice":
        values.update(_practice(r), rounds=r.integer("rounds", default=1, low=1, high=60))
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


def _common_extras(r: _Reader, topics: tuple[str, ...], source_ids: set[str] | None) -> dict:
    """The second edition's step keys: a check before the step, its sources, a per-country note."""
    check = r.text("check", required=False)
    if check is not None and check not in d.CHECK_KINDS:
        raise r.error("check", f"must be one of {', '.join(d.CHECK_KINDS)}")
    if "healthy_boundaries" in topics and check != "violence":
        raise r.error("check", "a step about boundaries or consequences needs 'check: violence' before it")
    sources = tuple(r.items("sources", required=False))
    if not all(isinstance(x, str) for x in sources):
        raise r.error("sources", "must be a list of source ids")
    if source_ids is not None:
        unknown = [x for x in sources if x not in source_ids]
        if unknown:
            raise r.error("sources", f"'{unknown[0]}' is not an id in sources.yaml")
    note = r.text("country_note", required=False)
    if note is not None and note not in d.COUNTRY_NOTES:
        raise r.error("country_note", f"must be one of {', '.join(d.COUNTRY_NOTES)}")
    get_help = r.raw.get("get_help", False)
    if not isinstance(get_help, bool):
        raise r.error("get_help", "must be true or false")
    return dict(check=check, sources=sources, country_note=note, get_help=get_help)


def _sections(r: _Reader) -> tuple[d.Section, ...]:
    sections = []
    for i, raw in enumerate(r.items("sections"), 1):
        sr = _Reader(raw, r.file, f"{r.where}, sections {i}", {"id", "title", "body", "applies"})
        applies = tuple(sr.items("applies", required=False))
        if any(a not in d.SAFETY_KINDS for a in applies):
            raise sr.error("applies", f"must be among {', '.join(d.SAFETY_KINDS)}")
        sections.append(d.Section(id=sr.text("id"), title=sr.text("title"), body=sr.text("body"), applies=applies))
    _unique([x.id for x in sections], r, "sections")
    return tuple(sections)


def _short_fields(r: _Reader, fields: tuple[d.WorksheetField, ...]) -> tuple[str, ...]:
    short = tuple(r.items("short_fields", required=False))
    known = [f.id for f in fields]
    bad = [x for x in short if x not in known]
    if bad:
        raise r.error("short_fields", f"'{bad[0]}' is not a field of this worksheet")
    if short and len(set(short)) >= len(known):
        raise r.error("short_fields", "a short version must leave some fields out")
    return short


def _phases(raw_list: list, r: _Reader, where: str) -> tuple[d.Phase, ...]:
    phases = []
    for i, p in enumerate(raw_list, 1):
        pr = _Reader(p, r.file, f"{where} {i}", {"label", "seconds", "breath"})
        breath = pr.text("breath", required=False)
        if breath is not None and breath not in d.BREATH:
            raise pr.error("breath", f"must be one of {', '.join(d.BREATH)}")
        phases.append(d.Phase(label=pr.text("label"), seconds=pr.integer("seconds", low=1, high=600), breath=breath))
    return tuple(phases)


def _practice(r: _Reader) -> dict:
    """Phases, or paces to choose from (the first is the default and also fills `phases`)."""
    if ("phases" in r.raw) == ("paces" in r.raw):
        raise r.error("phases", "a practice has either 'phases' or 'paces', not both or neither")
    if "phases" in r.raw:
        return dict(phases=_phases(r.items("phases"), r, f"{r.where}, phases"))
    paces = []
    for i, raw in enumerate(r.items("paces"), 1):
        pr = _Reader(raw, r.file, f"{r.where}, paces {i}", {"id", "label", "phases"})
        paces.append(d.Pace(id=pr.text("id"), label=pr.text("label"),
                            phases=_phases(pr.items("phases"), pr, f"{pr.where}, phases")))
    _unique([p.id for p in paces], r, "paces")
    return dict(phases=paces[0].phases, paces=tuple(paces))


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


# --- content files: YAML in the repository, JSON twins (same data, same checks) in the web build ----------

DATE_TAG = "$date"  # YAML's dates survive the trip to JSON as {"$date": "2026-11-26"}


def _tag_dates(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return {DATE_TAG: value.isoformat()}
    if isinstance(value, dict):
        return {k: _tag_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tag_dates(v) for v in value]
    return value


def _untag_date(obj: dict) -> Any:
    if len(obj) == 1 and isinstance(obj.get(DATE_TAG), str):
        return dt.date.fromisoformat(obj[DATE_TAG])
    return obj


def dump_json(data: Any) -> str:
    """A content file's parsed data as JSON text, dates tagged so that `load_json` gives back equal data."""
    return json.dumps(_tag_dates(data), ensure_ascii=False, indent=None, separators=(",", ":"))


def load_json(text: str) -> Any:
    return json.loads(text, object_hook=_untag_date)


def data_path(path: Path) -> Path:
    """Where a content file's data is: the .yaml itself, or its .json twin when PyYAML is missing."""
    path = Path(path)
    return path if yaml is not None else path.with_suffix(".json")


def read_data(path: Path) -> Any:
    """Parse a content file (path names the .yaml); a file that cannot be read or parsed is a ContentError."""
    if yaml is None:
        return _load_json_file(data_path(path))
    return _load_yaml(path)


def _load_json_file(path: Path) -> Any:
    try:
        return load_json(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ContentError(path.name, "file", None, f"cannot be read ({exc.strerror})") from None
    except ValueError as exc:
        raise ContentError(path.name, f"line {getattr(exc, 'lineno', '?')}", None, "is not valid JSON") from None


def _load_yaml(path: Path) -> Any:
    if yaml is None:
        return _load_json_file(data_path(path))
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except OSError as exc:
        raise ContentError(path.name, "file", None, f"cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"line {mark.line + 1}" if mark else "file"
        raise ContentError(path.name, place, None, "is not valid YAML") from None


def load_journey(path: Path, topics: set[str], source_ids: set[str] | None = None) -> d.Journey:
    file = path.name
    raw = _load_yaml(path)
    r = _Reader(raw, file, "journey", {"id", "order", "title", "summary", "icon", "steps"})
    journey_id = r.text("id")
    if not journey_id.replace("_", "").isalnum() or not journey_id.islower():
        raise r.error("id", "must be lower-case letters, digits and _")
    steps_raw = r.items("steps")
    if not MIN_STEPS <= len(steps_raw) <= MAX_STEPS:
        raise r.error("steps", f"a journey has {MIN_STEPS} to {MAX_STEPS} steps, not {len(steps_raw)}")
    steps = tuple(_step(s, file, journey_id, n, topics, source_ids) for n, s in enumerate(steps_raw, 1))
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


def load_sources(path: Path) -> tuple[dict, ...]:
    """sources.yaml: named documents only; each has an id that steps cite and the facts it backs."""
    raw = _load_yaml(path)
    src = _Reader(raw, path.name, "top level", {"sources"})
    sources = []
    for n, s in enumerate(src.items("sources"), 1):
        r = _Reader(s, path.name, f"source {n}", {"id", "title", "by", "year", "url", "about", "published_in",
                                                  "facts"})
        facts = tuple(r.items("facts", required=False))
        if not all(isinstance(f, str) and f.replace("_", "").isalnum() and f.islower() for f in facts):
            raise r.error("facts", "must be a list of lower_case keys")
        url = r.text("url", required=False)
        if url and not url.startswith("https://"):
            raise r.error("url", "must start with https://")
        sources.append({"id": r.text("id"), "title": r.text("title"), "by": r.text("by"), "year": r.raw.get("year"),
                        "url": url, "about": r.text("about"),
                        "published_in": r.text("published_in", required=False), "facts": facts})
    _unique([s["id"] for s in sources], src, "sources")
    return tuple(sources)


def _check(raw: Any, file: str, where: str, kind: str) -> d.Check:
    r = _Reader(raw, file, where, {"question", "yes_label", "no_label", "if_yes"})
    return d.Check(kind=kind, question=r.text("question"), yes=r.text("yes_label"), no=r.text("no_label"), if_yes=r.text("if_yes"))


def load_safety(path: Path) -> tuple[dict[str, str], dict[str, d.Check], dict[str, str]]:
    """safety.yaml: the notes by kind, the checks asked before steps, and the gentle-help words."""
    raw = _load_yaml(path)
    r = _Reader(raw, path.name, "top level", {"notes", "checks", "gentle_help"})
    nr = _Reader(r.raw.get("notes"), path.name, "notes", set(d.SAFETY_KINDS))
    notes = {k: nr.text(k) for k in d.SAFETY_KINDS}
    cr = _Reader(r.raw.get("checks"), path.name, "checks", set(d.CHECK_KINDS))
    checks = {k: _check(cr.raw.get(k), path.name, f"checks, {k}", k) for k in d.CHECK_KINDS}
    gr = _Reader(r.raw.get("gentle_help"), path.name, "gentle_help", {"title", "body"})
    return notes, checks, {"title": gr.text("title"), "body": gr.text("body")}


def load_right_now(path: Path, steps: dict[str, d.Step]) -> d.RightNow:
    """right_now.yaml: the kit on Today; its breathing and grounding steps must be practices."""
    raw = _load_yaml(path)
    r = _Reader(raw, path.name, "top level", {"title", "intro", "breathe", "ground", "danger", "note"})
    for key in ("breathe", "ground"):
        step = steps.get(r.text(key))
        if step is None or step.type != "practice":
            raise r.error(key, "must name a practice step")
    nr = _Reader(r.raw.get("note"), path.name, "note", {"title", "fields"})
    fields = tuple(_field(f, nr, i) for i, f in enumerate(nr.items("fields"), 1))
    _unique([f.id for f in fields], nr, "fields")
    if len(fields) > 3:
        raise nr.error("fields", "a quick note has at most 3 fields")
    return d.RightNow(title=r.text("title"), intro=r.text("intro"), breathe_step=r.text("breathe"),
                      ground_step=r.text("ground"), danger=_check(r.raw.get("danger"), path.name, "danger", "danger"),
                      note_title=nr.text("title"), note_fields=fields)


FALLBACK_LANGUAGE = "en"


def localized(relative: str, language: str, content_dir: Path = CONTENT_DIR) -> Path:
    """content/<language>/<relative> when that twin exists, else the English file: content/es/ mirrors
    content/en/ file for file with the same ids, so a language can arrive one file at a time."""
    own = content_dir / language / relative
    return own if data_path(own).is_file() else content_dir / FALLBACK_LANGUAGE / relative


def load_library(language: str = "en", content_dir: Path = CONTENT_DIR) -> d.Library:
    """Load everything for one language, file by file, falling back to English for a file not translated."""
    at = lambda relative: localized(relative, language, content_dir)  # noqa: E731
    topics = load_topics(at("topics.yaml"))
    topic_ids = {t.id for t in topics}
    sources = load_sources(at("sources.yaml"))
    source_ids = {s["id"] for s in sources}
    journeys, owner = [], {}
    english = content_dir / FALLBACK_LANGUAGE / "journeys"
    names = sorted(p.with_suffix(".yaml").name for p in english.glob("*" + data_path(Path("x.yaml")).suffix))
    for path in [at(f"journeys/{name}") for name in names]:
        journey = load_journey(path, topic_ids, source_ids)
        for step in journey.steps:
            if step.id in owner:
                raise ContentError(path.name, f"step '{step.id}'", "id", f"is also used in {owner[step.id]}")
            owner[step.id] = path.name
        if any(j.id == journey.id for j in journeys):
            raise ContentError(path.name, "journey", "id", f"'{journey.id}' is used by another file")
        journeys.append(journey)
    if not journeys:
        raise ContentError(str(english), "folder", None, "holds no journey files")
    notes, checks, gentle = load_safety(at("safety.yaml"))
    steps = {s.id: s for j in journeys for s in j.steps}
    right_now = load_right_now(at("right_now.yaml"), steps)
    return d.Library(journeys=tuple(sorted(journeys, key=lambda j: j.order)), topics=topics,
                     safety_notes=notes, sources=sources, checks=checks, gentle_help=gentle, right_now=right_now)


# --- safety that reaches everyone: pure rules over the library and "About my loved one" -------------------

SAFETY_STEP = "after.keep-safe"    # overdose, withdrawal, violence: for every family, early in the first journey
SUICIDE_STEP = "after.suicide"     # the loved one's risk and the family member's own
SAFETY_PLAN_STEP = "coping.safety-plan"


def safety_kinds_for(loved_one: d.LovedOne) -> tuple[str, ...]:
    """The safety notes that fit a profile, most pressing first. Not knowing is treated as "could be":
    an empty or unsure substance answer gets the overdose and withdrawal notes; stimulants get the overdose
    note (fentanyl is in the stimulant supply); violence, and "I'd rather not say" about it, put safety first."""
    subs = set(loved_one.substances)
    unsure = not subs or "other" in subs
    kinds = []
    if loved_one.violence in ("yes", "prefer_not"):
        kinds.append("violence")
    if unsure or subs & {"opioids", "stimulants"}:
        kinds.append("opioids")
    if unsure or subs & {"alcohol", "benzodiazepines"}:
        kinds.append("alcohol_benzos")
    return tuple(kinds)


def notes_for(step: d.Step, loved_one: d.LovedOne) -> tuple[str, ...]:
    """The safety notes to show at the top of a step for this profile, in order."""
    return tuple(k for k in safety_kinds_for(loved_one) if k in step.safety)


def ordered_sections(step: d.Step, loved_one: d.LovedOne) -> tuple[d.Section, ...]:
    """A sectioned lesson's parts with the ones that fit the profile first; every part is always shown."""
    order = {k: i for i, k in enumerate(safety_kinds_for(loved_one))}
    rank = lambda x: min((order[a] for a in x.applies if a in order), default=len(order))  # noqa: E731
    return tuple(sorted(step.sections, key=rank))


def journey_steps_for(library: d.Library, journey_id: str, loved_one: d.LovedOne) -> tuple[d.Step, ...]:
    """The steps of a journey in the order this person meets them. The profile never hides or moves a
    step (safety reaches everyone); it only orders notes and sections inside steps."""
    journey = library.journey(journey_id)
    return journey.steps if journey else ()


def check_for(library: d.Library, step: d.Step) -> d.Check | None:
    """The question to ask before this step, if it has one."""
    return library.checks.get(step.check) if step.check else None


def load_prompts(language: str = "en", content_dir: Path = CONTENT_DIR) -> tuple[str, ...]:
    """Journal writing prompts for a blank page."""
    path = localized("journal_prompts.yaml", language, content_dir)
    raw = _load_yaml(path)
    r = _Reader(raw, path.name, "top level", {"prompts"})
    prompts = r.items("prompts")
    if not all(isinstance(p, str) and p.strip() for p in prompts):
        raise r.error("prompts", "must be a list of non-empty text")
    return tuple(p.strip() for p in prompts)
