"""Light and dark themes from one place: a calm teal seed, readable sizes, 48 px targets."""

from __future__ import annotations

import flet as ft

SEED = "#2F6F73"  # deep teal: calm, not clinical, enough contrast on both themes
WIDE_LAYOUT = 720  # at or above this width the navigation moves to a rail
CONTENT_MAX_WIDTH = 640
TOUCH = 48
# Dark theme: Material's error container is a strong red there, which made Get help now feel alarming on every
# screen. A muted rose, still clearly a warning and far from the surface, with text at AA contrast or better
# (tests/test_theme.py measures it). Safety notes in dark theme use the same calm pair.
DARK_ALERT_BG, DARK_ALERT_FG = "#4D3533", "#FFDAD6"
# Bundled Noto Sans subsets (assets/assets/fonts, declared with their weights in assets/assets/FontManifest.json,
# which Flet serves in place of its own): Latin, and the punctuation Babel writes (U+202F before "PM"), so the
# browser never asks for a fallback font that is not there. Named apart from Flutter's own fallback "Noto Sans".
FONT_FAMILY = "Noto Sans Regroup"


def build_theme(*, dark: bool = False) -> ft.Theme:
    """One seed for both; Flutter derives the dark scheme from it, with a calmer alert colour in the dark."""
    scheme = ft.ColorScheme(error_container=DARK_ALERT_BG, on_error_container=DARK_ALERT_FG) if dark else None
    return ft.Theme(color_scheme_seed=SEED, color_scheme=scheme, use_material3=True, font_family=FONT_FAMILY,
                    visual_density=ft.VisualDensity.STANDARD)


def apply_theme(page: ft.Page, choice: str) -> None:
    """Set both themes and the mode the person chose (system, light or dark)."""
    page.theme = build_theme()
    page.dark_theme = build_theme(dark=True)
    page.theme_mode = {"light": ft.ThemeMode.LIGHT, "dark": ft.ThemeMode.DARK}.get(
        choice, ft.ThemeMode.SYSTEM)
