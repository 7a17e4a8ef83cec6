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
# Every colour role written out: the tonal-spot scheme Flutter derives from SEED (Material Color Utilities; the
# rendered page shows these exact values), pinned so that tests/test_theme.py measures the contrast of the
# colours people see, and a colour that fails can be changed here. Dark keeps the calm alert pair.
LIGHT_SCHEME = {
    "primary": "#00696E", "on_primary": "#FFFFFF", "primary_container": "#9CF0F6",
    "on_primary_container": "#004F53", "secondary": "#4A6364", "on_secondary": "#FFFFFF",
    "secondary_container": "#CCE8E9", "on_secondary_container": "#324B4D", "tertiary": "#4E5F7D",
    "on_tertiary": "#FFFFFF", "tertiary_container": "#D6E3FF", "on_tertiary_container": "#364764",
    "error": "#BA1A1A", "on_error": "#FFFFFF", "error_container": "#FFDAD6", "on_error_container": "#93000A",
    "surface": "#F4FAFA", "on_surface": "#161D1D", "on_surface_variant": "#3F4949", "surface_dim": "#D5DBDB",
    "surface_bright": "#F4FAFA", "surface_container_lowest": "#FFFFFF", "surface_container_low": "#EFF5F5",
    "surface_container": "#E9EFEF", "surface_container_high": "#E3E9E9", "surface_container_highest": "#DDE4E4",
    "outline": "#6F7979", "outline_variant": "#BEC8C9", "inverse_surface": "#2B3232",
    "on_inverse_surface": "#ECF2F2", "inverse_primary": "#80D4D9", "surface_tint": "#00696E",
}

DARK_SCHEME = {
    "primary": "#80D4D9", "on_primary": "#003739", "primary_container": "#004F53",
    "on_primary_container": "#9CF0F6", "secondary": "#B1CCCD", "on_secondary": "#1B3436",
    "secondary_container": "#324B4D", "on_secondary_container": "#CCE8E9", "tertiary": "#B6C7E9",
    "on_tertiary": "#20314C", "tertiary_container": "#364764", "on_tertiary_container": "#D6E3FF",
    "error": "#FFB4AB", "on_error": "#690005", "error_container": DARK_ALERT_BG,
    "on_error_container": DARK_ALERT_FG, "surface": "#0E1415", "on_surface": "#DDE4E4",
    "on_surface_variant": "#BEC8C9", "surface_dim": "#0E1415", "surface_bright": "#343A3B",
    "surface_container_lowest": "#090F10", "surface_container_low": "#161D1D", "surface_container": "#1A2121",
    "surface_container_high": "#252B2B", "surface_container_highest": "#303636", "outline": "#899393",
    "outline_variant": "#3F4949", "inverse_surface": "#DDE4E4", "on_inverse_surface": "#2B3232",
    "inverse_primary": "#00696E", "surface_tint": "#80D4D9",
}
# Bundled Noto Sans subsets (assets/assets/fonts, declared with their weights in assets/assets/FontManifest.json,
# which Flet serves in place of its own): Latin, and the punctuation Babel writes (U+202F before "PM"), so the
# browser never asks for a fallback font that is not there. Named apart from Flutter's own fallback "Noto Sans".
FONT_FAMILY = "Noto Sans Regroup"


# Material 3's type scale (Flutter's defaults), which text_theme replaces, scaled by the text size setting.
TYPE_SCALE = {"display_large": 57, "display_medium": 45, "display_small": 36, "headline_large": 32,
              "headline_medium": 28, "headline_small": 24, "title_large": 22, "title_medium": 16,
              "title_small": 14, "label_large": 14, "label_medium": 12, "label_small": 11, "body_large": 16,
              "body_medium": 14, "body_small": 12}
_FULL = 16  # px: text up to this size grows fully; larger text (titles, headlines) by as many pixels as 16 px text
BAR_SCALE_MAX = 1.25  # the app bar's title, Get help now and the tab labels grow to 125% at most (as on
# Android and iOS, whose bars cap large text too): at 200% "Journeys" would break mid-word beside the pill
_current_scale = 1.0  # the process's text size (one person's settings per store), for sizes set by hand


