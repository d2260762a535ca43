"""``nightspine sensors``: sleeping position from a body-worn accelerometer recording.

- ``analyze FILE``: one recording, as text (a table per night) or JSON, with an optional chart.
- ``import FILE``: the measured nights into the diary entries the person has typed.
- ``batch DIR_OR_GLOB --out results.parquet``: many recordings on a Dask cluster (local by
  default, an existing one with ``--scheduler``), resumable, one file's error never stops the
  others.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from nightspine.cli.db import DbOption, open_profile
from nightspine.errors import InvalidInputError, NightspineError, Problem

if TYPE_CHECKING:  # the analysis (numpy, scipy) loads only when a command runs
    from nightspine.sensors import Analysis

sensors_app = typer.Typer(
    help="Sleeping position, stillness and restlessness from a raw accelerometer recording "
    "(Axivity .cwa, GENEActiv .bin, ActiGraph .gt3x, CSV time,x,y,z in g, or a phone's "
    "Sensor Logger / phyphox export, .zip or .csv).",
    no_args_is_help=True,
)


def _console() -> Console:
    con = Console(highlight=False)
    if not con.is_terminal and con.width < 120:  # piped: do not squeeze the night table
        con = Console(highlight=False, width=120)
    return con


PLACEMENT_HELP = "Where the sensor was worn: chest, back or wrist (wrist: no position)."
AXES_HELP = (
    "Device axes as the body frame's x (to the head), y (to the wearer's left), z (out of the "
    "front; for back, out of the back), e.g. -y,x,z."
)


def _hm(minutes: float | None) -> str:
    if minutes is None:
        return "-"
    m = round(minutes)
    return f"{m // 60}:{m % 60:02d}"


def render_text(result: Analysis) -> None:
    """Print a readable summary of ``result``."""
    from nightspine.sensors import POSITIONS
    from nightspine.sensors.analysis import WRIST_NOTE

    console = _console()
    rec = result.recording
    cal = result.calibration
    console.print(
        f"[bold]{rec.path}[/bold]: {rec.format}{' ' + rec.device if rec.device else ''}, "
        f"{rec.sample_rate_hz:g} Hz, "
        f"{rec.samples:,} samples; sensor on the {result.placement} (axes {result.axes})"
    )
    console.print(
        f"calibration: {'applied' if cal.applied else 'not applied'} ({cal.reason}); "
        f"not worn: {_hm(result.nonwear_min)} h:mm in all"
        + (f"; {rec.skipped_blocks} damaged blocks skipped" if rec.skipped_blocks else "")
        + (f"; {rec.gaps} gaps in the samples ({_hm(rec.gap_min)} h:mm)" if rec.gaps else "")
    )
    for note in result.notes:
        console.print(f"[yellow]Note:[/yellow] {note}.")
    if result.placement == "wrist":
        console.print(f"[yellow]Note:[/yellow] {WRIST_NOTE}.")
    if not result.nights:
        console.print(
            "No night in bed found: the recording holds no lying, mostly still stretch of "
            "3 hours or more that starts and ends inside it."
        )
        return
    table = Table(
        title="Nights (dated by the morning; durations in h:mm)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    for col in ("morning", "in bed", "hours"):
        table.add_column(col, no_wrap=True)
    if result.placement != "wrist":
        for name in ("back", "stomach", "left", "right", "up"):
            table.add_column(name, justify="right", no_wrap=True)
        table.add_column("changes", justify="right", no_wrap=True)
        table.add_column("brief", justify="right", no_wrap=True)
        table.add_column("mostly", no_wrap=True)
    table.add_column("still max", justify="right", no_wrap=True)
    table.add_column("restless", justify="right", no_wrap=True)
    for n in result.nights:
        row = [
            n.date.isoformat(),
            f"{n.in_bed_start:%H:%M}-{n.in_bed_end:%H:%M}",
            f"{n.in_bed_hours:.1f}",
        ]
        if n.minutes is not None:
            row += [_hm(n.minutes[k]) for k in POSITIONS]
            row += [str(n.position_changes), str(n.brief_turns), n.main_position]
        row += [_hm(n.longest_still_min), f"{n.restlessness:.0%}"]
        table.add_row(*row)
    console.print(table)
    dwell = result.parameters.get("position")
    dwell_min = (
        float(dwell["min_dwell_s"]) / 60
        if isinstance(dwell, dict) and "min_dwell_s" in dwell
        else 2
    )
    console.print(
        "still max = longest still stretch; restless = share of the time in bed with movement; "
        f"changes = changes between positions held {dwell_min:g} min or more; brief = shorter "
        "turns that came back to the same position. Measured, not diagnosed."
    )
    naps = result.nap_json()
    if naps:
        console.print(
            "Naps and lying outside the night: "
            + "; ".join(f"{n['start']} ({n['minutes']} min)" for n in naps)
        )


@sensors_app.command("analyze")
def analyze_cmd(
    file: Annotated[
        Path,
        typer.Argument(help="The recording (.cwa, .bin, .gt3x, .csv or a phone's .zip export)."),
    ],
    placement: Annotated[str, typer.Option("--placement", help=PLACEMENT_HELP)] = "chest",
    axes: Annotated[str, typer.Option("--axes", help=AXES_HELP)] = "x,y,z",
    fmt: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Also draw the nights as a chart (.png, .svg).")
    ] = None,
) -> None:
    """Analyse one recording: in-bed window, position, changes, stillness, restlessness."""
    if fmt not in ("text", "json"):
        raise InvalidInputError([Problem("--format", f"{fmt!r} is not text or json")])
    from nightspine.sensors import analyze

    result = analyze(file, placement, axes)
    if chart is not None:
        from nightspine.sensors_chart import draw_nights

        draw_nights(result, chart)
    if fmt == "json":
        typer.echo(json.dumps(result.to_json(), indent=2))
    else:
        render_text(result)
        if chart is not None:
            _console().print(f"chart: {chart}")


@sensors_app.command("batch")
def batch_cmd(
    source: Annotated[str, typer.Argument(help="A folder (searched recursively) or a glob.")],
    out: Annotated[
        Path, typer.Option("--out", help="The results table (.parquet), one row a night.")
    ],
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="'dask' for a local Dask cluster, or the address of a running Dask scheduler "
            "(default: worker processes on this computer, no Dask).",
        ),
    ] = None,
    placement: Annotated[str, typer.Option("--placement", help=PLACEMENT_HELP)] = "chest",
    axes: Annotated[str, typer.Option("--axes", help=AXES_HELP)] = "x,y,z",
    workers: Annotated[int, typer.Option("--workers", min=1, help="Local worker processes.")] = 2,
    memory: Annotated[
        str, typer.Option("--memory-per-worker", help="Local Dask cluster: memory cap per worker.")
    ] = "2GiB",
) -> None:
    """Analyse many recordings in parallel; finished files are skipped on a rerun."""
    from nightspine.cli.sensors_batch import run_batch

    summary = run_batch(
        source,
        out,
        scheduler=scheduler,
        placement=placement,
        axes=axes,
        workers=workers,
        memory_limit=memory,
        console=_console(),
    )
    if summary.failed:
        raise typer.Exit(1)


__all__ = ["NightspineError", "sensors_app"]


@sensors_app.command("import")
def import_cmd(
    file: Annotated[
        Path,
        typer.Argument(help="The recording (.cwa, .bin, .gt3x, .csv or a phone's .zip export)."),
    ],
    placement: Annotated[str, typer.Option("--placement", help=PLACEMENT_HELP)] = "chest",
    axes: Annotated[str, typer.Option("--axes", help=AXES_HELP)] = "x,y,z",
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite values you typed with measured ones.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Write the measured nights into your diary: position, hours in bed, tossing and turning.

    Only mornings you have already written an entry for are filled (an entry needs your pain on
    waking, which no sensor measures); import again after adding the others.
    """
    from nightspine.sensors import analyze
    from nightspine.storage.recordings import fill_diary

    result = analyze(file, placement, axes)
    report = fill_diary(open_profile(db), result, replace=replace)
    con = _console()
    if not result.nights:
        con.print("No night in bed found in this recording: nothing to import.")
    for date, written, kept in report.filled:
        line = f"{date}: measured {', '.join(written) or 'nothing new'}"
        if kept:
            line += f"; kept what you typed for {', '.join(kept)} (--replace to overwrite)"
        con.print(line, markup=False)
    if report.waiting:
        con.print(
            f"{len(report.waiting)} night(s) have no diary entry yet: {', '.join(report.waiting)}."
            " Add your morning entry (`nightspine diary add --date DATE`), then import again.",
            markup=False,
        )
    con.print(
        "hours_slept holds the time in bed measured by the sensor (an upper bound on sleep).",
        markup=False,
    )
