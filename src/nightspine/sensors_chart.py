"""Night-by-night chart of a sensor analysis: position as a coloured band over time.

A shell module (matplotlib); the core never imports it. One row per night, from 20:00 to 12:00
the next morning, the in-bed window coloured by position (grey where not worn or unknown).
Used by ``nightspine sensors analyze --chart`` and, later, by the report and the web app.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from nightspine.errors import InvalidInputError, Problem, missing_extra

try:
    import matplotlib

    matplotlib.use("Agg")

    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
except ImportError as exc:  # charts are part of the optional 'sensors' part
    raise missing_extra("sensors", "the sensor chart", exc) from exc

from nightspine.sensors.analysis import Analysis
from nightspine.sensors.epochs import NS
from nightspine.sensors.position import POSITIONS

# colour-blind-safe palette (Okabe-Ito)
COLOURS = {
    "supine": "#0072B2",
    "prone": "#D55E00",
    "left": "#009E73",
    "right": "#E69F00",
    "upright": "#CC79A7",
    "unknown": "#BBBBBB",
}
LABELS = {
    "supine": "back",
    "prone": "stomach",
    "left": "left side",
    "right": "right side",
    "upright": "sitting/up",
    "unknown": "not worn / unknown",
}
FROM_H = 20  # rows run from 20:00 ...
SPAN_H = 16  # ... to 12:00 the next day


def draw_nights(result: Analysis, out: str | Path) -> Path:
    """Write the chart to ``out`` (.png or .svg) and return its path."""
    path = Path(out)
    if path.suffix.lower() not in (".png", ".svg"):
        raise InvalidInputError(
            [Problem("--chart", f"{path.name!r}: the chart is written as .png or .svg")],
            what="chart file",
        )
    nights = result.windows
    fig_h = 1.8 + 0.45 * max(1, len(nights))
    fig, ax = plt.subplots(figsize=(9, fig_h))
    step_h = result.epoch_s / 3600.0
    for row, w in enumerate(nights):
        y = len(nights) - 1 - row
        origin = dt.datetime.combine(w.date - dt.timedelta(days=1), dt.time(FROM_H))
        t0 = dt.datetime(1970, 1, 1) + dt.timedelta(
            microseconds=(result.start_ns + w.start * result.epoch_s * NS) // 1000
        )
        base = (t0 - origin).total_seconds() / 3600.0
        codes = result.positions[w.start : w.end]
        change = np.flatnonzero(np.diff(codes) != 0) + 1
        starts = np.concatenate([[0], change])
        ends = np.concatenate([change, [codes.size]])
        for s, e in zip(starts, ends, strict=True):
            c = int(codes[s])
            name = POSITIONS[c] if result.placement != "wrist" and c >= 0 else "unknown"
            if result.placement == "wrist":
                name = "unknown"
            ax.broken_barh(
                [(base + s * step_h, (e - s) * step_h)], (y - 0.4, 0.8), color=COLOURS[name]
            )
    ax.set_yticks(range(len(nights)))
    ax.set_yticklabels([w.date.isoformat() for w in reversed(nights)])
    ax.set_xlim(0, SPAN_H)
    ticks = list(range(0, SPAN_H + 1, 2))
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{(FROM_H + t) % 24:02d}:00" for t in ticks])
    ax.set_xlabel("time of night (the row's date is the morning)")
    if not nights:
        ax.text(SPAN_H / 2, 0, "no night in bed found in this recording", ha="center")
    title = f"Sleeping position by night ({result.placement} sensor)"
    if result.placement == "wrist":
        title = "In-bed window by night (wrist sensor: position unknown)"
    ax.set_title(title)
    shown = ["unknown"] if result.placement == "wrist" else [*POSITIONS, "unknown"]
    legend_h = 0.45 / fig_h  # share of the figure kept under the axes for the legend
    fig.legend(
        handles=[Patch(color=COLOURS[k], label=LABELS[k]) for k in shown],
        loc="lower center",
        ncol=6,
        fontsize="small",
        frameon=False,
    )
    fig.tight_layout(rect=(0.0, legend_h, 1.0, 1.0))
    fig.savefig(path)
    plt.close(fig)
    return path