def text_scale() -> float:
    """The chosen text size as a factor (1.0 to 2.0), for layouts that change at large sizes."""
    return _current_scale


def scaled_size(size: float, scale: float | None = None) -> float:
    """A font size at the chosen text size: body text and labels grow fully (16 px to 32 px at 200%), larger
    text gains the same pixels as 16 px text, so a headline stays larger than body text but fits a phone."""
    scale = _current_scale if scale is None else scale
    return round(size + min(size, _FULL) * (scale - 1), 1)


def bar_size(size: float) -> float:
    """A font size in the app bar or the tab bar: grows with the setting up to BAR_SCALE_MAX."""
    return scaled_size(size, min(_current_scale, BAR_SCALE_MAX))


def text_theme(scale: float) -> ft.TextTheme:
    """Every Material text style at the chosen size: Flet has no app-wide text scaler (FLET-NOTES)."""
    # the family again on every style: a text_theme without it drops the bundled font, and the browser then asks
    # for Flutter's fallback fonts (404s; tests/e2e/test_first_use.py watches for them)
    return ft.TextTheme(**{name: ft.TextStyle(size=scaled_size(size, scale), font_family=FONT_FAMILY)
                           for name, size in TYPE_SCALE.items()})


def _still() -> ft.PageTransitionsTheme:
    none = ft.PageTransitionTheme.NONE
    return ft.PageTransitionsTheme(android=none, ios=none, linux=none, macos=none, windows=none)


def build_theme(*, dark: bool = False, text_scale: int = 100, reduce_motion: bool = False) -> ft.Theme:
    """Both schemes from one seed, written out, with a calmer alert colour in the dark.
    The text size scales every text style; reduce motion makes screens change without a transition."""
    scheme = ft.ColorScheme(**(DARK_SCHEME if dark else LIGHT_SCHEME))
    extra = {"page_transitions": _still()} if reduce_motion else {}
    bars = min(text_scale / 100, BAR_SCALE_MAX)
    # Buttons are as tall as their words need, and 48 px at least at 100% (20 px line + 2 x 14): a fixed height
    # would cut off a label that wraps at a large text size. A 3 px ring shows where the keyboard focus is (Material's
    # own focus overlay is a 10% tint, hard to see).
    tall = ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=16, vertical=14),
                          side={ft.ControlState.FOCUSED: ft.BorderSide(3, ft.Colors.ON_SURFACE)})
    return ft.Theme(color_scheme_seed=SEED, color_scheme=scheme, use_material3=True, font_family=FONT_FAMILY,
                    visual_density=ft.VisualDensity.STANDARD, text_theme=text_theme(text_scale / 100),
                    button_theme=ft.ButtonTheme(style=tall), filled_button_theme=ft.FilledButtonTheme(style=tall),
                    outlined_button_theme=ft.OutlinedButtonTheme(style=tall),
                    text_button_theme=ft.TextButtonTheme(style=tall),
                    navigation_bar_theme=ft.NavigationBarTheme(
                        label_text_style=ft.TextStyle(size=scaled_size(TYPE_SCALE["label_medium"], bars),
                                                      font_family=FONT_FAMILY)),
                    **extra)


def apply_theme(page: ft.Page, choice: str, *, text_scale: int = 100, reduce_motion: bool = False) -> None:
    """Set both themes and the mode the person chose (system, light or dark), at the chosen text size."""
    global _current_scale
    _current_scale = text_scale / 100
    page.theme = build_theme(text_scale=text_scale, reduce_motion=reduce_motion)
    page.dark_theme = build_theme(dark=True, text_scale=text_scale, reduce_motion=reduce_motion)
    page.theme_mode = {"light": ft.ThemeMode.LIGHT, "dark": ft.ThemeMode.DARK}.get(
        choice, ft.ThemeMode.SYSTEM)
