"""Draw the web app's icons into assets/icons/ (run once; the PNGs are committed): a calm teal square with a
white "R", the theme's seed colour. Maskable icons keep the letter inside the safe circle (80%)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "assets" / "icons"
TEAL, WHITE = "#2F6F73", "#FFFFFF"
FONT = ROOT / "assets" / "fonts" / "NotoSans-Bold.ttf"


def icon(size: int, *, maskable: bool) -> Image.Image:
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    if maskable:
        draw.rectangle((0, 0, size, size), fill=TEAL)
    else:
        draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=TEAL)
    font = ImageFont.truetype(str(FONT), int(size * (0.46 if maskable else 0.6)))
    draw.text((size / 2, size / 2), "R", font=font, fill=WHITE, anchor="mm")
    return img


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        icon(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
        icon(size, maskable=True).save(OUT / f"icon-maskable-{size}.png", optimize=True)
    icon(192, maskable=True).convert("RGB").save(OUT / "apple-touch-icon-192.png", optimize=True)
    icon(32, maskable=False).save(ROOT / "assets" / "favicon.png", optimize=True)


if __name__ == "__main__":
    main()
