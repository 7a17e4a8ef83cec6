"""The journeys' content: complete, readable, covering every topic, and loud about broken files."""

from __future__ import annotations

import re
import shutil

import pytest
import textstat
import yaml

from app import content as c
from app.content import ContentError, load_journey, load_library, load_topics
from app.crisis import load_directory
from app.domain import LovedOne
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
    parts += [sentence(pace.label) for pace in step.paces]
    for f in step.fields:
        parts += [sentence(f.label), f.help or "", sentence(f.example or ""), f.model_answer or ""]
        parts += [sentence(o.text) for o in f.options]
    return plain("\n".join(p for p in parts if p))


def all_text(library) -> str:
    """Every word a person can read in the journeys and safety texts, lower-cased."""
    parts = [step_text(s) for j in library.journeys for s in j.steps] + list(library.safety_notes.values())
    parts += [f"{k.question} {k.yes} {k.no} {k.if_yes}" for k in library.checks.values()]
    parts += list(library.gentle_help.values())
    return "\n".join(parts).lower()


def test_four_journeys_load_in_order(library):
    assert [j.id for j in library.journeys] == ["after", "learn", "reapproach", "coping"]


def test_each_journey_has_6_to_16_steps_of_3_to_10_minutes_and_a_summary(library):
    for journey in library.journeys:
        assert 6 <= len(journey.steps) <= 16, journey.id
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
    text = library.step("learn.treatment").body.lower()
    for name in ("methadone", "buprenorphine", "naltrexone", "acamprosate", "disulfiram"):
        assert f"**{name}" in text, f"{name} has no line of its own"
    assert text.count("lowers the risk of dying") + text.count("lower the risk of dying") >= 1
    assert "7 to 10 days with no opioids" in text and "10 to 14 after methadone or buprenorphine" in text
    assert "does not reduce craving" in text
    assert "risk of a fatal overdose goes up" in text  # detox alone
    assert "contingency management" in text
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
SOURCE_IDS = {s["id"] for s in c.load_sources(EN / "sources.yaml")}


@pytest.mark.parametrize("mutate, where, field", [
    (lambda d: d["steps"][0].update(type="video"), "after.not-the-end", "type"),
    (lambda d: d["steps"][0].pop("body"), "after.not-the-end", "body"),
    (lambda d: d["steps"][1].update(id="after.not-the-end"), "journey", "steps"),
    (lambda d: d["steps"][0].update(minutes=45), "after.not-the-end", "minutes"),
    (lambda d: d["steps"][0].update(topics=["astrology"]), "after.not-the-end", "topics"),
    (lambda d: d["steps"][0].update(id="other.step"), "other.step", "id"),
    (lambda d: d["steps"][0].update(colour="red"), "after.not-the-end", "colour"),
    (lambda d: d["steps"][7]["fields"][3].pop("options"), "after.debrief", "options"),
    (lambda d: d["steps"][7]["fields"][0].update(type="date"), "after.debrief", "type"),
    (lambda d: d["steps"][7].update(kind="diary"), "after.debrief", "kind"),
    (lambda d: d["steps"][7].update(short_fields=["when_where", "mood"]), "after.debrief", "short_fields"),
    (lambda d: d["steps"][6].update(topics=["healthy_boundaries"]), "after.not-your-fault", "check"),
    (lambda d: d["steps"][6].update(check="weather", topics=["guilt_and_blame"]), "after.not-your-fault", "check"),
    (lambda d: d["steps"][1].update(country_note="visa"), "after.keep-safe", "country_note"),
    (lambda d: d["steps"][1]["sections"][0].update(applies=["gambling"]), "after.keep-safe", "applies"),
    (lambda d: d["steps"][1].update(get_help="yes"), "after.keep-safe", "get_help"),
    (lambda d: d["steps"][8].update(paces=[{"id": "a", "label": "A", "phases": d["steps"][8]["phases"]}]),
     "after.settle", "phases"),
    (lambda d: d["steps"][8]["phases"][0].update(breath="sigh"), "after.settle", "breath"),
    (lambda d: d["steps"][2]["sources"].append("a-blog-post"), "after.why-it-failed", "sources"),
    (lambda d: d.update(steps=d["steps"][:3]), "journey", "steps"),
    (lambda d: d.pop("title"), "journey", "title"),
])
def test_broken_journey_names_the_file_the_step_and_the_field(journey_file, mutate, where, field):
    path = journey_file(mutate)
    with pytest.raises(ContentError) as err:
        load_journey(path, TOPICS, SOURCE_IDS)
    assert err.value.file == "9-broken.yaml"
    assert where in err.value.where
    assert err.value.field == field


