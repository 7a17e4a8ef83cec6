"""Crisis and support lines from content/crisis_lines.yaml: loaded, validated, ordered for the help screen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

try:
    import yaml
except ImportError:  # the web build: crisis_lines.json, compiled by web/build.py (app.content.read_data)
    yaml = None

from app.content import ContentError, read_data
from app.paths import CONTENT_DIR

# libyaml's parser when installed (start-up read the content at a tenth of the speed without it); the
# same safe constructors either way.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader) if yaml else None

CRISIS_FILE = CONTENT_DIR / "crisis_lines.yaml"
FORMAT = 2
KINDS = ("emergency", "crisis", "medical_advice", "poison", "substance_use", "find_care", "domestic_violence",
         "family_support")
# Every country says, for each of these, either which line to call or (in `gaps`) honestly that we know none.
REQUIRED_KINDS = ("emergency", "crisis", "substance_use", "domestic_violence")
# Who a line is for, so a screen can say "for women" and a test can keep a women's line from being offered
# to a man or to a parent hurt by their child.
SERVES = ("anyone", "women", "men", "children", "young_people", "parents", "families", "lgbtq")
INTERNATIONAL = "INT"  # the fallback entry: a directory of helplines, for a country we have no data for
_ENTRY_FIELDS = {"kind", "name", "phone", "display", "sms", "url", "hours", "description",
                 "source", "compiled", "review", "serves"}
_GAP_FIELDS = {"kind", "serves", "note", "review"}
_NOTE_FIELDS = {"text", "source", "compiled", "review"}


@dataclass(frozen=True)
class Source:
    org: str
    url: str


@dataclass(frozen=True)
class HelpLine:
    """One line: who answers, how to reach them, and where the entry came from."""

    kind: str
    name: str
    phone: str | None
    display: str | None
    sms: str | None
    url: str | None
    hours: str
    descriptions: dict[str, str]
    source: Source
    compiled: dt.date
    serves: tuple[str, ...] = ("anyone",)
    names: dict[str, str] | None = None  # a generic name ("Emergency services") in other languages
    hours_texts: dict[str, str] | None = None  # hours in words ("Office hours") in other languages

    def description(self, language: str) -> str:
        return self.descriptions.get(language) or self.descriptions["en"]

    def name_in(self, language: str) -> str:
        """The line's name: a proper name stays as it is; a generic one is translated in the file."""
        return (self.names or {}).get(language) or self.name

    def hours_in(self, language: str) -> str:
        return (self.hours_texts or {}).get(language) or self.hours


@dataclass(frozen=True)
class Gap:
    """An honest "we know no line of this kind" (for `serves`, if given), with what to do instead."""

    kind: str
    serves: tuple[str, ...]
    notes: dict[str, str]

    def note(self, language: str) -> str:
        return self.notes.get(language) or self.notes["en"]


@dataclass(frozen=True)
class CountryNote:
    """Per-country text shown inside a step (naloxone: where and how to get it), with its source."""

    texts: dict[str, str]
    source: Source
    compiled: dt.date

    def text(self, language: str) -> str:
        return self.texts.get(language) or self.texts["en"]


@dataclass(frozen=True)
class CountryHelp:
    code: str
    lines: tuple[HelpLine, ...]
    gaps: tuple[Gap, ...] = ()
    naloxone: CountryNote | None = None

    def of_kind(self, kind: str) -> list[HelpLine]:
        return [line for line in self.lines if line.kind == kind]

    def gaps_of_kind(self, kind: str) -> list[Gap]:
        return [gap for gap in self.gaps if gap.kind == kind]


@dataclass(frozen=True)
class CrisisDirectory:
    countries: dict[str, CountryHelp]
    international: CountryHelp | None = None

    def get(self, code: str | None) -> CountryHelp | None:
        return self.countries.get((code or "").upper())

    def for_country(self, code: str | None) -> CountryHelp | None:
        """The country's lines, or the international directory when we have none for it (or none is chosen)."""
        return self.get(code) or self.international

    def naloxone_note(self, code: str | None, language: str = "en") -> str | None:
        """Where to get naloxone, for the chosen country (never another country's rules)."""
        help = self.for_country(code)
        return help.naloxone.text(language) if help and help.naloxone else None

    @property
    def codes(self) -> list[str]:
        return sorted(self.countries)


