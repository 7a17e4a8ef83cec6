"""The Spanish content (content/es/): a twin of every English file, validated by the same rules, easy to read
in Spanish (Fernández Huerta 70 or more), and with no passage left in English (issue 15).

The files are loaded one by one with the loader's own functions, so these tests do not depend on how the app
picks a language (that is the loader's job, tested with it).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import textstat
import yaml

from app import content as c
from app.paths import CONTENT_DIR
from tests.test_content import plain, sentence, step_text

EN, ES = CONTENT_DIR / "en", CONTENT_DIR / "es"
ENGLISH_FILES = sorted(p.relative_to(EN).as_posix() for p in EN.rglob("*.yaml"))

# Files not yet translated. Each is an expected failure (strict: once the twin exists, the entry must go).
NOT_YET: dict[str, str] = {}

# Keys whose text a family reads: these differ between the twins; everything else (ids, types, topics,
# sources, numbers, checks, icons) must be identical.
TEXT_KEYS = {"title", "summary", "body", "text", "label", "help", "example", "model_answer", "low_label",
             "high_label", "question", "statement", "explanation", "yes_label", "no_label", "if_yes", "intro"}
# Per file: keys that hold text there although they are not text elsewhere, and keys that stay as written.
FILE_TEXT_KEYS = {"journal_prompts.yaml": TEXT_KEYS | {"prompts"}, "sources.yaml": {"about"},
                  "safety.yaml": TEXT_KEYS | {"opioids", "alcohol_benzos", "violence"}}
# Same in both languages on purpose: proper names and numbers.
SAME_ALLOWED = {"CRAFT", "Al-Anon", "Nar-Anon"}

# Very common English words that are not also common Spanish words (no "a", "no", "he", "me", "son").
ENGLISH = set("""the and you your to of is it that with for are this they what not can be have will when do if or
on at my we our how their them was were would should could about from there been which who but just
out up one all so than then into only also very some any more most other because while after before where
why does did don't can't won't it's i'm you're they're let's here get give take make help feel need want
know see say said try this next step time day week people family loved""".split())


def _skeleton(node, text_keys, key=None):
    """The file with every family-facing text replaced by a marker: what must match between the twins."""
    if isinstance(node, dict):
        return {k: _skeleton(v, text_keys, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_skeleton(v, text_keys, key) for v in node]
    if isinstance(node, str) and key in text_keys:
        return "<text>"
    return node


def _texts(node, text_keys, key=None, path=""):
    """(path, text) for every family-facing text in a file."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _texts(v, text_keys, k, f"{path}/{node.get('id', '')}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _texts(v, text_keys, key, f"{path}[{i}]")
    elif isinstance(node, str) and key in text_keys:
        yield path, node


def _load(root: Path, relative: str):
    return yaml.safe_load((root / relative).read_text(encoding="utf-8"))


def _twin_or_skip(relative: str):
    if not (ES / relative).is_file():
        pytest.skip(f"content/es/{relative} is not written yet")
    return _load(EN, relative), _load(ES, relative)


def _spanish_files() -> list[str]:
    return [r for r in ENGLISH_FILES if (ES / r).is_file()]


@pytest.fixture
def spanish_textstat():
    textstat.set_lang("es")
    try:
        yield textstat
    finally:
        textstat.set_lang("en_US")


# --- twins --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("relative", [
    pytest.param(r, marks=pytest.mark.xfail(reason=NOT_YET[r], strict=True)) if r in NOT_YET else r
    for r in ENGLISH_FILES])
def test_every_english_file_has_a_spanish_twin(relative):
    assert (ES / relative).is_file(), f"content/es/{relative} is missing"


def test_no_spanish_file_without_an_english_original():
    extra = sorted(p.relative_to(ES).as_posix() for p in ES.rglob("*.yaml")) if ES.is_dir() else []
    assert [r for r in extra if r not in ENGLISH_FILES] == []


@pytest.mark.parametrize("relative", ENGLISH_FILES)
def test_the_twin_has_the_same_ids_types_and_structure(relative):
    en, es = _twin_or_skip(relative)
    keys = FILE_TEXT_KEYS.get(Path(relative).name, TEXT_KEYS)
    assert _skeleton(es, keys) == _skeleton(en, keys)


