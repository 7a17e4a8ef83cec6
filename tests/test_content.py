"""The journeys' content: complete, readable, covering every topic, and loud about broken files."""

from __future__ import annotations

import re
import shutil

import pytest
import textstat
import yaml

from app.content import ContentError, load_journey, load_library, load_topics
from app.paths import CONTENT_DIR

EN = CONTENT_DIR / "en"
BANNED = ["addict", "addicts", "junkie", "alcoholic", "alcoholics", "clean", "dirty", "rock bottom",
          "tough love", "enabler", "enabling"]


@pytest.fixture(scope="module")
def library():
    return load_library("en")


def plain(markdown: str) -> str:
    text = re.sub(r"[*_#>`]", "", markdown)
    text = re.sub(r"^\s*[-\d]+[.)]?\s+", "", text, flags=re.M)  # list markers
    return text


def sentence(text: str) -> str:
    """Items and labels stand alone on screen; end them like sentences so they are measured as such."""
    text = text.strip()
    return text if not text or text[-1] in ".?!:" else text + "."


def step_text(step) -> str:
    parts = [sentence(step.title), step.body, step.question or ""]
    parts += [p.text for p in step.prompts] + [sentence(i.text) for i in step.items] + [b.text for b in step.bands]
    parts += [f"{c.statement} {c.explanation}" for c in step.cards] + [sentence(p.label) for p in step.phases]
    for f in step.fields:
        parts += [sentence(f.label), f.help or "", sentence(f.example or "")] + [sentence(o.text) for o in f.options]
    return plain("\n".join(p for p in parts if p))


def test_four_journeys_load_in_order(library):
    assert [j.id for j in library.journeys] == ["after", "learn", "reapproach", "coping"]


def test_each_journey_has_6_to_10_steps_of_3_to_10_minutes_and_a_summary(library):
    for journey in library.journeys:
        assert 6 <= len(journey.steps) <= 10, journey.id
        assert journey.summary
        assert all(3 <= s.minutes <= 10 for s in journey.steps)


def test_step_ids_are_unique_across_journeys_and_prefixed(library):
    ids = [s.id for j in library.journeys for s in j.steps]
    assert len(ids) == len(set(ids))
    assert all(s.id.startswith(j.id + ".") for j in library.journeys for s in j.steps)


def test_every_step_type_is_used(library):
    used = {s.type for j in library.journeys for s in j.steps}
    assert used == {"lesson", "reflection", "checklist", "worksheet", "scale", "practice", "quiz"}


def test_every_topic_of_the_source_article_is_covered_by_a_step(library):
    covered = {t for j in library.journeys for s in j.steps for t in s.topics}
    missing = [t.id for t in library.topics if t.id not in covered]
    assert missing == []


def test_topic_list_spans_every_section_of_the_article(library):
    sections = {t.section for t in library.topics}
    assert sections == {"reasons", "emotional_support", "reapproach", "education", "long_term"}


@pytest.mark.parametrize("journey_id", ["after", "learn", "reapproach", "coping"])
def test_reading_level_is_grade_8_or_lower(library, journey_id):
    for step in library.journey(journey_id).steps:
        grade = textstat.flesch_kincaid_grade(step_text(step))
        assert grade <= 8, f"{step.id}: Flesch-Kincaid grade {grade}"


def test_lessons_are_150_to_400_words_and_end_with_something_to_do(library):
    for step in (s for j in library.journeys for s in j.steps if s.type == "lesson"):
        words = len(plain(step.body).split())
        assert 150 <= words <= 400, f"{step.id}: {words} words"
        assert "Try this:" in step.body.strip().splitlines()[-1], step.id


def test_no_stigmatising_words_outside_quotation_marks(library):
    for step in (s for j in library.journeys for s in j.steps):
        unquoted = re.sub(r'"[^"]*"', "", step_text(step)).lower()
        for word in BANNED:
            assert not re.search(rf"\b{re.escape(word)}\b", unquoted), f"{step.id}: '{word}'"


def test_the_reapproach_plan_is_a_worksheet_with_every_part(library):
    plan = library.step("reapproach.plan")
    assert plan.type == "worksheet" and plan.kind == "reapproach_plan"
    assert {"last_time", "who", "when_where", "what_we_say", "help_we_offer", "boundaries",
            "professional"} <= {f.id for f in plan.fields}