def test_invalid_yaml_says_which_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\nsteps:\n  - id: [unclosed\n")
    with pytest.raises(ContentError, match=r"bad.yaml: line \d+"):
        load_journey(path, TOPICS)


def test_a_step_id_used_in_two_journeys_is_refused(tmp_path):
    """A second file with the first journey's steps: the duplicate-step check must be what refuses it.

    Step ids start with their journey id, so only two files of the same journey id can share one; the step
    check runs before the journey-id check, and the test names the error it expects so it cannot pass on
    another (the journey-prefix or the journey-id one)."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    shutil.copy(content / "en" / "journeys" / "1-after.yaml", content / "en" / "journeys" / "9-after-again.yaml")
    with pytest.raises(ContentError) as err:
        load_library("en", content)
    assert (err.value.file, err.value.field) == ("9-after-again.yaml", "id")
    assert err.value.where == "step 'after.not-the-end'" and "also used in 1-after.yaml" in err.value.problem


def test_a_journey_id_used_by_two_files_is_refused(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content)
    data = yaml.safe_load((content / "en" / "journeys" / "1-after.yaml").read_text())
    for step in data["steps"]:
        step["id"] = step["id"] + "-again"
    (content / "en" / "journeys" / "9-after-again.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(ContentError) as err:
        load_library("en", content)
    assert (err.value.file, err.value.where, err.value.field) == ("9-after-again.yaml", "journey", "id")


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


# --- second edition (issue 11): facts, safety for everyone, CRAFT complete -----------------------------

# Every fact issue 11 names: (a step that states it, words it uses). The step must cite a source backing it.
FACTS = {
    "craft_engagement_1999": ("reapproach.invitation", "about 2 in 3 families got their loved one"),
    "craft_drug_trials": ("reapproach.invitation", "later craft trials with families of people who use drugs"),
    "confrontation_not_the_way": ("reapproach.what-to-change", "repeating a surprise confrontation is not the way"),
    "al_anon_not_for_engagement": ("learn.help-for-you", "not designed to get your loved one into treatment"),
    "al_anon_nar_anon": ("learn.help-for-you", "nar-anon is for families of people who use drugs"),
    "alateen_narateen": ("coping.children", "narateen"),
    "recovery_attempts": ("after.not-the-end", "two serious tries or fewer"),
    "methadone_buprenorphine_mortality": ("learn.treatment", "lowers the risk of dying"),
    "naltrexone_opioid_free_days": ("learn.treatment", "7 to 10 days with no opioids"),
    "disulfiram": ("learn.treatment", "does not reduce craving"),
    "acamprosate": ("learn.treatment", "helps the brain settle after drinking stops"),
    "detox_overdose_risk": ("learn.treatment", "risk of a fatal overdose goes up"),
    "contingency_management": ("learn.treatment", "contingency management"),
    "bad_programme_red_flags": ("learn.finding-care", "patient brokering"),
    "finding_care": ("learn.finding-care", "findtreatment.gov"),
    "craft_sober_regretful_moment": ("reapproach.what-to-change", "sorry about something their use caused"),
    "craft_functional_analysis": ("learn.their-use", "triggers"),
    "craft_positive_communication": ("reapproach.pius", "shared responsibility"),
    "craft_rewarding_sober_time": ("reapproach.reward-and-consequences", "make sober time feel good"),
    "craft_problem_solving": ("coping.problem-solving", "problem"),
    "craft_inviting_to_treatment": ("reapproach.inviting", "act within 48 hours"),
    "overdose_response": ("after.keep-safe", "give a second dose"),
    "fentanyl_in_pills_and_stimulants": ("after.keep-safe", "stimulants such as cocaine"),
    "withdrawal_can_kill": ("after.keep-safe", "can be fatal"),
    "suicide_ask_directly": ("after.suicide", "ask them straight out"),
    "suicide_lethal_means": ("after.suicide", "firearms"),
    "safety_plan": ("coping.safety-plan", "code word"),
    "child_to_parent_violence": ("coping.safe-at-home", "grown-up son or daughter toward a parent"),
    "post_release_overdose": ("reapproach.hard-decisions", "after any locked stay"),
    "involuntary_commitment": ("reapproach.hard-decisions", "treatment against their will"),
    "breathing_slow_exhale": ("coping.breathe", "out slowly through your mouth for 6"),
    "tip39_title": (None, None),
    "children_and_family": ("coping.children", "you didn't cause it"),
    "itc_values_self_compassion": ("coping.your-life", "be kind to yourself"),
    "who5_cutoff": (None, None),
}


@pytest.mark.parametrize("fact", sorted(FACTS))
def test_every_fact_the_issue_names_is_stated_and_backed_by_a_cited_source(library, fact):
    backing = {s["id"] for s in library.sources if fact in s["facts"]}
    assert backing, f"no entry in sources.yaml backs {fact}"
    step_id, words = FACTS[fact]
    if step_id:
        step = library.step(step_id)
        assert words in step_text(step).lower(), f"{step_id} does not say '{words}'"
        assert backing & set(step.sources), f"{step_id} states {fact} but cites none of {sorted(backing)}"


def test_sources_have_unique_ids_and_tip_39_its_right_title(library):
    by_id = {s["id"]: s for s in library.sources}
    assert len(by_id) == len(library.sources)
    assert by_id["tip-39"]["title"] == "TIP 39: Substance Use Disorder Treatment and Family Therapy"
    assert by_id["tip-39"]["year"] == 2020
    assert all(s["url"].startswith("https://") for s in library.sources if s["url"])


PROFILES = [
    pytest.param(LovedOne(), id="empty"),
    pytest.param(LovedOne(substances=("other",)), id="not-sure"),
    pytest.param(LovedOne(relationship="child", violence="prefer_not"), id="rather-not-say"),
    *[pytest.param(LovedOne(substances=(s,), violence="no"), id=s)
      for s in ("alcohol", "opioids", "benzodiazepines", "stimulants", "cannabis", "other")],
    pytest.param(LovedOne(substances=("alcohol",), violence="yes"), id="alcohol-and-violence"),
]


@pytest.mark.parametrize("loved_one", PROFILES)
def test_every_profile_meets_the_safety_step_first_and_can_reach_suicide_help_and_crisis_lines(library, loved_one):
    first = library.journeys[0]
    steps = [s.id for s in c.journey_steps_for(library, first.id, loved_one)]
    assert steps.index(c.SAFETY_STEP) in (0, 1)
    assert c.SUICIDE_STEP in steps
    safety = library.step(c.SAFETY_STEP)
    shown = c.ordered_sections(safety, loved_one)
    assert {x.id for x in shown} == {"overdose", "fentanyl", "withdrawal", "violence"}  # all of it, always
    text = safety.body.lower()
    for words in ("emergency number", "naloxone", "second dose", "recovery position", "stay with them",
                  "fentanyl", "stimulants", "seizures"):
        assert words in text, words
    assert safety.country_note == "naloxone" and safety.get_help
    assert library.step(c.SUICIDE_STEP).get_help
    directory = load_directory()
    for code in (None, "GB", "ZZ"):
        assert directory.for_country(code).of_kind("crisis")


@pytest.mark.parametrize("loved_one, first_section", [
    (LovedOne(), "overdose"),
    (LovedOne(substances=("opioids",)), "overdose"),
    (LovedOne(substances=("stimulants",)), "overdose"),
    (LovedOne(substances=("alcohol",)), "withdrawal"),
    (LovedOne(substances=("benzodiazepines",), violence="no"), "withdrawal"),
    (LovedOne(substances=("cannabis",), violence="yes"), "violence"),
])
def test_the_profile_only_changes_what_comes_first(library, loved_one, first_section):
    assert c.ordered_sections(library.step(c.SAFETY_STEP), loved_one)[0].id == first_section


@pytest.mark.parametrize("loved_one, kinds", [
    (LovedOne(), ("opioids", "alcohol_benzos")),
    (LovedOne(substances=("other",), violence="prefer_not"), ("violence", "opioids", "alcohol_benzos")),
    (LovedOne(substances=("stimulants",)), ("opioids",)),
    (LovedOne(substances=("cannabis",), violence="no"), ()),
])
def test_notes_reach_unsure_profiles_and_stimulant_use(library, loved_one, kinds):
    assert c.safety_kinds_for(loved_one) == kinds
    assert c.notes_for(library.step("reapproach.line-up-help"), loved_one) == tuple(
        k for k in kinds if k != "violence")


@pytest.mark.parametrize("code", ["US", "GB", "FR", "NZ", "ES"])
def test_the_naloxone_note_follows_the_chosen_country(code):
    directory = load_directory()
    assert directory.naloxone_note(code) == directory.get(code).naloxone.text("en")
    assert "United States" not in (directory.naloxone_note(code) if code != "US" else "")


def test_no_safety_note_speaks_of_one_country(library):
    for note in library.safety_notes.values():
        assert "United States" not in note


CONSEQUENCES_OR_BOUNDARIES = ["reapproach.reward-and-consequences", "reapproach.rewards-sheet", "reapproach.plan",
                              "reapproach.hard-decisions", "coping.boundaries", "coping.boundary-sheet"]


def test_a_violence_check_comes_before_every_step_about_consequences_or_boundaries(library):
    for step_id in CONSEQUENCES_OR_BOUNDARIES:
        step = library.step(step_id)
        assert step.check == "violence", step_id
        assert c.check_for(library, step).question == "Is anyone at risk of being hurt if you do this?"
    for step in (s for j in library.journeys for s in j.steps):
        text = step_text(step).lower()
        if "natural consequence" in text or "healthy_boundaries" in step.topics:
            assert step.check == "violence", step.id


def test_the_safety_plan_worksheet_has_every_part(library):
    plan = library.step(c.SAFETY_PLAN_STEP)
    assert plan.type == "worksheet" and plan.kind == "safety_plan" and plan.get_help
    assert {"warning_signs", "where_to_go", "who_to_call", "keep_ready", "code_word"} <= {f.id for f in plan.fields}
    assert all(f.example for f in plan.fields)


def test_unsafe_examples_are_gone(library):
    text = all_text(library)
    assert "leave for the night" not in text
    sheet = library.step("coping.boundary-sheet")
    crossed = next(f for f in sheet.fields if f.id == "if_crossed")
    assert "emergency" in crossed.example.lower() and "voicemail" in crossed.example.lower()
    assert "emergency" in library.step("coping.boundaries").body.lower()


def test_the_hangover_contradiction_is_gone(library):
    text = all_text(library)
    assert "hungover" not in text and "hangover, a missed" not in text
    for step_id in ("after.why-it-failed", "reapproach.what-to-change", "reapproach.invitation",
                    "reapproach.inviting", "coping.talk"):
        assert "sorry about something" in step_text(library.step(step_id)).lower(), step_id


@pytest.mark.parametrize("promise", ["most people who get better do so after several tries",
                                     "do get better in the end", "this will get them", "will get them into treatment",
                                     "most people recover", "your specialist"])
def test_no_outcome_promises_and_no_assumed_specialist(library, promise):
    assert promise not in all_text(library)


# CRAFT and Invitation to Change modules: (lesson, exercise). Each exercise is phone-sized with a worked example.
MODULES = {
    "understanding their use": ("learn.their-use", "learn.their-use-sheet"),
    "positive communication": ("reapproach.pius", "reapproach.practise-words"),
    "rewarding sober time": ("reapproach.reward-and-consequences", "reapproach.rewards-sheet"),
    "problem solving": ("coping.problem-solving", "coping.problem-solving"),
    "inviting to treatment": ("reapproach.inviting", "reapproach.plan"),
    "your own life": ("coping.your-life", "coping.values"),
    "children and a divided family": ("coping.children", "coping.family-plan"),
    "hard decisions": ("reapproach.hard-decisions", "coping.problem-solving"),
    "safety": ("coping.safe-at-home", "coping.safety-plan"),
}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_craft_module_has_a_lesson_and_a_worked_exercise(library, module):
    lesson_id, exercise_id = MODULES[module]
    lesson, exercise = library.step(lesson_id), library.step(exercise_id)
    assert lesson.type in ("lesson", "worksheet") and exercise.type == "worksheet"
    assert exercise.minutes <= 10
    assert all(f.example for f in exercise.fields if f.type in ("short_text", "long_text")), exercise_id


def test_every_rewrite_exercise_has_a_model_answer(library):
    sheet = library.step("reapproach.practise-words")
    for field in sheet.fields:
        assert field.model_answer, field.id
    assert "positive" in sheet.body.lower()


def test_the_debrief_has_a_three_question_version_that_ends_in_a_calming_step(library):
    journey = library.journey("after")
    debrief = library.step("after.debrief")
    assert len(debrief.short_fields) == 3
    calm = journey.steps[journey.index("after.debrief") + 1]
    assert calm.type == "practice" and all(p.breath in ("in", "out") for p in calm.phases)


def test_breathing_is_4_in_6_out_with_a_slower_pace_to_choose(library):
    breathe = library.step("coping.breathe")
    assert [(p.breath, p.seconds) for p in breathe.phases] == [("in", 4), ("out", 6)]
    assert len(breathe.paces) >= 2
    for pace in breathe.paces:
        ins = sum(p.seconds for p in pace.phases if p.breath == "in")
        outs = sum(p.seconds for p in pace.phases if p.breath == "out")
        assert outs > ins and sum(p.seconds for p in pace.phases) >= 10
    assert "4, and out for 6" in library.step("coping.stress").body


def test_the_right_now_kit_is_complete_and_plain(library):
    kit = library.right_now
    assert library.step(kit.breathe_step).type == library.step(kit.ground_step).type == "practice"
    assert len(kit.note_fields) == 3 and kit.danger.question == "Is anyone in danger right now?"
    text = plain("\n".join([kit.title, kit.intro, kit.danger.question, kit.danger.if_yes, kit.note_title]
                           + [sentence(f.label) for f in kit.note_fields]))
    assert textstat.flesch_kincaid_grade(text) <= 8


def test_safety_texts_are_grade_8_or_lower(library):
    for name, note in library.safety_notes.items():
        assert textstat.flesch_kincaid_grade(plain(note)) <= 8, name
    for check in library.checks.values():
        assert textstat.flesch_kincaid_grade(f"{check.question} {check.if_yes}") <= 8
    assert textstat.flesch_kincaid_grade(library.gentle_help["body"]) <= 8


def test_violence_by_an_adult_child_toward_a_parent_is_named(library):
    assert "grown-up son or daughter toward a parent" in step_text(library.step("coping.safe-at-home")).lower()
    assert "grown-up son or daughter" in library.safety_notes["violence"]


def test_every_step_cites_only_sources_that_exist_and_the_about_page_can_list_them(library):
    ids = {s["id"] for s in library.sources}
    cited = {x for j in library.journeys for s in j.steps for x in s.sources}
    assert cited <= ids
    assert all(s["title"] and s["by"] and s["about"] for s in library.sources)


def test_the_gentle_help_words_exist_and_never_alarm(library):
    body = library.gentle_help["body"].lower()
    assert "get help now" in body and "!" not in body