@pytest.mark.parametrize("relative", ENGLISH_FILES)
def test_every_text_is_rewritten_not_copied(relative):
    en, es = _twin_or_skip(relative)
    keys = FILE_TEXT_KEYS.get(Path(relative).name, TEXT_KEYS)
    copied = [(where, text) for (where, text), (_, original) in zip(_texts(es, keys), _texts(en, keys))
              if text.strip() == original.strip() and text.strip() not in SAME_ALLOWED]
    assert copied == []


def _looks_english(text: str) -> list[str]:
    """The common English words of a text, when they are too many for a Spanish text (else [])."""
    words = re.findall(r"[a-záéíóúüñ']+", re.sub(r"\*\*|[*_#`]", "", text).lower())
    english = [w for w in words if w in ENGLISH]
    return english if len(english) >= 2 and len(english) / len(words) >= 0.15 else []


@pytest.mark.parametrize("relative", ENGLISH_FILES)
def test_no_passage_is_left_in_english(relative):
    _, es = _twin_or_skip(relative)
    keys = FILE_TEXT_KEYS.get(Path(relative).name, TEXT_KEYS)
    for where, text in _texts(es, keys):
        assert not _looks_english(text), f"{relative} {where}: {_looks_english(text)}"


def test_the_english_heuristic_would_catch_an_untranslated_passage():
    """Not vacuous: nearly every English passage of a sentence or more is caught by it."""
    passages = [text for r in ENGLISH_FILES for _, text in _texts(_load(EN, r), FILE_TEXT_KEYS.get(
        Path(r).name, TEXT_KEYS)) if len(text.split()) >= 8]
    caught = [t for t in passages if _looks_english(t)]
    assert len(caught) >= 0.95 * len(passages), [t for t in passages if t not in caught][:5]


# --- the same validation as English ---------------------------------------------------------------------------

def _spanish_library():
    """Load every Spanish file with the loader's rules; a file not yet written is taken from English so that
    cross-file rules (right_now names coping steps) can still be checked."""
    at = lambda r: (ES if (ES / r).is_file() else EN) / r  # noqa: E731
    topics = c.load_topics(at("topics.yaml"))
    sources = c.load_sources(at("sources.yaml"))
    journeys = [c.load_journey(at(f"journeys/{p.name}"), {t.id for t in topics}, {s["id"] for s in sources})
                for p in sorted((EN / "journeys").glob("*.yaml"))]
    notes, checks, gentle = c.load_safety(at("safety.yaml"))
    steps = {s.id: s for j in journeys for s in j.steps}
    right_now = c.load_right_now(at("right_now.yaml"), steps)
    from app import domain as d
    return d.Library(journeys=tuple(sorted(journeys, key=lambda j: j.order)), topics=topics,
                     safety_notes=notes, sources=sources, checks=checks, gentle_help=gentle, right_now=right_now)


@pytest.fixture(scope="module")
def library():
    return _spanish_library()


SPANISH_JOURNEYS = [p for p in _spanish_files() if p.startswith("journeys/")]


def _es_journey(library, relative):
    journey_id = _load(ES, relative)["id"]
    return library.journey(journey_id)


def test_spanish_content_passes_the_loaders_validation(library):
    assert [j.id for j in library.journeys] == ["after", "learn", "reapproach", "coping"]
    assert c.load_prompts("es") if (ES / "journal_prompts.yaml").is_file() else True


@pytest.mark.parametrize("relative", SPANISH_JOURNEYS)
def test_spanish_journeys_keep_the_form_rules(library, relative):
    """The content guide's form, as tests/test_content.py checks it for English."""
    journey = _es_journey(library, relative)
    assert journey.summary
    for step in journey.steps:
        if step.type == "lesson":
            words = len(plain(step.body).split())
            assert 150 <= words <= 400, f"{step.id}: {words} words"
            assert "Prueba esto:" in step.body.strip().splitlines()[-1], step.id
        for field in step.fields:
            for option in field.options:
                assert len(option.text) <= 40, f"{step.id}.{field.id}: {option.text}"


