"""A small server-side SVG chart of mood and stress, with a text alternative (no JavaScript)."""

from __future__ import annotations

from html import escape


def mood_chart(points: list[tuple[str, int, int | None]], width: int = 560, height: int = 180) -> str:
    """points: (day, mood 1-5, stress 0-10 or None), oldest first."""
    if len(points) < 2:
        return ""
    pad, n = 28, len(points)

    def x(i):
        return pad + i * (width - 2 * pad) / (n - 1)

    def y(v, top):
        return height - pad - v * (height - 2 * pad) / top

    mood = " ".join(f"{x(i):.1f},{y(p[1], 5):.1f}" for i, p in enumerate(points))
    stress = " ".join(f"{x(i):.1f},{y(p[2], 10):.1f}" for i, p in enumerate(points) if p[2] is not None)
    desc = (f"Mood from {points[0][0]} to {points[-1][0]}: " +
            ", ".join(f"{p[0]} mood {p[1]}" + (f" stress {p[2]}" if p[2] is not None else "") for p in points[-14:]))
    return (f'<svg role="img" aria-label="{escape(desc)}" viewBox="0 0 {width} {height}" class="chart" '
            f'xmlns="http://www.w3.org/2000/svg"><title>{escape(desc)}</title>'
            f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#999"/>'
            f'<text x="2" y="{y(5, 5) + 4:.0f}" font-size="11">5</text><text x="2" y="{y(1, 5) + 4:.0f}" '
            f'font-size="11">1</text>'
            f'<polyline fill="none" stroke="#1E7A6F" stroke-width="3" points="{mood}"/>'
            + (f'<polyline fill="none" stroke="#B35C00" stroke-width="2" stroke-dasharray="6 4" points="{stress}"/>'
               if stress else "") + "</svg>")