def test_medication_facts_are_right(library):
    text = library.step("learn.treatment").body
    for name in ("methadone", "buprenorphine", "naltrexone", "acamprosate", "disulfiram"):
        assert name in text
    assert "naloxone" in library.safety_notes["opioids"].lower()
    assert "seizures" in library.safety_notes["alcohol_benzos"]


def test_choice_options_fit_one_line_on_a_small_phone(library):
    """Flet draws a radio's label on one line; at 360 px about 40 characters fit."""
    for step in (s for j in library.journeys for s in j.steps):
        for field in step.fields:
            for option in field.options:
                assert len(option.text) <= 40, f"{step.id}.{field.id}: {option.text}"


def test_scale_bands_interpret_every_answer(library):
    ruler = library.step("reapproach.readiness")
    assert all(ruler.band_for(v) for v in range(ruler.min, ruler.max + 1))


def test_sources_are_named_documents(library):
    titles = " ".join(s["title"] + s["by"] for s in library.sources)
    for expected in ("Get Your Loved One Sober", "Invitation to Change", "SAMHSA", "NIDA"):
        assert expected in titles


# --- broken files -------------------------------------------------------------------

@pytest.fixture
def journey_file(tmp_path):
    def write(mutate):
        data = yaml.safe_load((EN / "journeys" / "1-after.yaml").read_text())
        mutate(data)
        path = tmp_path / "9-broken.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True))
        return path
    return write


TOPICS = {t.id for t in load_topics(EN / "topics.yaml")}


@pytest.mark.parametrize("mutate, where, field", [
    (lambda d: d["steps"][0].update(type="video"), "after.not-the-end", "type"),
    (lambda d: d["steps"][0].pop("body"), "after.not-the-end", "body"),
    (lambda d: d["steps"][1].update(id="after.not-the-end"), "journey", "steps"),
    (lambda d: d["steps"][0].update(minutes=45), "after.not-the-end", "minutes"),
    (lambda d: d["steps"][0].update(topics=["astrology"]), "after.not-the-end", "topics"),
    (lambda d: d["steps"][0].update(id="other.step"), "other.step", "id"),
    (lambda d: d["steps"][0].update(colour="red"), "after.not-the-end", "colour"),
    (lambda d: d["steps"][5]["fields"][3].pop("options"), "after.debrief", "options"),
    (lambda d: d["steps"][5]["fields"][0].update(type="date"), "after.debrief", "type"),
    (lambda d: d.update(steps=d["steps"][:3]), "journey", "steps"),
    (lambda d: d.pop("title"), "journey", "title"),
])
def test_broken_journey_names_the_file_the_step_and_the_field(journey_file, mutate, where, field):
    path = journey_file(mutate)
    with pytest.raises(ContentError) as err:
        load_journey(path, TOPICS)
    assert err.value.file == "9-broken.yaml"
    assert where in err.value.where
    assert err.value.field == field


def test_invalid_yaml_says_which_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\nsteps:\n  - id: [unclosed\n")
    with pytest.raises(ContentError, match=r"bad.yaml: line \d+"):
        load_journey(path, TOPICS)


def test_a_step_id_used_in_two_journeys_is_refused(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    data = yaml.safe_load((content / "en" / "journeys" / "2-learn.yaml").read_text())
    data["id"] = "after"
    (content / "en" / "journeys" / "2-learn.yaml").write_text(yaml.safe_dump(data))
    data["steps"][0]["id"] = "after.not-the-end"
    (content / "en" / "journeys" / "2-learn.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError):
        load_library("en", content)


def test_a_fifth_journey_needs_only_a_content_file(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    data = yaml.safe_load((content / "en" / "journeys" / "4-coping.yaml").read_text())
    data["id"], data["order"], data["title"] = "siblings", 5, "For brothers and sisters"
    for step in data["steps"]:
        step["id"] = step["id"].replace("coping.", "siblings.")
    (content / "en" / "journeys" / "5-siblings.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    library = load_library("en", content)
    assert [j.id for j in library.journeys][-1] == "siblings"
    assert library.step("siblings.breathe").type == "practice"
