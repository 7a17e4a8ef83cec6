"""The theme: a calm Get help now pill in dark theme, with text at WCAG AA contrast."""

from __future__ import annotations

from screens.theme import DARK_ALERT_BG, DARK_ALERT_FG, build_theme


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _saturation(hex_colour: str) -> float:
    r, g, b = (int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    hi, lo = max(r, g, b), min(r, g, b)
    return 0 if hi == lo else (hi - lo) / (1 - abs(hi + lo - 1))


def test_dark_help_pill_text_reaches_aa_contrast():
    assert contrast(DARK_ALERT_FG, DARK_ALERT_BG) >= 4.5


def test_dark_help_pill_is_calm_not_a_strong_red():
    # Material's dark error container (#93000A) has full saturation; the calm pill is a muted rose
    assert _saturation("#93000A") == 1.0
    assert _saturation(DARK_ALERT_BG) < 0.3


def test_dark_theme_uses_the_calm_pair_and_light_keeps_the_seed():
    dark, light = build_theme(dark=True), build_theme()
    assert (dark.color_scheme.error_container, dark.color_scheme.on_error_container) == (DARK_ALERT_BG, DARK_ALERT_FG)
    assert light.color_scheme is None
