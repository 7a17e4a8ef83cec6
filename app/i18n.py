"""Translations and locale formatting with Babel.

Visible strings are English msgids wrapped in `_()`. Catalogs are
`locales/<lang>/LC_MESSAGES/messages.po` (the only ones in git); each is compiled to
`locales/.mo/<lang>/LC_MESSAGES/messages.mo` (git-ignored) when first used and again
whenever the .po is newer, so a fresh clone runs without a manual step and a .mo never
goes stale. Where that folder cannot be written (a read-only app bundle) the catalog is
compiled in memory. The app holds one person's data, so the current language is
process-wide. REGROUP_LOCALES_DIR points at another catalog folder (pseudo-locale tests).
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import os
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _format_date
from babel.dates import format_skeleton
from babel.dates import format_time as _format_time
from babel.dates import format_timedelta, get_day_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from app.paths import LOCALES_DIR as _BUNDLED_LOCALES

LOCALES_DIR = Path(os.environ.get("REGROUP_LOCALES_DIR") or _BUNDLED_LOCALES)
COMPILED = ".mo"  # locales/.mo/<lang>/LC_MESSAGES/messages.mo, git-ignored
SOURCE_LANGUAGE = "en"
# The formats for a language when the device names no region for it: Regroup's Spanish is Latin American.
WITHOUT_REGION = {"es": "es_419"}
_current: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE
_regions: list[str] = []  # the device's locales ("en-GB"): dates and times follow its region (12 or 24 h)


def available_languages(locales_dir: Path | None = None) -> list[str]:
    """English plus every language with a catalog."""
    locales_dir = locales_dir or LOCALES_DIR
    found = sorted(p.parent.parent.name for p in locales_dir.glob("*/LC_MESSAGES/messages.po"))
    return [SOURCE_LANGUAGE] + [lang for lang in found if lang != SOURCE_LANGUAGE]


def language_name(code: str) -> str:
    """The language's own name for itself ("English", "Español")."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:]


def compile_catalog(language: str, locales_dir: Path | None = None) -> Path | None:
    """The language's .mo, compiled from its .po when missing or older; None when it cannot be written."""
    locales_dir = locales_dir or LOCALES_DIR
    po = locales_dir / language / "LC_MESSAGES" / "messages.po"
    mo = locales_dir / COMPILED / language / "LC_MESSAGES" / "messages.mo"
    try:
        if mo.exists() and mo.stat().st_mtime_ns >= po.stat().st_mtime_ns:
            return mo
        mo.parent.mkdir(parents=True, exist_ok=True)
        tmp = mo.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(_mo_bytes(po, language))
        os.replace(tmp, mo)  # atomic: another process never reads half a catalog
    except OSError:
        return None
    return mo


def _mo_bytes(po: Path, language: str) -> bytes:
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def load_translations(language: str, locales_dir: Path | None = None) -> gettext.NullTranslations:
    locales_dir = locales_dir or LOCALES_DIR
    po = locales_dir / language / "LC_MESSAGES" / "messages.po"
    if language == SOURCE_LANGUAGE or not po.exists():
        return gettext.NullTranslations()
    mo = compile_catalog(language, locales_dir)
    data = mo.read_bytes() if mo else _mo_bytes(po, language)
    return gettext.GNUTranslations(io.BytesIO(data))


def set_language(language: str) -> str:
    """Switch every `_()` to language (falls back to English); returns the language in use."""
    global _current, _language
    if language not in available_languages():
        language = SOURCE_LANGUAGE
    _current, _language = load_translations(language), language
    return language


def is_rtl(language: str | None = None) -> bool:
    """Whether the language is written right to left (the layout mirrors: page.rtl)."""
    try:
        return Locale.parse(language or _language).character_order == "right-to-left"
    except (UnknownLocaleError, ValueError):
        return False