# Person-first language in Spanish: no labels for the person, no "tocar fondo", no "amor duro".
BANNED_ES = ["adicto", "adicta", "adictos", "adictas", "drogadicto", "drogadicta", "alcohólico", "alcohólica",
             "alcohólicos", "alcohólicas", "yonqui", "yonki", "drogata", "limpio", "limpia", "sucio", "sucia",
             "tocar fondo", "toque fondo", "toca fondo", "amor duro", "codependiente", "facilitador", "facilitadora"]


@pytest.mark.parametrize("relative", SPANISH_JOURNEYS)
def test_no_stigmatising_words_in_spanish(library, relative):
    for step in _es_journey(library, relative).steps:
        unquoted = re.sub(r'"[^"]*"', "", step_text(step)).lower()
        for word in BANNED_ES:
            assert not re.search(rf"\b{re.escape(word)}\b", unquoted), f"{step.id}: '{word}'"


# --- reading ease: Fernández Huerta 70 or more, measured on the same passages as the English grade check -------

MIN_EASE = 70


@pytest.mark.parametrize("relative", SPANISH_JOURNEYS)
def test_every_step_reads_easily_in_spanish(library, relative, spanish_textstat):
    for step in _es_journey(library, relative).steps:
        ease = spanish_textstat.fernandez_huerta(step_text(step))
        assert ease >= MIN_EASE, f"{step.id}: Fernández Huerta {ease}"


def test_safety_texts_and_the_right_now_kit_read_easily_in_spanish(library, spanish_textstat):
    if not (ES / "safety.yaml").is_file() or not (ES / "right_now.yaml").is_file():
        pytest.skip("content/es/safety.yaml or right_now.yaml is not written yet")
    passages = {f"note {k}": plain(v) for k, v in library.safety_notes.items()}
    passages |= {f"check {k}": f"{x.question} {x.if_yes}" for k, x in library.checks.items()}
    passages["gentle help"] = library.gentle_help["body"]
    kit = library.right_now
    passages["right now"] = plain("\n".join([kit.title, kit.intro, kit.danger.question, kit.danger.if_yes,
                                             kit.note_title] + [sentence(f.label) for f in kit.note_fields]))
    for name, text in passages.items():
        ease = spanish_textstat.fernandez_huerta(text)
        assert ease >= MIN_EASE, f"{name}: Fernández Huerta {ease}"


def test_journal_prompts_and_journey_summaries_read_easily_in_spanish(library, spanish_textstat):
    passages = {f"summary {j.id}": f"{sentence(j.title)} {j.summary}" for j in library.journeys
                if (ES / "journeys").is_dir() and any(_load(ES, r)["id"] == j.id for r in SPANISH_JOURNEYS)}
    if (ES / "journal_prompts.yaml").is_file():
        passages["journal prompts"] = "\n".join(c.load_prompts("es"))
    for name, text in passages.items():
        ease = spanish_textstat.fernandez_huerta(text)
        assert ease >= MIN_EASE, f"{name}: Fernández Huerta {ease}"


def test_textstat_is_back_in_english_after_the_spanish_checks():
    """The fixture restores en_US, so tests/test_content.py's grade check still measures English."""
    sample = "Keep naloxone near. Call the emergency number first."
    assert textstat.flesch_kincaid_grade(sample) < 8


# --- safety facts, exact in Spanish --------------------------------------------------------------------------

SAFETY_WORDS = {
    "after.keep-safe": ["número de emergencias", "naloxona", "segunda dosis", "posición de recuperación",
                        "quédate a su lado", "fentanilo", "pastillas falsas", "estimulantes", "cocaína",
                        "convulsiones", "puede ser mortal", "benzodiacepinas"],
    "after.suicide": ["pregúntale de frente", "armas de fuego", "pastillas", "quédate a su lado",
                      "línea de crisis", "número de emergencias"],
    "coping.safe-at-home": ["hijo o una hija ya adultos", "plan de seguridad", "palabra clave",
                            "número de emergencias"],
    "coping.breathe": ["en 4", "en 6"],
}


