"""The crisis lines file: shipped data is complete and sourced; broken data is a clear error."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from app.content import ContentError
from tests.helpers import DELETE, with_path
from app.crisis import CRISIS_FILE, REQUIRED_KINDS, load_directory, parse_directory, suggest_country

REQUIRED_COUNTRIES = ("US", "CA", "GB", "IE", "AU", "ES", "MX")


@pytest.fixture(scope="module")
def directory():
    return load_directory()


@pytest.fixture
def raw():
    return yaml.safe_load(CRISIS_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("code", REQUIRED_COUNTRIES)
def test_every_required_country_has_every_kind_of_line(directory, code):
    country = directory.get(code)
    assert country is not None
    for kind in REQUIRED_KINDS:
        assert country.of_kind(kind), f"{code} has no {kind} line"


def test_every_line_has_a_source_and_a_compiled_date(directory):
    for country in directory.countries.values():
        for line in country.lines:
            assert line.source.org and line.source.url.startswith("https://")
            assert isinstance(line.compiled, dt.date) and line.compiled <= dt.date.today()
            assert line.phone or line.url


def test_us_keeps_crisis_lines_apart_from_samhsa(directory):
    us = directory.get("US")
    assert [l.phone for l in us.of_kind("emergency")] == ["911"]
    assert [l.phone for l in us.of_kind("crisis")] == ["988"]
    substance = us.of_kind("substance_use")
    assert [l.phone for l in substance] == ["18006624357"]
    assert all(l.phone not in ("911", "988") for l in substance)
    assert "not a crisis line" in substance[0].description("en").lower()


@pytest.mark.parametrize("code", [c for c in REQUIRED_COUNTRIES if c != "US"])
def test_no_other_country_shows_a_us_number(directory, code):
    us_only = {"18006624357", "18007997233"}
    assert not us_only & {l.phone for l in directory.get(code).lines}


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
    (("format",), 2, "format"),
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
