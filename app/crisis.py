"""Crisis and support lines from content/crisis_lines.yaml: loaded, validated, ordered for the help screen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import yaml

from app.content import ContentError
from app.paths import CONTENT_DIR

CRISIS_FILE = CONTENT_DIR / "crisis_lines.yaml"
KINDS = ("emergency", "crisis", "substance_use", "domestic_violence", "family_support")
REQUIRED_KINDS = ("emergency", "crisis", "substance_use", "domestic_violence")
_ENTRY_FIELDS = {"kind", "name", "phone", "display", "sms", "url", "hours", "description",
                 "source", "compiled", "review"}


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

    def description(self, language: str) -> str:
        return self.descriptions.get(language) or self.descriptions["en"]


@dataclass(frozen=True)
class CountryHelp:
    code: str
    lines: tuple[HelpLine, ...]

    def of_kind(self, kind: str) -> list[HelpLine]:
        return [line for line in self.lines if line.kind == kind]


@dataclass(frozen=True)
class CrisisDirectory:
    countries: dict[str, CountryHelp]

    def get(self, code: str | None) -> CountryHelp | None:
        return self.countries.get((code or "").upper())

    @property
    def codes(self) -> list[str]:
        return sorted(self.countries)


def _text(raw: dict, field: str, file: str, where: str, *, required: bool = True) -> str | None:
    value = raw.get(field)
    if value is None:
        if required:
            raise ContentError(file, where, field, "is missing")
        return None
    if not isinstance(value, str) or not value.strip():
        raise ContentError(file, where, field, "must be non-empty text")
    return value.strip()


def _line(raw: Any, file: str, where: str) -> HelpLine:
    if not isinstance(raw, dict):
        raise ContentError(file, where, None, "must be a mapping")
    unknown = set(raw) - _ENTRY_FIELDS
    if unknown:
        raise ContentError(file, where, sorted(unknown)[0], "is not a known field")
    kind = _text(raw, "kind", file, where)
    if kind not in KINDS:
        raise ContentError(file, where, "kind", f"must be one of {', '.join(KINDS)}")
    phone = _text(raw, "phone", file, where, required=False)
    if phone is not None and not phone.isdigit():
        raise ContentError(file, where, "phone", "must hold digits only (what the phone dials)")
    url = _text(raw, "url", file, where, required=False)
    if phone is None and url is None:
        raise ContentError(file, where, "phone", "a line needs a phone number or an address")
    desc = raw.get("description")
    if not isinstance(desc, dict) or not isinstance(desc.get("en"), str):
        raise ContentError(file, where, "description", "needs an English text under 'en'")
    src = raw.get("source")
    if not isinstance(src, dict) or not src.get("org") or not str(src.get("url", "")).startswith("https://"):
        raise ContentError(file, where, "source", "needs 'org' and an https 'url'")
    compiled = raw.get("compiled")
    if not isinstance(compiled, dt.date):
        raise ContentError(file, where, "compiled", "must be a date like 2026-11-26")
    return HelpLine(
        kind=kind, name=_text(raw, "name", file, where), phone=phone,
        display=_text(raw, "display", file, where, required=False) or phone,
        sms=_text(raw, "sms", file, where, required=False), url=url,
        hours=_text(raw, "hours", file, where), descriptions=dict(desc),
        source=Source(org=str(src["org"]), url=str(src["url"])), compiled=compiled,
    )


def parse_directory(data: Any, file: str) -> CrisisDirectory:
    if not isinstance(data, dict) or data.get("format") != 1:
        raise ContentError(file, "top level", "format", "must be 1")
    countries = data.get("countries")
    if not isinstance(countries, dict) or not countries:
        raise ContentError(file, "top level", "countries", "must list at least one country")
    result = {}
    for code, body in countries.items():
        where = f"country {code}"
        if not (isinstance(code, str) and len(code) == 2 and code.isupper()):
            raise ContentError(file, where, None, "country codes are two capital letters (ISO 3166)")
        lines = (body or {}).get("lines") if isinstance(body, dict) else None
        if not isinstance(lines, list):
            raise ContentError(file, where, "lines", "must be a list")
        parsed = tuple(_line(raw, file, f"{where}, line {i + 1}") for i, raw in enumerate(lines))
        missing = [k for k in REQUIRED_KINDS if not any(line.kind == k for line in parsed)]
        if missing:
            raise ContentError(file, where, "lines", f"has no {missing[0]} line")
        order = {k: i for i, k in enumerate(KINDS)}
        result[code] = CountryHelp(code=code, lines=tuple(sorted(parsed, key=lambda l: order[l.kind])))
    return CrisisDirectory(countries=result)


def load_directory(path: Path = CRISIS_FILE) -> CrisisDirectory:
    """Load and validate the crisis file; a broken file is a ContentError naming file and field."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
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