@pytest.mark.parametrize("step_id", sorted(SAFETY_WORDS))
def test_the_safety_facts_are_all_there_in_spanish(library, step_id):
    step = library.step(step_id)
    if step_id.split(".")[0] not in {_load(ES, r)["id"] for r in SPANISH_JOURNEYS}:
        pytest.skip(f"the journey of {step_id} is not in Spanish yet")
    text = step_text(step).lower()
    missing = [w for w in SAFETY_WORDS[step_id] if w not in text]
    assert missing == []
    english = c.load_library("en").step(step_id)
    assert (step.safety, step.check, step.get_help, step.country_note, step.sources) == (
        english.safety, english.check, english.get_help, english.country_note, english.sources)


def test_the_safety_step_keeps_every_section_in_spanish(library):
    step = library.step(c.SAFETY_STEP)
    assert {x.id for x in step.sections} == {"overdose", "fentanyl", "withdrawal", "violence"}


def test_no_us_only_number_in_the_spanish_journeys(library):
    """A worked example in English says 'call 911'; in Spanish it says the emergency number, since readers are
    in many countries (Get help now has each country's number)."""
    text = "\n".join(step_text(s) for r in SPANISH_JOURNEYS for s in _es_journey(library, r).steps)
    if (ES / "safety.yaml").is_file():
        text += "\n".join(library.safety_notes.values())
    assert not re.search(r"\b(911|988)\b", text)


# --- every fact issue 11 names, stated in Spanish too ---------------------------------------------------------

# The Spanish words for each fact of tests/test_content.py's FACTS, in the same step. A new English fact fails
# test_every_english_fact_has_spanish_words until its Spanish words are added here.
FACTS_ES = {
    "craft_engagement_1999": ("reapproach.invitation", "cerca de 2 de cada 3 familias"),
    "craft_drug_trials": ("reapproach.invitation", "con familias de personas que usan drogas"),
    "confrontation_not_the_way": ("reapproach.what-to-change", "repetir una confrontación sorpresa no es el camino"),
    "al_anon_not_for_engagement": ("learn.help-for-you", "no están hechos para llevar a tu ser querido a tratamiento"),
    "al_anon_nar_anon": ("learn.help-for-you", "nar-anon es para familias de personas que usan drogas"),
    "alateen_narateen": ("coping.children", "narateen"),
    "recovery_attempts": ("after.not-the-end", "dos intentos serios o menos"),
    "methadone_buprenorphine_mortality": ("learn.treatment", "baja el riesgo de morir"),
    "naltrexone_opioid_free_days": ("learn.treatment", "de 7 a 10 días sin opioides"),
    "disulfiram": ("learn.treatment", "no quita las ganas de beber"),
    "acamprosate": ("learn.treatment", "ayuda al cerebro a recuperar el equilibrio cuando se deja de beber"),
    "detox_overdose_risk": ("learn.treatment", "sube el riesgo de una sobredosis mortal"),
    "contingency_management": ("learn.treatment", "manejo de contingencias"),
    "bad_programme_red_flags": ("learn.finding-care", "patient brokering"),
    "finding_care": ("learn.finding-care", "findtreatment.gov"),
    "craft_sober_regretful_moment": ("reapproach.what-to-change", "lamenta algo que causó su consumo"),
    "craft_functional_analysis": ("learn.their-use", "lo que lo dispara"),
    "craft_positive_communication": ("reapproach.pius", "responsabilidad compartida"),
    "craft_rewarding_sober_time": ("reapproach.reward-and-consequences", "que el tiempo sobrio se sienta bien"),
    "craft_problem_solving": ("coping.problem-solving", "problema"),
    "craft_inviting_to_treatment": ("reapproach.inviting", "actúa en menos de 48 horas"),
    "overdose_response": ("after.keep-safe", "dale una segunda dosis"),
    "fentanyl_in_pills_and_stimulants": ("after.keep-safe", "estimulantes como la cocaína"),
    "withdrawal_can_kill": ("after.keep-safe", "puede ser mortal"),
    "suicide_ask_directly": ("after.suicide", "pregúntale de frente"),
    "suicide_lethal_means": ("after.suicide", "armas de fuego"),
    "safety_plan": ("coping.safety-plan", "palabra clave"),
    "child_to_parent_violence": ("coping.safe-at-home", "hijo o una hija ya adultos hacia su madre o su padre"),
    "post_release_overdose": ("reapproach.hard-decisions", "después de cualquier encierro"),
    "involuntary_commitment": ("reapproach.hard-decisions", "tratamiento en contra de su voluntad"),
    "breathing_slow_exhale": ("coping.breathe", "suéltalo despacio por la boca en 6"),
    "children_and_family": ("coping.children", "tú no lo causaste"),
    "itc_values_self_compassion": ("coping.your-life", "sé amable contigo"),
}


