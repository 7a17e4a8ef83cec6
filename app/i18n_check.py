"""What a catalog still lacks: untranslated, fuzzy, or English copied; `make messages-todo` prints it.

Run after `make messages`: every new msgid shows up here until someone gives it words. Tests call
`problems()` too, so a string added without a translation fails the suite, never the person.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from app.i18n import LOCALES_DIR, SOURCE_LANGUAGE, available_languages

# A translation may equal its msgid only when nothing in it is a word to translate: placeholders,
# numbers, punctuation, units, and words spelled the same in English and the catalog's language (each
# listed here on purpose, so that a copied sentence is still caught).
KEEP_AS_IS = {"Regroup", "PIN", "PDF", "WHO", "min", "s", "No", "Alcohol"}
_PLACEHOLDER = re.compile(r"\{[^}]*\}")
_NOT_WORDS = re.compile(r"[\d\W_]+")


def copied_english(msgid: str, msgstr: str) -> bool:
    """The translation is the English text itself (a name or a bare number is allowed)."""
    if msgstr.strip() != msgid.strip():
        return False
    words = [w for w in _NOT_WORDS.sub(" ", _PLACEHOLDER.sub(" ", msgid)).split() if w not in KEEP_AS_IS]
    return bool(words)


def problems(language: str, locales_dir: Path | None = None) -> list[str]:
    """One line per entry that needs a translator's attention."""
    po = (locales_dir or LOCALES_DIR) / language / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=language)
    found = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            found.append(f"fuzzy: {ids[0]!r}")
        elif not all(strings) or len(strings) < catalog.num_plurals and len(ids) > 1:
            found.append(f"untranslated: {ids[0]!r}")
        elif any(copied_english(ids[min(i, len(ids) - 1)], s) for i, s in enumerate(strings)):
            found.append(f"copied from English: {ids[0]!r}")
    return found


def main() -> int:
    total = 0
    for language in available_languages():
        if language == SOURCE_LANGUAGE:
            continue
        lines = problems(language)
        total += len(lines)
        print(f"{language}: {len(lines)} to do", *lines, sep="\n  ")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
