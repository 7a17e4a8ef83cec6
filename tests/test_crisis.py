"""The crisis lines file: shipped data is complete and sourced; broken data is a clear error."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from app.content import ContentError
from tests.helpers import DELETE, with_path
from app.crisis import (CRISIS_FILE, REQUIRED_KINDS, load_directory, parse_directory,
                        suggest_country)

REQUIRED_COUNTRIES = ("US", "CA", "GB", "IE", "AU", "ES", "MX", "NZ", "DE", "FR", "AR", "CO")
NEW_LINES_SINCE = dt.date(2026, 12, 1)  # the second edition: every line added then carries a review note
US_ONLY = {"18006624357", "18007997233", "18002221222", "18553784373", "988", "911"}


@pytest.fixture(scope="module")
def directory():
    return load_directory()


@pytest.fixture
def raw():
    return yaml.safe_load(CRISIS_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("code", REQUIRED_COUNTRIES)
def test_every_required_country_has_every_kind_of_line_or_says_none_is_known(directory, code):
    country = directory.get(code)
    assert country is not None
    assert country.of_kind("emergency") and country.of_kind("crisis"), code
    for kind in REQUIRED_KINDS:
        assert country.of_kind(kind) or country.gaps_of_kind(kind), f"{code} has no {kind} line and no gap"


def test_twelve_countries_or_more_and_an_international_directory(directory):
    assert len(directory.codes) >= 12
    fallback = directory.international
    assert fallback is not None and fallback.of_kind("crisis")
    assert directory.for_country("ZZ") is fallback and directory.for_country(None) is fallback
    assert directory.for_country("gb").code == "GB"


def test_every_line_added_in_the_second_edition_has_a_review_note(raw):
    entries = [(c, line) for c, body in raw["countries"].items() for line in body["lines"]]
    entries += [("INT", line) for line in raw["international"]["lines"]]
    for code, line in entries:
        if line["compiled"] >= NEW_LINES_SINCE:
            assert line.get("review"), f"{code}: {line['name']} has no review note"


@pytest.mark.parametrize("code", REQUIRED_COUNTRIES)
def test_naloxone_note_speaks_of_the_chosen_country_and_is_sourced(directory, code):
    country = directory.get(code)
    assert country.naloxone.source.url.startswith("https://")
    note = directory.naloxone_note(code)
    assert note == country.naloxone.text("en")
    if code != "US":
        assert "United States" not in note
    assert directory.naloxone_note("ZZ") == directory.international.naloxone.text("en")


def test_a_line_for_women_is_never_the_only_answer_for_men_or_parents(directory):
    """Spain's 016 and Refuge's line serve women: men and parents hurt by a child get a line or an honest gap."""
    for code in REQUIRED_COUNTRIES:
        country = directory.get(code)
        for who in ("men", "parents"):
            fits = [l for l in country.of_kind("domestic_violence") if {"anyone", who} & set(l.serves)]
            gaps = [g for g in country.gaps_of_kind("domestic_violence") if who in g.serves]
            assert fits or gaps, f"{code}: nothing for {who} facing violence at home"
    spain = directory.get("ES")
    assert [l.serves for l in spain.of_kind("domestic_violence")] == [("women",)]
    assert "not the line for a man" in spain.of_kind("domestic_violence")[0].description("en")


def test_gb_has_nhs_111_a_line_for_men_and_help_for_parents_hurt_by_their_child(directory):
    gb = directory.get("GB")
    assert [l.phone for l in gb.of_kind("medical_advice")] == ["111"]
    assert any("men" in l.serves and l.phone == "08088010327" for l in gb.of_kind("domestic_violence"))
    assert any("parents" in l.serves for l in gb.of_kind("domestic_violence"))


def test_us_lists_poison_control_a_family_line_and_findtreatment(directory):
    us = directory.get("US")
    assert [l.phone for l in us.of_kind("poison")] == ["18002221222"]
    assert us.of_kind("family_support") and us.of_kind("find_care")[0].url == "https://findtreatment.gov"


def _file_written_on() -> dt.date:
    """When the crisis file was last written (commit or edit): no line can have been compiled after it.

    A fact about the file, not the day the test runs (tests never read the clock)."""
    import subprocess
    from app.crisis import CRISIS_FILE
    edited = dt.datetime.fromtimestamp(CRISIS_FILE.stat().st_mtime, dt.timezone.utc).date()
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%cs", "--", str(CRISIS_FILE)], capture_output=True,
                             text=True, cwd=CRISIS_FILE.parent, timeout=20).stdout.strip()
        committed = dt.date.fromisoformat(out) if out else edited
    except (OSError, ValueError, subprocess.SubprocessError):
        committed = edited
    return max(edited, committed)


def test_every_line_has_a_source_and_a_compiled_date(directory):
    written = _file_written_on()
    for country in directory.countries.values():
        for line in country.lines:
            assert line.source.org and line.source.url.startswith("https://")
            assert isinstance(line.compiled, dt.date) and dt.date(2020, 1, 1) <= line.compiled <= written
            assert line.phone or line.url


def test_us_keeps_crisis_lines_apart_from_samhsa(directory):
    us = directory.get("US")
    assert [l.phone for l in us.of_kind("emergency")] == ["911"]
    assert [l.phone for l in us.of_kind("crisis")] == ["988"]
    substance = us.of_kind("substance_use")
    assert [l.phone for l in substance] == ["18006624357"]
    assert all(l.phone not in ("911", "988") for l in substance)
    assert "not a crisis line" in substance[0].description("en").lower()


@pytest.mark.parametrize("code", [c for c in REQUIRED_COUNTRIES if c not in ("US", "CA", "MX", "AR")])
def test_no_other_country_shows_a_us_number(directory, code):
    assert not US_ONLY & {l.phone for l in directory.get(code).lines}


@pytest.mark.parametrize("code", ["CA", "MX", "AR"])
def test_countries_sharing_911_or_988_show_no_us_only_line(directory, code):
    """Canada's 988 and 911, Mexico's and Argentina's 911 are their own; no US helpline appears there."""
    assert not (US_ONLY - {"911", "988"}) & {l.phone for l in directory.get(code).lines}
    assert not any("samhsa" in (l.url or "") for l in directory.get(code).lines)