def _words(raw: dict, field: str, file: str, where: str) -> tuple[str, dict[str, str]]:
    """A field that is either one text for every language ("24/7", a proper name) or texts by language."""
    value = raw.get(field)
    if isinstance(value, dict):
        texts = _texts(value, file, where, field)
        return texts["en"], texts
    text = _text(raw, field, file, where)
    return text, {"en": text}


def _text(raw: dict, field: str, file: str, where: str, *, required: bool = True) -> str | None:
    value = raw.get(field)
    if value is None:
        if required:
            raise ContentError(file, where, field, "is missing")
        return None
    if not isinstance(value, str) or not value.strip():
        raise ContentError(file, where, field, "must be non-empty text")
    return value.strip()


def _mapping(raw: Any, fields: set[str], file: str, where: str, shape: str = "must be a mapping") -> dict:
    """A mapping that holds only the fields its kind of entry knows."""
    if not isinstance(raw, dict):
        raise ContentError(file, where, None, shape)
    unknown = set(raw) - fields
    if unknown:
        raise ContentError(file, where, sorted(unknown)[0], "is not a known field")
    return raw


def _kind(raw: dict, file: str, where: str) -> str:
    kind = _text(raw, "kind", file, where)
    if kind not in KINDS:
        raise ContentError(file, where, "kind", f"must be one of {', '.join(KINDS)}")
    return kind


def _source(raw: dict, file: str, where: str) -> Source:
    src = raw.get("source")
    if not isinstance(src, dict) or not src.get("org") or not str(src.get("url", "")).startswith("https://"):
        raise ContentError(file, where, "source", "needs 'org' and an https 'url'")
    return Source(org=str(src["org"]), url=str(src["url"]))


def _compiled(raw: dict, file: str, where: str) -> dt.date:
    if not isinstance(raw.get("compiled"), dt.date):
        raise ContentError(file, where, "compiled", "must be a date like 2026-11-26")
    return raw["compiled"]


def _line(raw: Any, file: str, where: str) -> HelpLine:
    raw = _mapping(raw, _ENTRY_FIELDS, file, where)
    kind = _kind(raw, file, where)
    phone = _text(raw, "phone", file, where, required=False)
    if phone is not None and not phone.isdigit():
        raise ContentError(file, where, "phone", "must hold digits only (what the phone dials)")
    url = _text(raw, "url", file, where, required=False)
    if phone is None and url is None:
        raise ContentError(file, where, "phone", "a line needs a phone number or an address")
    desc = raw.get("description")
    if not isinstance(desc, dict) or not isinstance(desc.get("en"), str):
        raise ContentError(file, where, "description", "needs an English text under 'en'")
    source, compiled = _source(raw, file, where), _compiled(raw, file, where)
    serves = _serves(raw, file, where) or ("anyone",)
    name, names = _words(raw, "name", file, where)
    hours, hours_texts = _words(raw, "hours", file, where)
    return HelpLine(
        kind=kind, name=name, names=names, hours_texts=hours_texts, phone=phone,
        display=_text(raw, "display", file, where, required=False) or phone,
        sms=_text(raw, "sms", file, where, required=False), url=url,
        hours=hours, descriptions=dict(desc),
        source=source, compiled=compiled, serves=serves,
    )


def _serves(raw: dict, file: str, where: str) -> tuple[str, ...]:
    serves = raw.get("serves", [])
    if not isinstance(serves, list) or any(x not in SERVES for x in serves):
        raise ContentError(file, where, "serves", f"must be a list among {', '.join(SERVES)}")
    return tuple(serves)


def _texts(value: Any, file: str, where: str, field: str) -> dict[str, str]:
    if not isinstance(value, dict) or not isinstance(value.get("en"), str) or not value["en"].strip():
        raise ContentError(file, where, field, "needs an English text under 'en'")
    return {k: str(v).strip() for k, v in value.items()}


