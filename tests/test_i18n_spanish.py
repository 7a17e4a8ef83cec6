"""Spanish, complete: the catalogs, their compilation, locale formats, the device's language, crisis lines
in Spanish, and content that falls back to English file by file."""

from __future__ import annotations

import datetime as dt
import gettext
import io
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app import i18n
from app.content import load_library, load_prompts, localized
from app.crisis import load_directory
from app.i18n_check import copied_english, problems

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
CATALOGS = sorted(LOCALES.glob("*/LC_MESSAGES/messages.po"))
BRACES = re.compile(r"\{[^}]*\}")


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_device_locales([])
    i18n.set_language("en")


def _read(po: Path):
    with po.open("rb") as fh:
        return read_po(fh, locale=po.parent.parent.name if po.suffix == ".po" else None)


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parent.parent.name)
def test_every_catalog_compiles_and_keeps_every_placeholder(po):
    catalog = _read(po)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    gettext.GNUTranslations(io.BytesIO(buf.getvalue()))  # a broken .mo raises here
    wrong = []
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for i, s in enumerate(strings):
            if s and set(BRACES.findall(s)) != set(BRACES.findall(ids[min(i, len(ids) - 1)])):
                wrong.append(ids[0])
    assert wrong == []


def test_spanish_has_no_untranslated_fuzzy_or_copied_entry():
    assert problems("es") == []  # `make messages-todo` lists them


def test_spanish_catalog_holds_every_string_of_the_template():
    """After `make messages` the catalog has every msgid (new ones arrive empty and fail the test above)."""
    template = {m.id if isinstance(m.id, str) else m.id[0] for m in _read(LOCALES / "messages.pot") if m.id}
    spanish = {m.id if isinstance(m.id, str) else m.id[0] for m in _read(LOCALES / "es/LC_MESSAGES/messages.po")
               if m.id}
    assert template - spanish == set()


def test_spanish_plurals_have_every_form():
    catalog = _read(LOCALES / "es/LC_MESSAGES/messages.po")
    plurals = [m for m in catalog if isinstance(m.id, tuple)]
    assert plurals and all(len(m.string) == catalog.num_plurals and all(m.string) for m in plurals)
    i18n.set_language("es")
    assert i18n.ngettext("{n} check-in", "{n} check-ins", 1).format(n=1) == "1 registro"
    assert i18n.ngettext("{n} check-in", "{n} check-ins", 3).format(n=3) == "3 registros"


@pytest.mark.parametrize("msgid, msgstr, copied", [
    ("Save entry", "Save entry", True),
    ("Regroup", "Regroup", False),
    ("{n} min", "{n} min", False),
    ("{date}, {time}", "{date}, {time}", False),
    ("Alcohol", "Alcohol", False),
    ("Call {number}", "Call {number}", True),
    ("Save entry", "Guardar la entrada", False),
])
def test_a_translation_copied_from_english_is_caught_but_names_and_numbers_are_not(msgid, msgstr, copied):
    assert copied_english(msgid, msgstr) is copied


def test_a_new_string_without_words_is_listed_for_the_translator(tmp_path):
    po = tmp_path / "es" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "Today"\nmsgstr "Hoy"\n\nmsgid "Tomorrow"\nmsgstr ""\n\n'
                  '#, fuzzy\nmsgid "Later"\nmsgstr "Luego"\n\nmsgid "Never"\nmsgstr "Never"\n', encoding="utf-8")
    assert problems("es", tmp_path) == ["untranslated: 'Tomorrow'", "fuzzy: 'Later'",
                                        "copied from English: 'Never'"]


# --- compiled catalogs -------------------------------------------------------------------------------

def _catalog(root: Path, word: str) -> Path:
    po = root / "es" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  f'msgid "Today"\nmsgstr "{word}"\n', encoding="utf-8")
    return po


def test_a_catalog_is_compiled_once_into_the_ignored_folder_and_again_when_the_po_changes(tmp_path):
    po = _catalog(tmp_path, "Hoy")
    assert i18n.load_translations("es", tmp_path).gettext("Today") == "Hoy"
    mo = tmp_path / ".mo" / "es" / "LC_MESSAGES" / "messages.mo"
    assert mo.exists()
    first = mo.stat().st_mtime_ns
    assert i18n.compile_catalog("es", tmp_path) == mo and mo.stat().st_mtime_ns == first  # not redone
    _catalog(tmp_path, "Hoy mismo")
    os.utime(po, ns=(first + 10**9, first + 10**9))  # the .po is newer (an edit, a pull)
    assert i18n.load_translations("es", tmp_path).gettext("Today") == "Hoy mismo"  # never stale


def test_the_compiled_folder_is_ignored_by_git():
    assert "locales/.mo/" in (ROOT / ".gitignore").read_text().splitlines()


