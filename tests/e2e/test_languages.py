"""Languages in the browser: a Spanish browser gets Spanish and Mexico, the whole app switches language at
once without losing a half-written entry, and a right-to-left pseudo-locale shows no English on any screen."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from app.i18n_pseudo import write_pseudo_catalog
from app.store.journal import get_draft
from tests.e2e.harness import seed, stored

ROOT = Path(__file__).resolve().parents[2]


def typed(phone, label: str) -> str:
    """What a text field holds: Flutter puts a real input in the page only for the focused field."""
    phone.focus("textbox", label)  # waits for the page's real editor to hold the focus
    return "|".join(phone.page.locator("input, textarea").evaluate_all("els => els.map(e => e.value)"))


def test_a_mexican_browser_starts_in_spanish_and_the_welcome_switches_language_keeping_the_name(
        start_app, open_phone):
    app = start_app()
    phone = open_phone(app.url, locale="es-MX")
    phone.wait("heading", "Bienvenida")
    phone.see("País: México")
    phone.wait("button", "Ayuda ahora")
    phone.type_into("Tu nombre (opcional)", "Lupita")  # its change goes over the socket before the tap below
    phone.tap("radio", "English")
    phone.wait("heading", "Welcome")  # the whole screen at once, no restart
    phone.see("Country: Mexico")
    assert "Lupita" in typed(phone, "Your first name (optional)")  # what was typed stays
    phone.tap("radio", "Español")
    phone.wait("heading", "Bienvenida")
    phone.tap("button", "Empezar a usar Regroup")
    phone.tap("button", "Ahora no")
    phone.wait("heading", "Hoy")
    phone.see("Lupita")
    phone.wait("tab", "Diario")
    phone.screenshot("es-today")
    phone.tap("button", "Ayuda ahora")
    phone.wait("button", "Llamar al 911")
    phone.see("Apoyo gratuito y confidencial en crisis emocional")  # the line's Spanish description
    phone.see("Horario: 24/7")
    phone.screenshot("es-help-mexico")


def test_switching_language_in_settings_redraws_everything_and_keeps_a_half_written_entry(start_app, open_phone,
                                                                                          tmp_path):
    seed(tmp_path / "data", onboarded=True, country="US", language="en")
    app = start_app(tmp_path / "data")
    phone = open_phone(app.url, locale="en-US")
    phone.tap("tab", "Journal")
    phone.tap("button", "Write an entry")
    phone.type_into("What is on your mind?", "Half a thought about Sunday")
    # the draft is kept a moment after typing stops: wait for it in the store, not for a fixed time
    stored(tmp_path / "data", lambda s: (get_draft(s) or {}).get("body"), expected="Half a thought about Sunday")
    phone.tap("button", "Back")
    phone.tap("tab", "More")
    phone.tap("button", "Settings Country, name, theme and check-in time")
    phone.tap("radio", "Español")
    phone.wait("heading", "Ajustes")
    phone.tap("button", "Atrás")
    phone.wait("heading", "Más")  # the page under Settings was redrawn in Spanish too
    for tab in ("Hoy", "Recorridos", "Diario", "Registro", "Más"):  # the navigation too, at once
        phone.wait("tab", tab)
    phone.tap("tab", "Diario")
    phone.tap("button", "Escribir una entrada")
    phone.wait("heading", "Nueva entrada")
    phone.see("Recuperamos lo que estabas escribiendo.")
    assert "Half a thought about Sunday" in typed(phone, "¿Qué tienes en mente?")
    phone.screenshot("es-entry-draft-kept")

    # Flutter's own words follow the language too (locale_configuration): the close button of a message
    phone.tap("button", "Atrás")
    phone.tap("tab", "Registro")
    phone.tap("button", "Más o menos")
    phone.tap("button", "Guardar el registro")
    phone.see("Registro guardado.")
    names = phone.page.evaluate("""() => [...document.querySelectorAll('flt-semantics[role=button]')]
        .map(e => (e.getAttribute('aria-label') || e.textContent || '').trim())""")
    assert not {"Dismiss", "Close"} & set(names), names
    assert "Cerrar" in names or "Descartar" in names, names


# --- pseudo-locale, right to left --------------------------------------------------------------------

WRAPPED = re.compile(r"\[!! (?:(?!\[!! ).)*? !!\]", re.S)
ROUTES = ["/today", "/journeys", "/journal", "/checkin", "/more", "/settings", "/privacy", "/about", "/help",
          "/trends", "/who5", "/summary", "/export", "/import", "/erase", "/loved-one", "/about-content",
          "/entry/new", "/pin", "/journey/after", "/step/after/not-the-end", "/step/after/keep-safe",
          "/step/after/debrief", "/step/learn/myths"]
# Words that are the same in every language: the app's name, and units shown beside numbers.
ALLOWED = {"Regroup", "PIN", "PDF", "WHO", "min", "https", "www", "org", "com"}


def _content_texts() -> str:
    """Every text in content/ (journeys, prompts, crisis lines): exempt until content/<lang>/ exists."""
    found = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
    for path in (ROOT / "content").rglob("*.yaml"):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return re.sub(r"\*+|__|^#+ |^- ", "", "\n".join(found), flags=re.M)  # as Markdown shows it


def unwrapped_english(text: str, content: str) -> list[str]:
    """Pieces of screen text with English words outside any "[!! ... !!]" and not from content/."""
    left = text
    while True:  # innermost first: a wrapped sentence can hold a wrapped word
        stripped = WRAPPED.sub(" ", left)
        if stripped == left:
            break
        left = stripped
    found = []
    for piece in re.split(r"\n| {2,}| · ", left):
        parts = [part.strip(" .,:;()·-") for part in piece.split(", ")]  # "Names, 2004": content and a year
        if any(_english(part) and part not in content for part in parts):
            found.append(piece.strip())
    return found


def _english(text: str) -> bool:
    return any(w not in ALLOWED for w in re.findall(r"[A-Za-z]{2,}", text))


def test_a_pseudo_locale_walk_finds_no_english_outside_the_catalog_and_mirrors_right_to_left(
        start_app, open_phone, tmp_path):
    write_pseudo_catalog(tmp_path / "locales", "ar")
    app = start_app(env={"REGROUP_LOCALES_DIR": str(tmp_path / "locales")})
    phone = open_phone(app.url, locale="ar")
    content = _content_texts()
    seen: dict[str, list[str]] = {}

    phone.wait("heading", "[!! Welcome !!]")
    seen["/welcome"] = unwrapped_english(phone.screen_text(), content)
    phone.screenshot("rtl-1-welcome")
    phone.tap("button", "[!! Start using Regroup !!]")
    phone.tap("button", "[!! Not now !!]")
    phone.wait("heading", "[!! Today !!]")
    box = phone.control("button", "[!! Get help now !!]").first.bounding_box()
    assert box["x"] < 412 / 2, "right to left: Get help now moves to the left end of the app bar"
    phone.screenshot("rtl-2-today")
    texts = {}
    for route in ROUTES:
        if route != "/today":  # where it is
            phone.visit(route)
        texts[route] = phone.screen_text()
        seen[route] = unwrapped_english(texts[route], content)
        if route == "/checkin":
            phone.screenshot("rtl-3-checkin")
    assert {route: found for route, found in seen.items() if found} == {}
    assert len(set(texts.values())) == len(ROUTES), "every address drew its own screen"
