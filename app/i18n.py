"""Translations and locale formatting with Babel.

Visible strings are English msgids wrapped in `_()`. Catalogs are
`locales/<lang>/LC_MESSAGES/messages.po`, read at start-up (no compiled files to
keep in step). The app holds one person's data, so the current language is
process-wide.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _format_date
from babel.dates import format_skeleton
from babel.dates import format_time as _format_time
from babel.dates import format_timedelta
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from app.paths import LOCALES_DIR

SOURCE_LANGUAGE = "en"
_current: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE
_regions: list[str] = []  # the device's locales ("en-GB"): dates and times follow its region (12 or 24 h)


def available_languages(locales_dir: Path = LOCALES_DIR) -> list[str]:
    """English plus every language with a catalog."""
    found = sorted(p.parent.parent.name for p in locales_dir.glob("*/LC_MESSAGES/messages.po"))
    return [SOURCE_LANGUAGE] + [lang for lang in found if lang != SOURCE_LANGUAGE]


def language_name(code: str) -> str:
    """The language's own name for itself ("English", "Español")."""
    try:
        name = Locale.parse(code).get_display_name(code) or code
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:]


def load_translations(language: str, locales_dir: Path = LOCALES_DIR) -> gettext.NullTranslations:
    po = locales_dir / language / "LC_MESSAGES" / "messages.po"
    if language == SOURCE_LANGUAGE or not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def set_language(language: str) -> str:
    """Switch every `_()` to language (falls back to English); returns the language in use."""
    global _current, _language
    if language not in available_languages():
        language = SOURCE_LANGUAGE
    _current, _language = load_translations(language), language
    return language


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
    return language


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
    return format_timedelta(-delta, add_direction=True, threshold=1, locale=format_locale(language))


def format_number(value: float, *, language: str | None = None) -> str:
    return format_decimal(value, locale=format_locale(language))
