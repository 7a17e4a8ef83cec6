"""Screen parts built without a browser: where help text and long prompts sit, the scale's rows, title bars,
the words End now shows, and jargon that must not come back."""

from __future__ import annotations

import pathlib

import flet as ft
import pytest

from app.domain import WorksheetField
from screens import steps
from screens.frame import LONG_TITLE, title_text
from screens.help import serves_text

ROOT = pathlib.Path(__file__).resolve().parents[1]


def _texts(control) -> list[str]:
    """Every Text value under a control, in order (depth first)."""
    found = []
    if isinstance(control, ft.Text) and control.value:
        found.append(control.value)
    for child in getattr(control, "controls", None) or []:
        found += _texts(child)
    content = getattr(control, "content", None)
    if isinstance(content, ft.Control):
        found += _texts(content)
    return found


def _field(label: str, **kw) -> WorksheetField:
    return WorksheetField(id="f", type="long_text", label=label, **kw)


def _control(field: WorksheetField, values: dict | None = None):
    return steps._field_control(field, values or {}, steps.Saver(None, lambda: None))


def test_help_text_sits_under_its_own_field():
    column = _control(_field("Who was there?", help="Only first names are fine."))
    kinds = [type(c).__name__ for c in column.controls]
    assert kinds == ["TextField", "Text"] and column.controls[1].value == "Only first names are fine."


def test_a_long_prompt_stands_above_its_field_which_keeps_a_short_label():
    label = "Rewrite \"You have to stop or you're out of this house.\""
    column = _control(_field(label))
    assert column.controls[0].value == label
    box = column.controls[1]
    assert isinstance(box, ft.TextField) and box.label == "Your answer"


def test_a_short_prompt_stays_the_field_label():
    box = _control(_field("Who was there?")).controls[0]
    assert isinstance(box, ft.TextField) and box.label == "Who was there?"


def test_a_model_answer_waits_until_the_person_has_written_something():
    empty = _control(_field("Rewrite this", model_answer="I love you."))
    assert empty.controls[-1].visible is False
    typed = _control(_field("Rewrite this", model_answer="I love you."), {"f": "My try"})
    assert typed.controls[-1].visible is True
    button, answer = typed.controls[-1].controls
    assert button.content == "See a model answer" and answer.visible is False  # shown on a tap, not at once


@pytest.mark.parametrize("count, rows", [(5, [5]), (6, [6]), (11, [6, 6]), (10, [5, 5]), (7, [4, 4])])
def test_a_scale_longer_than_a_row_splits_into_two_even_rows(count, rows):
    cells = [ft.Text(str(n)) for n in range(count)]
    split = steps.number_rows(cells)
    assert [len(r) for r in split] == rows
    assert [c for row in split for c in row if isinstance(c, ft.Text)] == cells  # 0-5 over 6-10, in order


def test_the_scale_announces_which_number_is_chosen():
    picker = steps.number_picker("Stress", 0, 10, 6, lambda n: None)
    column = picker.content
    first, second = column.controls[0], column.controls[1]
    def state(b):  # a choice is MergeSemantics over the Semantics that holds its chosen state
        return getattr(getattr(b, "content", None), "selected", None)
    chosen = [b for row in (first, second) for b in row.controls if state(b)]
    assert len(chosen) == 1 and _texts(chosen[0]) == ["6"]
    assert all(state(b) is False for b in first.controls)


def test_long_titles_wrap_smaller_instead_of_being_cut():
    long, short = title_text("Preparing a re-approach"), title_text("Today")
    assert len("Preparing a re-approach") > LONG_TITLE
    assert long.max_lines == 2 and long.theme_style == ft.TextThemeStyle.TITLE_MEDIUM
    assert short.theme_style == ft.TextThemeStyle.TITLE_LARGE


@pytest.mark.parametrize("elapsed, total, start", [(20, 180, "You took 20 seconds"), (75, 180, "You took 1 min 15 s"),
                                                   (0, 180, "Stopped.")])
def test_end_now_says_what_was_done_without_pretending_it_was_finished(elapsed, total, start):
    title, note = steps.ended_early_words(elapsed, total)
    assert title.startswith(start) and "Well done" not in title + note


@pytest.mark.parametrize("serves, words", [(("anyone",), None), (("women",), "For women"),
                                           (("men", "parents"), "For men and parents"), ((), None)])
def test_help_lines_say_who_they_serve(serves, words):
    assert serves_text(serves) == words


@pytest.mark.parametrize("jargon", ["Quick ruler", "quick ruler", "(from CRAFT)"])
def test_jargon_a_new_user_met_is_gone(jargon):
    places = list((ROOT / "screens").glob("*.py")) + list((ROOT / "content" / "en").rglob("*.yaml"))
    assert [p.name for p in places if jargon in p.read_text(encoding="utf-8")] == []


@pytest.mark.parametrize("web_app", [True, False])
def test_the_advice_to_turn_discreet_mode_on_before_installing_shows_only_in_the_web_app(web_app):
    from types import SimpleNamespace

    from app.domain import Settings
    from screens.privacy import _discreet_section
    shell = SimpleNamespace(settings=Settings(), services=SimpleNamespace(web_app=web_app))
    words = " ".join(t for c in _discreet_section(shell) for t in _texts(c))
    assert ("Turn discreet mode on first" in words) is web_app
    assert "Pages you opened before turning it on" in words
