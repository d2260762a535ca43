"""``nightspine sensors batch``: many recordings on local worker processes or a Dask cluster.

By default a plain process pool on this computer analyses one recording per worker process (no
cluster start-up: on 8 local files Dask's local cluster was 2.5-2.9x slower and used up to 3.5x
the memory, see ``benchmarks/bench_sensors_batch.py``). ``--scheduler dask`` starts a local
Dask cluster (worker processes with a memory cap); ``--scheduler tcp://host:8786`` uses an
existing cluster, which is where Dask wins: recordings spread over many machines. Each finished
file's nights are written at once to ``<out>.parts/<key>.parquet`` (the key hashes the file's
path, size and modification time), so a rerun skips finished files and picks up changed ones;
at the end the parts of the files asked for are joined into ``<out>``. A file that fails is
listed with its reason (on screen and in ``<out>.errors.json``) and retried on the next run; it
never stops the others.
"""

from __future__ import annotations

import glob
import hashlib
import json
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from nightspine.errors import InvalidInputError, NightspineError, Problem, missing_extra
from nightspine.sensors import analyze
from nightspine.sensors.readers import FORMATS

try:
    import pyarrow as pa
    import pyarrow.parquet as pq
except ImportError as exc:
    raise missing_extra("sensors", "nightspine sensors batch", exc) from exc

LOCAL_DASK = "dask"  # --scheduler dask: a Dask cluster on this computer

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


def _client(scheduler: str, workers: int, memory_limit: str, processes: bool) -> Any:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise missing_extra("batch", "--scheduler (a Dask cluster)", exc) from exc

    if scheduler != LOCAL_DASK:
        return Client(scheduler), None  # type: ignore[no-untyped-call]
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers,
        threads_per_worker=1,
        processes=processes,
        memory_limit=memory_limit,
        dashboard_address=None,
    )
    return Client(cluster), cluster  # type: ignore[no-untyped-call]


Outcome = dict[str, Any]


def _on_dask(
    names: list[str], scheduler: str, workers: int, memory_limit: str, processes: bool, **kw: str
) -> Iterator[tuple[str, Outcome]]:
    client, cluster = _client(scheduler, workers, memory_limit, processes)
    from dask.distributed import as_completed as dask_completed

    try:
        futures = client.map(analyse_one, names, pure=False, **kw)
        by_future = {fut.key: name for fut, name in zip(futures, names, strict=True)}
        for fut in dask_completed(futures):  # type: ignore[no-untyped-call]
            name = by_future[fut.key]
            try:
                yield name, fut.result()
            except Exception as exc:  # a worker died (memory cap) or was lost
                yield name, {"file": name, "error": f"worker failed: {type(exc).__name__}"}
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _on_this_computer(
    names: list[str], workers: int, processes: bool, **kw: str
) -> Iterator[tuple[str, Outcome]]:
    if not processes or workers == 1 or len(names) == 1:
        for name in names:  # no pool to start for one worker
            yield name, analyse_one(name, **kw)
        return
    with ProcessPoolExecutor(max_workers=min(workers, len(names))) as pool:
        futures = {pool.submit(analyse_one, name, **kw): name for name in names}
        for fut in as_completed(futures):
            name = futures[fut]
            try:
                yield name, fut.result()
            except Exception as exc:  # the worker process died (e.g. out of memory)
                yield name, {"file": name, "error": f"worker failed: {type(exc).__name__}"}


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
    """Analyse every recording in ``source`` into ``out`` (Parquet, one row a night).

    ``scheduler``: None for a process pool here, ``"dask"`` for a local Dask cluster, or the
    address of a running Dask scheduler. ``memory_limit`` caps each local Dask worker.
    """
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
        names = [str(f) for f in todo]
        kw = {"placement": placement, "axes": axes}
        outcomes = (
            _on_dask(names, scheduler, workers, memory_limit, processes, **kw)
            if scheduler
            else _on_this_computer(names, workers, processes, **kw)
        )
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=con,
        ) as bar:
            task = bar.add_task("recordings", total=len(todo))
            for name, res in outcomes:
                if "error" in res:
                    summary.failed.append((name, str(res["error"])))
                else:
                    table = pa.Table.from_pylist(res["rows"], schema=SCHEMA)
                    tmp = parts / f"{keys[name]}.tmp"
                    pq.write_table(table, tmp)
                    tmp.rename(parts / f"{keys[name]}.parquet")
                    summary.done += 1
                bar.advance(task)
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
