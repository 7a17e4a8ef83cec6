"""Where data lives, and translations through Babel."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path


from app import i18n
from app.paths import data_dir

ROOT = Path(__file__).resolve().parent.parent


def test_regroup_data_dir_wins(tmp_path):
    env = {"REGROUP_DATA_DIR": str(tmp_path / "a"), "FLET_APP_STORAGE_DATA": str(tmp_path / "b")}
    assert data_dir(env) == tmp_path / "a"


def test_flet_storage_is_used_when_regroup_is_unset(tmp_path):
    assert data_dir({"FLET_APP_STORAGE_DATA": str(tmp_path / "b"), "REGROUP_DATA_DIR": " "}) == tmp_path / "b"


def test_platform_folder_is_the_default():
    path = data_dir({})
    assert path.is_absolute() and "regroup" in str(path).lower()


def test_english_is_always_available_and_named_in_itself():
    assert i18n.available_languages()[0] == "en"
    assert i18n.language_name("en") == "English"
    assert i18n.language_name("es") == "Español"


def test_unknown_language_falls_back_to_english():
    assert i18n.set_language("xx") == "en"
    assert i18n._("Today") == "Today"


def test_a_catalog_translates_when_present(tmp_path, monkeypatch):
    po = tmp_path / "es" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "Today"\nmsgstr "Hoy"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    assert i18n.available_languages(tmp_path) == ["en", "es"]
    assert i18n.load_translations("es", tmp_path).gettext("Today") == "Hoy"


def test_countries_and_dates_follow_the_language():
    assert i18n.country_name("GB", "en") == "United Kingdom"
    assert i18n.country_name("MX", "es") == "México"
    assert i18n.format_date(dt.date(2026, 11, 26), language="en") == "Nov 26, 2026"


def test_every_visible_string_in_screens_goes_through_gettext():
    """A literal passed straight to Text/label/title would skip translation."""
    offenders = []
    pattern = re.compile(r"""(ft\.Text|label=|title=|tooltip=)\(?\s*["'][A-Za-z][^"']*\s[^"']*["']""")
    for path in (ROOT / "screens").glob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line) and "_(" not in line:
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []


def test_translation_template_is_up_to_date(tmp_path):
    """locales/messages.pot holds every visible string (run `make i18n` after changing them)."""
    import subprocess
    import sys
    from babel.messages.pofile import read_po
    out = tmp_path / "fresh.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "locales/babel.cfg",
                    "-k", "_", "-k", "ngettext:1,2", "--no-location", "-o", str(out), "."],
                   cwd=ROOT, check=True, capture_output=True)
    def ids(path):
        with open(path, "rb") as fh:
            return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    assert ids(out) == ids(ROOT / "locales" / "messages.pot")
