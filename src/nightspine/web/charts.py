"""Small server-drawn SVG charts (no JavaScript, allowed by the Content-Security-Policy)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from nightspine.diary.dates import day_text, span_text
from nightspine.diary.entry import DiaryEntry
from nightspine.insights.result import FactorEffect
from nightspine.insights.text import (
    chart_label,
    effect_step,
    interval_name,
    interval_text,
    nights_text,
    shown_interval,
    signed_points,
)


def pain_chart_svg(entries: Sequence[DiaryEntry], *, width: int = 400, height: int = 200) -> str:
    """Morning pain (0-10) over time as an accessible SVG line chart; '' when no entries."""
    points = [(e.date, e.pain_on_waking) for e in entries]
    if not points:
        return ""
    left, right, top, bottom = 30, 10, 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)

    def x(day: dt.date) -> float:
        return left + plot_w * ((day - first).days / span)

    def y(value: float) -> float:
        return top + plot_h * (1 - value / 10)

    mean = sum(v for _, v in points) / len(points)
    when = f"on {day_text(first)}" if first == last else f"from {span_text(first, last)}"
    label = (
        f"Morning pain {when}, {nights_text(len(points))}, "
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
        f'<text class="axis" x="{left}" y="{height - 8}">{day_text(first)}</text>'
        f'<text class="axis" x="{width - right}" y="{height - 8}" text-anchor="end">'
        f"{day_text(last)}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


# --- forest chart of factor effects (insights) ----------------------------------------------

FOREST_WIDTH = 380
"""User units across; the chart is shown at most 28rem wide, so 14-unit text is 13 px on a
390 px phone (about 358 px of chart) and about 16.5 px on a desktop."""
_ROW = 50
_TOP = 34
_PAD = 14
_LINE_CHARS = 46
"""About how many 14-unit characters fit across the chart."""


def forest_chart_svg(factors: Sequence[FactorEffect], tests: int) -> str:
    """Each factor's effect (dot) and its interval (line) against "no difference" (0), one row
    per factor, labels above the bars so they never collide on a phone; '' when none.

    Filled dots and bold labels mark effects whose interval excludes 0 (readable without
    colour). Numbers and the interval's name come from ``nightspine.insights.text``.
    """
    rows = [f for f in factors if f.enough_data and f.effect is not None and shown_interval(f)]
    if not rows:
        return ""
    scaled = []
    for f in rows:
        interval = shown_interval(f)
        if interval is None or f.effect is None:
            continue
        _, step = effect_step(f)
        scaled.append((f, f.effect * step, interval[0] * step, interval[1] * step))
    reach = max(1.0, *(max(abs(lo), abs(hi)) for _, _, lo, hi in scaled))
    reach = float(int(reach) + (0 if reach.is_integer() else 1))
    left, right = _PAD, FOREST_WIDTH - _PAD
    height = _TOP + _ROW * len(scaled) + 34

    def x(value: float) -> float:
        return left + (right - left) * (value + reach) / (2 * reach)

    name = interval_name(tests)
    label = (
        f"Effect of each factor on morning pain with its {name}; left of the centre line is "
        f"better, right is worse. {sum(1 for f in rows if f.credible)} of {len(rows)} stand out."
    )
    parts = [
        f'<svg class="chart forest" viewBox="0 0 {FOREST_WIDTH} {height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(label)}</title>",
        f'<text class="axis" x="{x(0) - 6:.1f}" y="18" text-anchor="end">← better</text>',
        f'<text class="axis" x="{x(0) + 6:.1f}" y="18">worse →</text>',
        f'<line class="zero" x1="{x(0):.1f}" x2="{x(0):.1f}" y1="{_TOP - 8}" y2="{height - 28}"/>',
    ]
    for index, (f, effect, lo, hi) in enumerate(scaled):
        top = _TOP + _ROW * index
        numbers = f"{signed_points(effect)} ({interval_text(lo, hi)})"
        name = chart_label(f)
        room = _LINE_CHARS - len(numbers) - 2
        short = name if len(name) <= room else name[: room - 1].rstrip() + "…"
        weight = ' font-weight="700"' if f.credible else ""
        parts.append(
            f"<g><title>{escape(name)}: {escape(numbers)}</title>"
            f'<text class="label" x="{left}" y="{top + 14}"{weight}>{escape(short)}</text>'
            f'<text class="label" x="{right}" y="{top + 14}" text-anchor="end"{weight}>'
            f"{escape(numbers)}</text></g>"
        )
        bar_y = top + 32
        parts.append(
            f'<line class="ci" x1="{x(lo):.1f}" x2="{x(hi):.1f}" y1="{bar_y}" y2="{bar_y}"/>'
        )
        dot = "dot" if f.credible else "dot open"
        parts.append(f'<circle class="{dot}" cx="{x(effect):.1f}" cy="{bar_y}" r="6"/>')
    axis_y = height - 10
    for value in (-reach, 0.0, reach):
        shown = signed_points(value)
        anchor = "start" if value < 0 else "end" if value > 0 else "middle"
        parts.append(
            f'<text class="axis" x="{x(value):.1f}" y="{axis_y}" text-anchor="{anchor}">'
            f"{shown}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