def _gap(raw: Any, file: str, where: str) -> Gap:
    raw = _mapping(raw, _GAP_FIELDS, file, where)
    kind = _kind(raw, file, where)
    if not raw.get("review"):
        raise ContentError(file, where, "review", "a gap needs a review note: what was searched, and when")
    return Gap(kind=kind, serves=_serves(raw, file, where), notes=_texts(raw.get("note"), file, where, "note"))


def _country_note(raw: Any, file: str, where: str) -> CountryNote:
    raw = _mapping(raw, _NOTE_FIELDS, file, where, "must be a mapping with text, source and compiled")
    return CountryNote(texts=_texts(raw.get("text"), file, where, "text"), source=_source(raw, file, where),
                       compiled=_compiled(raw, file, where))


def _country(code: str, body: Any, file: str, *, required: tuple[str, ...]) -> CountryHelp:
    where = f"country {code}"
    if not isinstance(body, dict):
        raise ContentError(file, where, "lines", "must be a list")
    unknown = set(body) - {"lines", "gaps", "naloxone"}
    if unknown:
        raise ContentError(file, where, sorted(unknown)[0], "is not a known field")
    lines = body.get("lines")
    if not isinstance(lines, list):
        raise ContentError(file, where, "lines", "must be a list")
    parsed = tuple(_line(raw, file, f"{where}, line {i + 1}") for i, raw in enumerate(lines))
    gaps_raw = body.get("gaps", [])
    if not isinstance(gaps_raw, list):
        raise ContentError(file, where, "gaps", "must be a list")
    gaps = tuple(_gap(raw, file, f"{where}, gap {i + 1}") for i, raw in enumerate(gaps_raw))
    for kind in required:
        if not any(line.kind == kind for line in parsed) and not any(g.kind == kind for g in gaps):
            raise ContentError(file, where, "lines", f"has no {kind} line (or a gap saying none is known)")
    if "naloxone" not in body:
        raise ContentError(file, where, "naloxone", "is missing: say where naloxone can be had here")
    order = {k: i for i, k in enumerate(KINDS)}
    return CountryHelp(code=code, lines=tuple(sorted(parsed, key=lambda l: order[l.kind])), gaps=gaps,
                       naloxone=_country_note(body["naloxone"], file, f"{where}, naloxone"))


def parse_directory(data: Any, file: str) -> CrisisDirectory:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ContentError(file, "top level", "format", f"must be {FORMAT}")
    countries = data.get("countries")
    if not isinstance(countries, dict) or not countries:
        raise ContentError(file, "top level", "countries", "must list at least one country")
    result = {}
    for code, body in countries.items():
        if not (isinstance(code, str) and len(code) == 2 and code.isupper()):
            raise ContentError(file, f"country {code}", None, "country codes are two capital letters (ISO 3166)")
        country = _country(code, body, file, required=REQUIRED_KINDS)
        if not country.of_kind("emergency"):
            raise ContentError(file, f"country {code}", "lines", "has no emergency line")
        result[code] = country
    if "international" not in data:
        raise ContentError(file, "top level", "international", "is missing: the fallback for other countries")
    international = _country(INTERNATIONAL, data["international"], file, required=("crisis",))
    return CrisisDirectory(countries=result, international=international)


def load_directory(path: Path = CRISIS_FILE) -> CrisisDirectory:
    """Load and validate the crisis file; a broken file is a ContentError naming file and field."""
    if yaml is None:
        return parse_directory(read_data(path), Path(path).name)
    try:
        data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except OSError as exc:
        raise ContentError(Path(path).name, "file", None, f"cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ContentError(Path(path).name, "file", None, f"is not valid YAML ({exc.__class__.__name__})") from None
    return parse_directory(data, Path(path).name)


def suggest_country(locales: Iterable[str], known: Iterable[str]) -> str | None:
    """The first region named by the device's locales (e.g. 'en-GB', 'es_MX') that we have lines for."""
    known = {k.upper() for k in known}
    for tag in locales:
        parts = tag.replace("_", "-").split("-")
        for part in parts[1:]:
            if len(part) == 2 and part.isalpha() and part.upper() in known:
                return part.upper()
    return None
