"""The report's charts, drawn by matplotlib as SVG (a shell: only render.py calls it).

Readable in black and white: grey dots and a black line, changes marked by line style and a
number, positions told apart by hatching as well as by shade.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from typing import Any

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from nightspine.report.content import ChangeMark, PainPoint, WeekPositions

CM = 1 / 2.54
FONT = 7.0
MARK_STYLES = {"mattress": "--", "pillow": ":", "experiment": "-."}
POSITION_STYLES: dict[str, tuple[str, str]] = {  # fill, hatch
    "back": ("white", ""),
    "side": ("#bdbdbd", ""),
    "stomach": ("#404040", "////"),
    "mixed": ("white", "...."),
}

mpl.rcParams.update(
    {
        "svg.fonttype": "path",
        "svg.hashsalt": "nightspine",
        "font.family": "DejaVu Sans",
        "font.size": FONT,
        "axes.linewidth": 0.6,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "xtick.major.width": 0.6,
        "ytick.major.width": 0.6,
        "hatch.linewidth": 0.6,
        "path.simplify": True,
        "date.epoch": "1970-01-01T00:00:00",
    }
)


EPOCH = dt.date(1970, 1, 1)


def _day(date: dt.date) -> float:
    """matplotlib's number for a date (days since its default epoch, 1970-01-01)."""
    return float((date - EPOCH).days)


def _date_axis(ax: Axes, span: tuple[dt.date, dt.date]) -> None:
    """The same date range on every chart (at least two weeks, so ticks stay dates)."""
    first, last = span
    last = max(last, first + dt.timedelta(days=13))
    ax.set_xlim(_day(first) - 1, _day(last) + 1)
    locator = AutoDateLocator(minticks=4, maxticks=10)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def _axes(width_cm: float, height_cm: float, *, top_cm: float) -> tuple[Figure, Axes]:
    """A figure whose plot area has fixed margins in cm, so charts stacked on a page align."""
    left, right, bottom = 1.3, 0.45, 0.75
    fig = Figure(figsize=(width_cm * CM, height_cm * CM))
    ax = fig.add_axes(
        (
            left / width_cm,
            bottom / height_cm,
            (width_cm - left - right) / width_cm,
            (height_cm - bottom - top_cm) / height_cm,
        )
    )
    return fig, ax


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


DOT_STYLE: dict[str, Any] = {
    "color": "#9e9e9e",
    "lw": 2.4,  # points: the diameter of a dot
    "solid_capstyle": "round",
    "ls": "-",
}
DOT_DAYS = 0.01
"""A dot is a stroke this long (in days) with round ends: a round dot at any scale."""


def _dots(days: Sequence[float], values: Sequence[float]) -> tuple[list[float], list[float]]:
    """One dot per night as ONE line with gaps (NaN between the nights): a single SVG path,
    however many nights, instead of one marker element per night."""
    xs: list[float] = []
    ys: list[float] = []
    for day, value in zip(days, values, strict=True):
        xs += [day, day + DOT_DAYS, math.nan]
        ys += [value, value, math.nan]
    return xs, ys


def pain_chart(
    points: Sequence[PainPoint],
    marks: Sequence[ChangeMark],
    *,
    span: tuple[dt.date, dt.date],
    width_cm: float,
    height_cm: float,
) -> str:
    """Morning pain (0-10) per night, its 7-night mean, and the changes as numbered lines."""
    fig, ax = _axes(width_cm, height_cm, top_cm=0.45)
    dates = [_day(p.date) for p in points]
    ax.plot(*_dots(dates, [float(p.pain) for p in points]), **DOT_STYLE)
    ax.plot(dates, [p.smooth for p in points], color="black", lw=1.1, label="7-night mean")
    for number, mark in enumerate(marks, start=1):
        x = _day(mark.date)
        ax.axvline(x, color="black", lw=0.8, ls=MARK_STYLES[mark.kind])
        if mark.end is not None:  # an experiment's nights, a light band behind the data
            ax.axvspan(x, _day(mark.end), facecolor="#e6e6e6", lw=0, zorder=0)
        ax.annotate(
            str(number),
            (x, 10.4),
            ha="center",
            va="bottom",
            fontsize=FONT,
            fontweight="bold",
            annotation_clip=False,
        )
    ax.set_ylim(-0.3, 10.3)
    ax.set_yticks([0, 2, 4, 6, 8, 10])
    ax.set_ylabel("pain on waking (0-10)")
    ax.grid(axis="y", color="#e0e0e0", lw=0.5)
    ax.set_axisbelow(True)
    _date_axis(ax, span)
    morning = Line2D([], [], ls="none", marker="o", ms=2.4, mew=0, color=DOT_STYLE["color"])
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(
        [morning, *handles],
        ["a morning", *labels],
        loc="upper right",
        frameon=True,
        facecolor="white",
        edgecolor="none",
        framealpha=1.0,
        fontsize=FONT - 0.5,
        ncols=2,
    )
    return _svg(fig)


def position_chart(
    weeks: Sequence[WeekPositions],
    *,
    span: tuple[dt.date, dt.date],
    width_cm: float,
    height_cm: float,
) -> str:
    """Share of each week's nights spent mostly in each position, as stacked hatched steps.

    One filled band per position (not one bar per week): four shapes whatever the period, so
    the chart stays fast to draw and to lay out.
    """
    fig, ax = _axes(width_cm, height_cm, top_cm=0.5)
    edges = [_day(w.week_start) for w in weeks]
    if weeks:
        edges.append(_day(weeks[-1].week_start + dt.timedelta(days=7)))
    bottom = [0.0] * len(edges)
    for position, (fill, hatch) in POSITION_STYLES.items():
        share = [getattr(w, position) * 100 for w in weeks]
        share.append(share[-1] if share else 0.0)
        top = [b + s for b, s in zip(bottom, share, strict=True)]
        ax.fill_between(
            edges,
            bottom,
            top,
            step="post",
            facecolor=fill,
            hatch=hatch,
            edgecolor="black",
            linewidth=0.3,
            label=position,
        )
        bottom = top
    ax.set_ylim(0, 100)
    ax.set_yticks([0, 50, 100])
    ax.set_ylabel("% of nights")
    _date_axis(ax, span)
    ax.legend(
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncols=4,
        frameon=False,
        fontsize=FONT - 0.5,
        handlelength=1.5,
        borderaxespad=0.1,
    )
    return _svg(fig)
