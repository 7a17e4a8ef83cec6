"""A pseudo-locale for finding English that skipped translation: every msgid wrapped, "[!! Today !!]".

`python -m app.i18n_pseudo DIR [LANG]` writes DIR/LANG/LC_MESSAGES/messages.po from locales/messages.pot;
start the app with REGROUP_LOCALES_DIR=DIR and a browser in LANG, and any text on screen that is not
wrapped came from somewhere other than the catalog. LANG defaults to "ar", so the same run is right to
left and shows that the layout mirrors (Latin letters only: the web client has no Arabic font).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from app.paths import LOCALES_DIR

OPEN, CLOSE = "[!! ", " !!]"


def wrap(text: str) -> str:
    return f"{OPEN}{text}{CLOSE}"


def write_pseudo_catalog(target: Path, language: str = "ar", template: Path = LOCALES_DIR / "messages.pot") -> Path:
    with template.open("rb") as fh:
        pot = read_po(fh)
    catalog = Catalog(locale=language, project="Regroup pseudo-locale")
    for message in pot:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            singular, plural = message.id
            forms = [wrap(singular)] + [wrap(plural)] * (catalog.num_plurals - 1)
            catalog.add(message.id, tuple(forms))
        else:
            catalog.add(message.id, wrap(message.id))
    po = target / language / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    with po.open("wb") as fh:
        write_po(fh, catalog)
    return po


if __name__ == "__main__":
    print(write_pseudo_catalog(Path(sys.argv[1]), *(sys.argv[2:3] or ["ar"])))
