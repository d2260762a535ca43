"""Small server-drawn SVG charts (no JavaScript, allowed by the Content-Security-Policy)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from nightspine.diary.entry import DiaryEntry


def pain_chart_svg(entries: Sequence[DiaryEntry], *, width: int = 640, height: int = 220) -> str:
    """Morning pain (0-10) over time as an accessible SVG line chart; '' when no entries."""
    points = [(e.date, e.pain_on_waking) for e in entries]
    if not points:
        return ""
    left, right, top, bottom = 34, 10, 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)

    def x(day: dt.date) -> float:
        return left + plot_w * ((day - first).days / span)

    def y(value: float) -> float:
        return top + plot_h * (1 - value / 10)

    mean = sum(v for _, v in points) / len(points)
    label = (
        f"Morning pain from {first.isoformat()} to {last.isoformat()}, {len(points)} nights, "
        f"average {mean:.1f} out of 10, latest {points[-1][1]}."
    )
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(label)}</title>",
    ]
    for level in (0, 5, 10):
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(level):.1f}" '
            f'y2="{y(level):.1f}"/>'
            f'<text class="axis" x="{left - 6}" y="{y(level) + 4:.1f}" text-anchor="end">'
            f"{level}</text>"
        )
    coords = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in points)
    parts.append(f'<polyline class="line" points="{coords}"/>')
    if len(points) <= 120:
        parts.extend(
            f'<circle class="dot" cx="{x(d):.1f}" cy="{y(v):.1f}" r="3"/>' for d, v in points
        )
    parts.append(
        f'<text class="axis" x="{left}" y="{height - 8}">{first.isoformat()}</text>'
        f'<text class="axis" x="{width - right}" y="{height - 8}" text-anchor="end">'
        f"{last.isoformat()}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)
