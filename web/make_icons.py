"""Draw the web app's icons into assets/icons/ (run once; the PNGs are committed): a calm teal square with a
white "R", the theme's seed colour. Maskable icons keep the letter inside the safe circle (80%).

Discreet mode's icons (`notes-*`) show a plain lined page on warm grey, like any notes app: nothing on a home
screen says Regroup (web/discreet.js links them when discreet mode is on)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "assets" / "icons"
TEAL, WHITE = "#2F6F73", "#FFFFFF"
PAPER, SHEET, LINE = "#E9E4D8", "#FFFDF7", "#A39E93"
FONT = ROOT / "assets" / "fonts" / "NotoSans-Bold.ttf"


def _tile(size: int, maskable: bool, fill: str) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """The background: full bleed for a maskable icon (the launcher cuts its own shape), else rounded."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    if maskable:
        draw.rectangle((0, 0, size, size), fill=fill)
    else:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=fill)
    return img, draw


def icon(size: int, *, maskable: bool) -> Image.Image:
    img, draw = _tile(size, maskable, TEAL)
    font = ImageFont.truetype(str(FONT), int(size * (0.46 if maskable else 0.6)))
    draw.text((size / 2, size / 2), "R", font=font, fill=WHITE, anchor="mm")
    return img


def notes_icon(size: int, *, maskable: bool) -> Image.Image:
    """A sheet with four ruled lines, kept inside the maskable safe circle in both kinds."""
    img, draw = _tile(size, maskable, PAPER)
    w, h = size * 0.44, size * 0.56
    left, top = (size - w) / 2, (size - h) / 2
    draw.rounded_rectangle((left, top, left + w, top + h), radius=max(1, size // 40), fill=SHEET)
    for i in range(4):
        y = top + h * (0.25 + 0.17 * i)
        draw.line((left + w * 0.15, y, left + w * (0.85 if i < 3 else 0.6), y), fill=LINE,
                  width=max(1, size // 48))
    return img


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        icon(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
        icon(size, maskable=True).save(OUT / f"icon-maskable-{size}.png", optimize=True)
    icon(192, maskable=True).convert("RGB").save(OUT / "apple-touch-icon-192.png", optimize=True)
    icon(32, maskable=False).save(ROOT / "assets" / "favicon.png", optimize=True)
    for size in (192, 512):
        notes_icon(size, maskable=False).save(OUT / f"notes-{size}.png", optimize=True)
        notes_icon(size, maskable=True).save(OUT / f"notes-maskable-{size}.png", optimize=True)
    notes_icon(192, maskable=True).convert("RGB").save(OUT / "notes-apple-touch-icon-192.png", optimize=True)
    notes_icon(32, maskable=False).save(OUT / "notes-favicon.png", optimize=True)


if __name__ == "__main__":
    main()