def language_for_device(locales: list[str], languages: list[str] | None = None) -> str:
    """The first of the device's languages ("es-MX") that has a catalog, else English."""
    languages = languages if languages is not None else available_languages()
    for tag in locales:
        code = tag.replace("_", "-").split("-")[0].lower()
        if code in languages:
            return code
    return SOURCE_LANGUAGE


def current_language() -> str:
    return _language


def set_device_locales(locales: list[str]) -> None:
    """Remember the device's locales, so times follow its region (en-GB: 19:00; en-US: 7:00 PM)."""
    global _regions
    _regions = list(locales)


def format_locale(language: str | None = None) -> str:
    """The Babel locale for dates, times and numbers: the language, with the device's region when it has one
    for that language ("en" on an en-GB phone gives "en_GB")."""
    language = language or _language
    for tag in _regions:
        parts = tag.replace("_", "-").split("-")
        region = next((p for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
        if parts[0].lower() == language and region:
            candidate = f"{language}_{region.upper()}"
            try:
                Locale.parse(candidate)
            except (UnknownLocaleError, ValueError):
                continue
            return candidate
    return WITHOUT_REGION.get(language, language)


def _(message: str) -> str:
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def country_name(code: str, language: str | None = None) -> str:
    """A country's name in the person's language, from CLDR through Babel."""
    try:
        return Locale.parse(language or _language).territories.get(code.upper(), code)
    except (UnknownLocaleError, ValueError):
        return code


def format_date(value: dt.date, *, format: str = "medium", language: str | None = None) -> str:
    return _format_date(value, format=format, locale=format_locale(language))


def format_day_month(value: dt.date, *, language: str | None = None) -> str:
    """A short day and month in the locale's order ("1 Dec", "Dec 1"), for chart axes."""
    return format_skeleton("MMMd", value, locale=format_locale(language))


def format_time(value: dt.datetime | dt.time, *, language: str | None = None) -> str:
    return _format_time(value, format="short", locale=format_locale(language))


def format_hhmm(value: str, *, language: str | None = None) -> str:
    """A stored "HH:MM" as the locale writes it (12 or 24 hours)."""
    hours, minutes = value.split(":")
    return format_time(dt.time(int(hours), int(minutes)), language=language)


def format_ago(delta: dt.timedelta, *, language: str | None = None) -> str:
    """How long ago, as the locale says it ("2 minutes ago", "hace 2 minutos"); under a minute is "just now"."""
    if delta < dt.timedelta(minutes=1):
        return _("just now")
    return format_relative(-delta, language=language)


def format_number(value: float, *, language: str | None = None) -> str:
    return format_decimal(value, locale=format_locale(language))


def format_relative(delta: dt.timedelta, *, language: str | None = None) -> str:
    """A time before now (negative) or after it, in words: "2 days ago", "hace 2 días"."""
    return format_timedelta(delta, add_direction=True, threshold=1, locale=format_locale(language))


def format_relative_day(day: dt.date, today: dt.date, *, language: str | None = None) -> str:
    """A day near today as people say it, from CLDR: "Today", "Yesterday", "3 days ago" ("Ayer", "Hace 3 días")."""
    offset = (day - today).days
    try:
        named = Locale.parse(format_locale(language))._data["date_fields"]["day"]["relative"]
    except (KeyError, UnknownLocaleError, ValueError):
        named = {}
    text = named.get(offset) or format_relative(dt.timedelta(days=offset), language=language)
    return text[:1].upper() + text[1:]


def weekday_names(language: str | None = None, *, width: str = "abbreviated") -> list[str]:
    """Short day names in the order the locale's week runs ("Sun".."Sat" in Mexico, "lun".."dom" in Spain);
    width "narrow" gives one letter."""
    names = get_day_names(width, locale=format_locale(language))
    first = first_weekday(language)
    return [names[(first + i) % 7] for i in range(7)]


def first_weekday(language: str | None = None) -> int:
    """The day a week starts on where the person lives, Monday = 0 (Sunday = 6 in the US and Mexico)."""
    try:
        return Locale.parse(format_locale(language)).first_week_day
    except (UnknownLocaleError, ValueError):
        return 0