def test_international_fallback_has_no_phone_number_from_any_one_country(directory):
    assert all(l.phone is None for l in directory.international.lines)


def test_emergency_line_is_listed_first(directory):
    for country in directory.countries.values():
        assert country.lines[0].kind == "emergency"


def _break(raw, path, value):
    return with_path(raw, path, DELETE if value is KeyError else value)


@pytest.mark.parametrize("path, value, field", [
    (("countries", "US", "lines", 0, "kind"), "hotline", "kind"),
    (("countries", "US", "lines", 1, "phone"), "988-NOW", "phone"),
    (("countries", "US", "lines", 1, "source"), {"org": "x", "url": "http://x"}, "source"),
    (("countries", "US", "lines", 1, "compiled"), "last year", "compiled"),
    (("countries", "US", "lines", 1, "name"), KeyError, "name"),
    (("countries", "US", "lines", 1, "description"), {"es": "hola"}, "description"),
    (("countries", "US", "lines", 1, "colour"), "red", "colour"),
    (("format",), 1, "format"),
    (("countries", "GB", "lines", 3, "serves"), ["everyone"], "serves"),
    (("countries", "ES", "naloxone"), KeyError, "naloxone"),
    (("countries", "ES", "naloxone", "source"), {"org": "x", "url": "http://x"}, "source"),
    (("countries", "ES", "gaps", 0, "review"), KeyError, "review"),
    (("countries", "ES", "gaps", 0, "note"), {"es": "hola"}, "note"),
    (("international",), KeyError, "international"),
])
def test_broken_entry_names_the_file_the_place_and_the_field(raw, path, value, field):
    with pytest.raises(ContentError) as err:
        parse_directory(_break(raw, path, value), "crisis_lines.yaml")
    assert err.value.file == "crisis_lines.yaml"
    assert err.value.field == field
    assert "crisis_lines.yaml" in str(err.value)


def test_country_missing_a_required_kind_is_refused(raw):
    raw["countries"]["US"]["lines"] = [l for l in raw["countries"]["US"]["lines"] if l["kind"] != "crisis"]
    with pytest.raises(ContentError, match="country US.*no crisis line"):
        parse_directory(raw, "crisis_lines.yaml")


def test_a_gap_stands_in_for_a_missing_kind_but_never_for_the_emergency_number(raw):
    raw["countries"]["AR"]["lines"] = [l for l in raw["countries"]["AR"]["lines"] if l["kind"] != "emergency"]
    raw["countries"]["AR"]["gaps"].append({"kind": "emergency", "note": {"en": "none"}, "review": "x"})
    with pytest.raises(ContentError, match="country AR.*no emergency line"):
        parse_directory(raw, "crisis_lines.yaml")


def test_unreadable_yaml_is_a_content_error(tmp_path):
    bad = tmp_path / "crisis_lines.yaml"
    bad.write_text("format: 1\ncountries: [unclosed")
    with pytest.raises(ContentError, match="not valid YAML"):
        load_directory(bad)
    with pytest.raises(ContentError, match="cannot be read"):
        load_directory(tmp_path / "missing.yaml")


@pytest.mark.parametrize("locales, expected", [
    (["en-GB"], "GB"), (["es_MX", "en-US"], "MX"), (["fr-FR", "en-IE"], "IE"),
    (["en"], None), (["fr-FR"], None), ([], None), (["zh-Hant-TW"], None), (["en-au"], "AU"),
])
def test_country_is_suggested_from_the_device_locale(locales, expected):
    assert suggest_country(locales, ["US", "GB", "IE", "AU", "MX"]) == expected
