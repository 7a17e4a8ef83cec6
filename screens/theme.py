"""Light and dark themes from one place: a calm teal seed, readable sizes, 48 px targets."""

from __future__ import annotations

import flet as ft

SEED = "#2F6F73"  # deep teal: calm, not clinical, enough contrast on both themes
WIDE_LAYOUT = 720  # at or above this width the navigation moves to a rail
CONTENT_MAX_WIDTH = 640
TOUCH = 48


def build_theme() -> ft.Theme:
    """One theme; Flutter derives the dark scheme from the same seed for `page.dark_theme`."""
    return ft.Theme(color_scheme_seed=SEED, use_material3=True, visual_density=ft.VisualDensity.STANDARD)


def apply_theme(page: ft.Page, choice: str) -> None:
    """Set both themes and the mode the person chose (system, light or dark)."""
    page.theme = build_theme()
    page.dark_theme = build_theme()
    page.theme_mode = {"light": ft.ThemeMode.LIGHT, "dark": ft.ThemeMode.DARK}.get(
        choice, ft.ThemeMode.SYSTEM)