def test_every_english_fact_has_spanish_words():
    from tests.test_content import FACTS
    assert sorted(f for f, (step, _) in FACTS.items() if step) == sorted(FACTS_ES)
    assert all(FACTS[f][0] == FACTS_ES[f][0] for f in FACTS_ES)


@pytest.mark.parametrize("fact", sorted(FACTS_ES))
def test_every_fact_is_stated_in_spanish_in_the_same_step(library, fact):
    step_id, words = FACTS_ES[fact]
    assert words in step_text(library.step(step_id)).lower(), f"{step_id} does not say '{words}'"


def test_every_medicine_has_its_own_line_in_spanish(library):
    text = library.step("learn.treatment").body.lower()
    for name in ("metadona", "buprenorfina", "naltrexona", "acamprosato", "disulfiram"):
        assert f"**{name}" in text, name
    assert "de 10 a 14 después de la metadona o la buprenorfina" in text
    assert "naloxona" in library.safety_notes["opioids"].lower()
    assert "convulsiones" in library.safety_notes["alcohol_benzos"]
    assert "hijo o una hija ya adulto" in library.safety_notes["violence"]


def test_the_sober_regretful_moment_is_the_window_everywhere_in_spanish(library):
    for step_id in ("after.why-it-failed", "reapproach.what-to-change", "reapproach.invitation",
                    "reapproach.inviting", "coping.talk"):
        assert "lamenta algo que causó su consumo" in step_text(library.step(step_id)).lower(), step_id


def test_natural_consequences_and_boundaries_come_after_the_violence_check_in_spanish(library):
    assert library.checks["violence"].question == "¿Alguien corre el riesgo de salir lastimado si haces esto?"
    for step in (s for j in library.journeys for s in j.steps):
        text = step_text(step).lower()
        if "consecuencias naturales" in text or "consecuencia natural" in text or "healthy_boundaries" in step.topics:
            assert step.check == "violence", step.id


def test_the_boundary_example_keeps_the_crisis_exception_in_spanish(library):
    crossed = next(f for f in library.step("coping.boundary-sheet").fields if f.id == "if_crossed")
    assert "emergencias" in crossed.example and "buzón de voz" in crossed.example
    assert "emergencia" in library.step("coping.boundaries").body.lower()
    assert "toma aire en 4 y suéltalo en 6" in library.step("coping.stress").body.lower()


@pytest.mark.parametrize("promise", ["va a entrar a tratamiento", "esto hará que", "todos se recuperan",
                                     "la mayoría se recupera", "tu especialista"])
def test_no_outcome_promises_and_no_assumed_specialist_in_spanish(library, promise):
    text = "\n".join(step_text(s) for j in library.journeys for s in j.steps).lower()
    assert promise not in text


def test_a_journey_or_step_named_in_a_text_is_named_by_its_spanish_title(library):
    """English says "see *Understanding addiction*"; the Spanish twin must name the same journey or step by the
    title it has in Spanish, so a reader can find it."""
    english = c.load_library("en")
    by_title = {j.title: j.id for j in english.journeys} | {s.title: s.id for j in english.journeys for s in j.steps}
    spanish_title = {j.id: j.title for j in library.journeys} | {s.id: s.title for j in library.journeys
                                                                 for s in j.steps}
    texts_en = {s.id: s.body for j in english.journeys for s in j.steps} | {
        f"note {k}": v for k, v in english.safety_notes.items()}
    texts_es = {s.id: s.body for j in library.journeys for s in j.steps} | {
        f"note {k}": v for k, v in library.safety_notes.items()}
    for where, text in texts_en.items():
        for named in re.findall(r"(?<!\*)\*([^*\n]+)\*(?!\*)", text):
            if named in by_title:
                wanted = spanish_title[by_title[named]]
                assert f"*{wanted}*" in texts_es[where], f"{where} should name *{wanted}*"