def test_a_read_only_app_folder_still_gets_its_translations(tmp_path, monkeypatch):
    _catalog(tmp_path, "Hoy")
    monkeypatch.setattr(Path, "mkdir", lambda *a, **k: (_ for _ in ()).throw(PermissionError()))
    assert i18n.compile_catalog("es", tmp_path) is None
    assert i18n.load_translations("es", tmp_path).gettext("Today") == "Hoy"  # compiled in memory


# --- the device's language, directions and formats -----------------------------------------------------

@pytest.mark.parametrize("device, language", [
    (["es-MX"], "es"), (["es_AR"], "es"), (["fr-FR", "es-ES"], "es"), (["en-US", "es-MX"], "en"),
    (["de-DE"], "en"), ([], "en"),
])
def test_a_first_run_speaks_the_first_device_language_we_have(device, language):
    assert i18n.language_for_device(device, ["en", "es"]) == language


def test_right_to_left_languages_mirror_the_layout():
    assert i18n.is_rtl("ar") and i18n.is_rtl("he") and i18n.is_rtl("fa")
    assert not i18n.is_rtl("es") and not i18n.is_rtl("en") and not i18n.is_rtl("xx")


@pytest.mark.parametrize("device, time, first, number", [
    (["es-MX"], "7:00 p.m.", "dom", "12,345.5"),    # Mexico: 12 hours, the week starts on Sunday
    (["es-ES"], "19:00", "lun", "12.345,5"),        # Spain: 24 hours, Monday
    (["es-AR"], "19:00", "lun", "12.345,5"),
    ([], "7:00 p.m.", "lun", "12,345.5"),           # no region: Latin American Spanish (es_419)
])
def test_spanish_formats_follow_the_region(device, time, first, number):
    i18n.set_device_locales(device)
    assert re.sub(r"\s", " ", i18n.format_hhmm("19:00", language="es")) == time
    assert i18n.weekday_names("es")[0] == first
    assert i18n.format_number(12345.5, language="es") == number


def test_calendar_weeks_start_on_the_locales_first_day():
    i18n.set_device_locales(["en-US"])
    assert i18n.first_weekday("en") == 6 and i18n.weekday_names("en")[0] == "Sun"
    i18n.set_device_locales(["en-GB"])
    assert i18n.first_weekday("en") == 0 and i18n.weekday_names("en")[0] == "Mon"


def test_dates_and_relative_days_in_spanish():
    i18n.set_device_locales(["es-MX"])
    today = dt.date(2026, 12, 1)
    assert i18n.format_date(today, format="full", language="es") == "martes, 1 de diciembre de 2026"
    assert [i18n.format_relative_day(today - dt.timedelta(days=k), today, language="es") for k in (0, 1, 3)] \
        == ["Hoy", "Ayer", "Hace 3 días"]
    assert i18n.format_relative(dt.timedelta(days=-2), language="es") == "hace 2 días"
    assert i18n.format_relative_day(today - dt.timedelta(days=1), today, language="en") == "Yesterday"


def test_switching_language_changes_every_string_at_once():
    assert i18n.set_language("es") == "es"
    assert (i18n._("Today"), i18n._("Get help now"), i18n._("Journal")) == ("Hoy", "Ayuda ahora", "Diario")
    assert i18n.set_language("en") == "en" and i18n._("Today") == "Today"


# --- crisis lines ------------------------------------------------------------------------------------

def test_every_crisis_text_has_a_spanish_version_written_for_it():
    directory = load_directory()
    missing = []
    for country in [*directory.countries.values(), directory.international]:
        texts = [(line.name, line.descriptions) for line in country.lines]
        texts += [(f"gap {g.kind}", g.notes) for g in country.gaps]
        texts += [("naloxone", country.naloxone.texts)] if country.naloxone else []
        texts += [(line.name, line.hours_texts) for line in country.lines
                  if re.search(r"[A-Za-z]{3}", line.hours)]  # hours in words, not "24/7"
        missing += [f"{country.code} {what}" for what, by_language in texts
                    if not by_language.get("es") or by_language["es"] == by_language["en"]]
    assert missing == []


def test_a_generic_line_name_is_translated_and_proper_names_stay():
    us = load_directory().get("US")
    assert us.of_kind("emergency")[0].name_in("es") == "Servicios de emergencia"
    assert us.of_kind("crisis")[0].name_in("es") == "988 Suicide & Crisis Lifeline"
    assert us.of_kind("emergency")[0].name_in("fr") == "Emergency services"  # English as the fallback


# --- content: content/<lang>/ file by file, else content/en/ -----------------------------------------

@pytest.fixture
def content(tmp_path):
    """English content as shipped, and a Spanish folder holding one journey and the prompts only."""
    shutil.copytree(ROOT / "content" / "en", tmp_path / "en")
    first = sorted((tmp_path / "en" / "journeys").glob("*.yaml"))[0]
    data = yaml.safe_load(first.read_text(encoding="utf-8"))
    data["title"] = "Después de la intervención"
    data["steps"][0]["title"] = "Este no es el final del camino"
    (tmp_path / "es" / "journeys").mkdir(parents=True)
    (tmp_path / "es" / "journeys" / first.name).write_text(yaml.safe_dump(data, allow_unicode=True),
                                                           encoding="utf-8")
    (tmp_path / "es" / "journal_prompts.yaml").write_text("prompts:\n  - ¿Qué ocupa hoy tus pensamientos?\n",
                                                          encoding="utf-8")
    return tmp_path, data


