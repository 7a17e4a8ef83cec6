"""What a catalog still lacks: untranslated, fuzzy, or English copied; `make messages-todo` prints it.

Run after `make messages`: every new msgid shows up here until someone gives it words. Tests call
`problems()` too, so a string added without a translation fails the suite, never the person.

    python -m app.i18n_check                      # list what each catalog lacks
    python -m app.i18n_check es --export todo.json  # those entries as JSON, to translate in any editor
    python -m app.i18n_check es --import todo.json  # write the filled-in "msgstr" values back
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

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


def _catalog_path(language: str, locales_dir: Path | None = None) -> Path:
    return (locales_dir or LOCALES_DIR) / language / "LC_MESSAGES" / "messages.po"


def _read(language: str, locales_dir: Path | None = None):
    with _catalog_path(language, locales_dir).open("rb") as fh:
        return read_po(fh, locale=language)


def _needs_work(catalog) -> list:
    return [m for m in catalog if m.id and _problem(catalog, m)]


def problems(language: str, locales_dir: Path | None = None) -> list[str]:
    """One line per entry that needs a translator's attention."""
    catalog = _read(language, locales_dir)
    return [_problem(catalog, m) for m in _needs_work(catalog)]


def _problem(catalog, message) -> str | None:
    """Why an entry needs a translator, or None when it is done."""
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    if message.fuzzy:
        return f"fuzzy: {ids[0]!r}"
    if not all(strings) or (len(ids) > 1 and len(strings) < catalog.num_plurals):
        return f"untranslated: {ids[0]!r}"
    if any(copied_english(ids[min(i, len(ids) - 1)], s) for i, s in enumerate(strings)):
        return f"copied from English: {ids[0]!r}"
    return None


def export_todo(language: str, target: Path, locales_dir: Path | None = None) -> int:
    """The entries that need words, as JSON: msgid (and plural), and msgstr to fill in (a list for plurals)."""
    catalog = _read(language, locales_dir)
    todo = []
    for m in _needs_work(catalog):
        if isinstance(m.id, tuple):
            todo.append({"msgid": m.id[0], "msgid_plural": m.id[1], "msgstr": [""] * catalog.num_plurals})
        else:
            todo.append({"msgid": m.id, "msgstr": ""})
    target.write_text(json.dumps(todo, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(todo)


def import_todo(language: str, source: Path, locales_dir: Path | None = None) -> int:
    """Write filled-in translations back into the catalog (no longer fuzzy); empty ones are skipped."""
    catalog = _read(language, locales_dir)
    done = 0
    for item in json.loads(source.read_text(encoding="utf-8")):
        key = (item["msgid"], item["msgid_plural"]) if "msgid_plural" in item else item["msgid"]
        message = catalog.get(key)
        value = tuple(item["msgstr"]) if isinstance(item["msgstr"], list) else item["msgstr"]
        if message is None or not value or not all(value):
            continue
        message.string = value
        message.flags.discard("fuzzy")
        done += 1
    with _catalog_path(language, locales_dir).open("wb") as fh:
        write_po(fh, catalog, ignore_obsolete=True)
    return done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("language", nargs="?")
    parser.add_argument("--export", type=Path, help="write the entries that need words to this JSON file")
    parser.add_argument("--import", dest="import_", type=Path, help="read filled-in entries from this JSON file")
    args = parser.parse_args()
    if args.export or args.import_:
        if not args.language:
            parser.error("name the language, e.g. es")
        if args.export:
            print(f"{export_todo(args.language, args.export)} entries written to {args.export}")
        else:
            print(f"{import_todo(args.language, args.import_)} entries translated")
        return 0
    total = 0
    for language in [args.language] if args.language else available_languages():
        if language == SOURCE_LANGUAGE:
            continue
        lines = problems(language)
        total += len(lines)
        print(f"{language}: {len(lines)} to do", *lines, sep="\n  ")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
