"""Words for the stable keys stored in records (tags, feelings, responses): translated only on screen."""

from __future__ import annotations

import flet as ft

from app.i18n import _

TAGS = {
    "guilt": lambda: _("Guilt"), "hope": lambda: _("Hope"), "anger": lambda: _("Anger"), "fear": lambda: _("Fear"),
    "boundary_kept": lambda: _("Boundary kept"), "conversation": lambda: _("Conversation"),
    "setback": lambda: _("Setback"), "progress": lambda: _("Progress"), "self_care": lambda: _("Self-care"),
    "specialist": lambda: _("Specialist"), "reflection": lambda: _("Reflection"),
}
FEELINGS = {
    "guilt": lambda: _("Guilt"), "anger": lambda: _("Anger"), "fear": lambda: _("Fear"),
    "sadness": lambda: _("Sadness"), "hope": lambda: _("Hope"), "relief": lambda: _("Relief"),
    "exhaustion": lambda: _("Exhaustion"), "calm": lambda: _("Calm"), "loneliness": lambda: _("Loneliness"),
    "gratitude": lambda: _("Gratitude"),
}
RESPONSES = {
    "spent_time_together": lambda: _("Spent sober time together"),
    "praised_sober_time": lambda: _("Said something kind about a sober moment"),
    "withdrew_attention": lambda: _("Stepped back while they were using"),
    "allowed_consequence": lambda: _("Let a natural consequence happen"),
    "set_boundary": lambda: _("Set or kept a boundary"),
    "argued": lambda: _("We argued"),
    "looked_after_myself": lambda: _("Looked after myself"),
}
# Mood colours reach 3:1 on every light and dark surface and 4.5:1 under MOOD_TEXT (tests/test_theme.py): the
# orange and yellow were 2.5:1 on light cards, the red 2.2:1 on dark ones.
MOODS = {
    1: (lambda: _("Very low"), ft.Icons.SENTIMENT_VERY_DISSATISFIED, "#DE443B"),
    2: (lambda: _("Low"), ft.Icons.SENTIMENT_DISSATISFIED, "#C45F08"),
    3: (lambda: _("Okay"), ft.Icons.SENTIMENT_NEUTRAL, "#997700"),
    4: (lambda: _("Good"), ft.Icons.SENTIMENT_SATISFIED, "#4B8A2A"),
    5: (lambda: _("Very good"), ft.Icons.SENTIMENT_VERY_SATISFIED, "#228A7D"),
}
MOOD_TEXT = "#000000"  # a day number on a mood colour (white was 3.1:1 on the orange)
SLEEP = {1: lambda: _("Very poor"), 5: lambda: _("Very good")}
SLEEP_WORDS = {1: lambda: _("Very poor"), 2: lambda: _("Poor"), 3: lambda: _("Okay"), 4: lambda: _("Good"),
               5: lambda: _("Very good")}
LOVED_ONE_DAY = {"use": lambda: _("Use day"), "non_use": lambda: _("Non-use day"), "unknown": lambda: _("Not sure")}


def word(table: dict, key) -> str:
    label = table.get(key)
    if label is None:
        return str(key)
    return label[0]() if isinstance(label, tuple) else label()


def mood_color(mood: float) -> str:
    return MOODS[max(1, min(5, round(mood)))][2]


def toggle_chip(text: str, selected: bool, on_change) -> ft.Chip:
    """A chip that toggles; its label is its one screen-reader name."""
    def select(e):
        on_change(bool(e.control.selected))
    return ft.Chip(label=ft.Text(text), selected=selected, on_select=select, show_checkmark=True)
