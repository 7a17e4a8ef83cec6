"""Small server-side SVG charts (no JavaScript): mood and stress, and WHO-5, each with dates on the x axis,
labelled y axes and a short accessible name; the page gives the full text alternative beside each chart."""

from __future__ import annotations

from html import escape

PAD_L, PAD_R, PAD_T, PAD_B = 92, 34, 14, 34


def _x(i: int, n: int, width: int) -> float:
    return PAD_L + (i * (width - PAD_L - PAD_R) / (n - 1) if n > 1 else (width - PAD_L - PAD_R) / 2)


def _y(v: float, low: float, high: float, height: int) -> float:
    return height - PAD_B - (v - low) * (height - PAD_T - PAD_B) / (high - low)


def _frame(width: int, height: int, days: list[str], label: str) -> list[str]:
    """The accessible name, the x axis with the first, middle and last dates."""
    n = len(days)
    parts = [f'<svg role="img" aria-label="{escape(label)}" viewBox="0 0 {width} {height}" class="chart" '
             f'xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="15">'
             f'<title>{escape(label)}</title>',
             f'<line x1="{PAD_L}" y1="{height - PAD_B}" x2="{width - PAD_R}" y2="{height - PAD_B}" stroke="#6b7574"/>']
    ticks = sorted({0, (n - 1) // 2, n - 1}) if n > 2 else list(range(n))
    for i in ticks:
        anchor = "start" if i == 0 and n > 1 else "end" if i == n - 1 and n > 1 else "middle"
        parts.append(f'<text x="{_x(i, n, width):.0f}" y="{height - 8}" text-anchor="{anchor}" '
                     f'fill="#1b1f1f">{escape(days[i])}</text>')
    return parts


def mood_chart(points: list[tuple[str, int, int | None]], width: int = 460, height: int = 200) -> str:
    """points: (day, mood 1-5, stress 0-10 or None), oldest first. Mood words on the left, stress 0-10 on the right."""
    if len(points) < 2:
        return ""
    n = len(points)
    label = f"Mood and stress, {n} check-ins from {points[0][0]} to {points[-1][0]}. The table below has each value."
    parts = _frame(width, height, [p[0] for p in points], label)
    for v, word in ((1, "Very low"), (3, "Okay"), (5, "Very good")):
        y = _y(v, 1, 5, height)
        parts.append(f'<line x1="{PAD_L}" y1="{y:.1f}" x2="{width - PAD_R}" y2="{y:.1f}" stroke="#e2e7e6"/>'
                     f'<text x="{PAD_L - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#1e5f63">{word}</text>')
    for v in (0, 10):
        parts.append(f'<text x="{width - PAD_R + 6}" y="{_y(v, 0, 10, height) + 4:.1f}" fill="#8a4a00">{v}</text>')
    mood = " ".join(f"{_x(i, n, width):.1f},{_y(p[1], 1, 5, height):.1f}" for i, p in enumerate(points))
    stress = " ".join(f"{_x(i, n, width):.1f},{_y(p[2], 0, 10, height):.1f}" for i, p in enumerate(points)
                      if p[2] is not None)
    parts.append(f'<polyline fill="none" stroke="#1E7A6F" stroke-width="3" points="{mood}"/>')
    if stress:
        parts.append(f'<polyline fill="none" stroke="#B35C00" stroke-width="2" stroke-dasharray="6 4" '
                     f'points="{stress}"/>')
    return "".join(parts) + "</svg>"


def who5_chart(points: list[tuple[str, int]], width: int = 460, height: int = 170) -> str:
    """points: (day, WHO-5 score 0-100), oldest first; the line at 28 marks a low score."""
    if not points:
        return ""
    n = len(points)
    label = f"WHO-5 wellbeing scores, {n} from {points[0][0]} to {points[-1][0]}. The list below has each score."
    parts = _frame(width, height, [p[0] for p in points], label)
    for v in (0, 50, 100):
        y = _y(v, 0, 100, height)
        parts.append(f'<line x1="{PAD_L}" y1="{y:.1f}" x2="{width - PAD_R}" y2="{y:.1f}" stroke="#e2e7e6"/>'
                     f'<text x="{PAD_L - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#1e5f63">{v}</text>')
    low = _y(28, 0, 100, height)
    parts.append(f'<line x1="{PAD_L}" y1="{low:.1f}" x2="{width - PAD_R}" y2="{low:.1f}" stroke="#8a1c14" '
                 f'stroke-dasharray="3 3"/><text x="{width - PAD_R + 4}" y="{low + 4:.1f}" fill="#8a1c14">28</text>')
    line = " ".join(f"{_x(i, n, width):.1f},{_y(p[1], 0, 100, height):.1f}" for i, p in enumerate(points))
    parts.append(f'<polyline fill="none" stroke="#1E7A6F" stroke-width="3" points="{line}"/>' if n > 1 else "")
    parts += [f'<circle cx="{_x(i, n, width):.1f}" cy="{_y(p[1], 0, 100, height):.1f}" r="4" fill="#1E7A6F"/>'
              for i, p in enumerate(points)]
    return "".join(parts) + "</svg>"