def test_content_uses_the_language_twin_and_english_for_files_not_translated_yet(content):
    root, data = content
    english, spanish = load_library("en", root), load_library("es", root)
    assert spanish.journey(data["id"]).title == "Después de la intervención"
    assert spanish.step(data["steps"][0]["id"]).title == "Este no es el final del camino"
    others = [j.id for j in english.journeys if j.id != data["id"]]
    assert others and all(spanish.journey(j).title == english.journey(j).title for j in others)
    assert [j.id for j in spanish.journeys] == [j.id for j in english.journeys]  # same ids, same order
    assert load_prompts("es", root) == ("¿Qué ocupa hoy tus pensamientos?",)
    assert localized("topics.yaml", "es", root) == root / "en" / "topics.yaml"


def test_a_language_without_content_reads_english(content):
    root, _data = content
    assert [j.title for j in load_library("fr", root).journeys] == [j.title for j in load_library("en", root).journeys]


def test_each_spanish_content_file_present_mirrors_its_english_twin():
    """content/es/ may arrive file by file; each file that is there has the English ids and step types."""
    def shape(path):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "steps" in data:
            return data["id"], [(s["id"], s["type"]) for s in data["steps"]]
        return None
    spanish = ROOT / "content" / "es"
    for path in sorted(spanish.rglob("*.yaml")) if spanish.is_dir() else []:
        twin = ROOT / "content" / "en" / path.relative_to(spanish)
        assert twin.exists(), f"{path.name} has no English twin"
        assert shape(path) == shape(twin), path.name


# --- the printable summary ---------------------------------------------------------------------------

def test_the_summary_pdf_speaks_spanish_with_mexican_formats_and_help_lines(tmp_path):
    import asyncio
    import pypdfium2 as pdfium
    from app.clock import FixedClock
    from app.services import Services
    from app.services.summary import SummaryOptions

    async def go():
        services = Services(tmp_path / "data", clock=FixedClock("2026-11-26T18:30:00Z", zone="America/Mexico_City"))
        await services.start()
        await services.update_settings(language="es", country="MX")
        i18n.set_language("es")
        for mood in (2, 3, 4):
            await services.checkins.add(mood=mood, stress=5)
        day_from, day_to = services.summary.default_range()
        made = await services.summary.make_pdf(SummaryOptions(day_from, day_to), country="MX")
        await services.close()
        return made
    i18n.set_device_locales(["es-MX"])
    made = asyncio.run(go())
    doc = pdfium.PdfDocument(made.data)
    text = " ".join(" ".join(page.get_textpage().get_text_range() for page in doc).split())
    for words in ("Resumen para mi sesión", "Ánimo y estrés", "Bienestar (WHO-5)", "Recorridos",
                  "Si necesitas ayuda ahora: México", "Página 1 de", "Del 29 ago 2026 al 26 nov 2026"):
        assert words in text, words
    assert "Mood and stress" not in text and "Page 1 of" not in text


def test_half_typed_words_are_saved_before_the_app_is_redrawn_in_another_language():
    import asyncio
    from screens.steps import Saver
    saved = []

    async def go():
        async def keep():
            saved.append("draft")
        saver = Saver(None, keep)
        saver.changed()  # typing: the save would wait for a pause
        await Saver.flush_all()  # what Shell.choose_language does first
        return saver
    asyncio.run(go())
    assert saved == ["draft"]


def test_strings_added_later_go_out_as_json_and_come_back_translated(tmp_path):
    """The lead's path after a merge: make messages, export what lacks words, fill it in, import it."""
    import json
    from app.i18n_check import export_todo, import_todo
    po = tmp_path / "es" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                  '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
                  'msgid "Today"\nmsgstr "Hoy"\n\nmsgid "Inbox"\nmsgstr ""\n\n'
                  'msgid "{n} message"\nmsgid_plural "{n} messages"\nmsgstr[0] ""\nmsgstr[1] ""\n', encoding="utf-8")
    todo = tmp_path / "todo.json"
    assert export_todo("es", todo, tmp_path) == 2
    items = json.loads(todo.read_text(encoding="utf-8"))
    assert [i["msgid"] for i in items] == ["Inbox", "{n} message"]
    items[0]["msgstr"], items[1]["msgstr"] = "Bandeja de entrada", ["{n} mensaje", "{n} mensajes"]
    todo.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    assert import_todo("es", todo, tmp_path) == 2
    assert problems("es", tmp_path) == []
    assert i18n.load_translations("es", tmp_path).ngettext("{n} message", "{n} messages", 4) == "{n} mensajes"
