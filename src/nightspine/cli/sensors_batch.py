"""``nightspine sensors batch``: many recordings on a Dask cluster.

The same code runs on a local cluster (the default: worker processes with one thread each and
a memory cap, so a worker holds one recording at a time) or on an existing cluster given by its
scheduler address. Each finished file's nights are written at once to
``<out>.parts/<key>.parquet`` (the key hashes the file's path, size and modification time), so a
rerun skips finished files and picks up changed ones; at the end the parts of the files asked
for are joined into ``<out>``. A file that fails is listed with its reason (on screen and in
``<out>.errors.json``) and retried on the next run; it never stops the others.
"""

from __future__ import annotations

import glob
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from nightspine.errors import InvalidInputError, NightspineError, Problem
from nightspine.sensors import analyze
from nightspine.sensors.readers import FORMATS

SCHEMA = pa.schema(
    [
        ("file", pa.string()),
        ("date", pa.date32()),
        ("in_bed_start", pa.timestamp("s")),
        ("in_bed_end", pa.timestamp("s")),
        ("in_bed_hours", pa.float64()),
        ("supine_min", pa.float64()),
        ("prone_min", pa.float64()),
        ("left_min", pa.float64()),
        ("right_min", pa.float64()),
        ("upright_min", pa.float64()),
        ("position_changes", pa.int64()),
        ("longest_still_min", pa.float64()),
        ("main_position", pa.string()),
        ("restlessness", pa.float64()),
        ("night_nonwear_min", pa.float64()),
        ("recording_nonwear_min", pa.float64()),
        ("placement", pa.string()),
    ]
)


@dataclass
class BatchSummary:
    total: int
    skipped: int
    done: int
    nights: int
    failed: list[tuple[str, str]] = field(default_factory=list)


def find_recordings(source: str) -> list[Path]:
    """Recordings under a folder (recursively) or matching a glob, sorted."""
    base = Path(source)
    if base.is_dir():
        found = [p for p in base.rglob("*") if p.suffix.lower() in FORMATS and p.is_file()]
    else:
        found = [Path(p) for p in glob.glob(source, recursive=True)]
        found = [p for p in found if p.is_file() and p.suffix.lower() in FORMATS]
    if not found:
        raise InvalidInputError(
            [Problem(source, f"no recordings found ({', '.join(sorted(FORMATS))})")],
            what="batch input",
        )
    return sorted(found)


def file_key(path: Path) -> str:
    st = path.stat()
    raw = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"
    return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:20]


def analyse_one(path: str, placement: str, axes: str) -> dict[str, Any]:
    """Runs on a worker: the nights of one file, or the reason it failed."""
    try:
        result = analyze(path, placement, axes)
    except NightspineError as exc:
        return {"file": path, "error": str(exc)}
    except MemoryError:
        return {"file": path, "error": "ran out of memory; give the workers more"}
    except Exception as exc:  # one file's bug never stops the batch
        return {"file": path, "error": f"unexpected {type(exc).__name__}: {exc}"}
    return {"file": path, "rows": [{"file": path, **r} for r in result.night_rows()]}


def _client(scheduler: str | None, workers: int, memory_limit: str, processes: bool) -> Any:
    from dask.distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None  # type: ignore[no-untyped-call]
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers,
        threads_per_worker=1,
        processes=processes,
        memory_limit=memory_limit,
        dashboard_address=None,
    )
    return Client(cluster), cluster  # type: ignore[no-untyped-call]


def run_batch(
    source: str,
    out: Path,
    *,
    scheduler: str | None = None,
    placement: str = "chest",
    axes: str = "x,y,z",
    workers: int = 2,
    memory_limit: str = "2GiB",
    processes: bool = True,
    console: Console | None = None,
) -> BatchSummary:
    """Analyse every recording in ``source`` into ``out`` (Parquet, one row a night)."""
    from dask.distributed import as_completed

    con = console or Console(highlight=False)
    files = find_recordings(source)
    parts = out.with_name(out.name + ".parts")
    parts.mkdir(parents=True, exist_ok=True)
    keys = {str(f): file_key(f) for f in files}
    todo = [f for f in files if not (parts / f"{keys[str(f)]}.parquet").exists()]
    summary = BatchSummary(total=len(files), skipped=len(files) - len(todo), done=0, nights=0)
    if summary.skipped:
        con.print(f"{summary.skipped} of {len(files)} files already done: skipped")
    if todo:
        client, cluster = _client(scheduler, workers, memory_limit, processes)
        try:
            futures = client.map(
                analyse_one, [str(f) for f in todo], placement=placement, axes=axes, pure=False
            )
            by_future = {fut.key: str(f) for fut, f in zip(futures, todo, strict=True)}
            with Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=con,
            ) as bar:
                task = bar.add_task("recordings", total=len(todo))
                for fut in as_completed(futures):  # type: ignore[no-untyped-call]
                    name = by_future[fut.key]
                    try:
                        res = fut.result()
                    except Exception as exc:  # a worker died (memory cap) or was lost
                        res = {"file": name, "error": f"worker failed: {type(exc).__name__}"}
                    if "error" in res:
                        summary.failed.append((name, str(res["error"])))
                    else:
                        table = pa.Table.from_pylist(res["rows"], schema=SCHEMA)
                        tmp = parts / f"{keys[name]}.tmp"
                        pq.write_table(table, tmp)
                        tmp.rename(parts / f"{keys[name]}.parquet")
                        summary.done += 1
                    bar.advance(task)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    tables = [
        pq.read_table(parts / f"{keys[str(f)]}.parquet")
        for f in files
        if (parts / f"{keys[str(f)]}.parquet").exists()
    ]
    result = pa.concat_tables(tables) if tables else SCHEMA.empty_table()
    pq.write_table(result, out)
    summary.nights = result.num_rows
    errors = out.with_name(out.name + ".errors.json")
    if summary.failed:
        errors.write_text(
            json.dumps([{"file": f, "error": e} for f, e in summary.failed], indent=2),
            encoding="utf-8",
        )
        con.print(f"[red]{len(summary.failed)} file(s) failed[/red] (also in {errors}):")
        for f, e in summary.failed:
            con.print(f"  {e}" if e.startswith(f) else f"  {f}: {e}", markup=False)
    elif errors.exists():
        errors.unlink()
    con.print(
        f"{summary.done} analysed, {summary.skipped} skipped, {len(summary.failed)} failed; "
        f"{summary.nights} nights in {out}"
    )
    return summary
