"""``sensors batch`` on this computer: a process pool by default, Dask only when asked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import DATA
from nightspine.cli.sensors_batch import run_batch


def test_the_default_process_pool_analyses_every_file(tmp_path: Path, night_cwa: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(night_cwa, src / "a.cwa")
    shutil.copy(night_cwa, src / "b.cwa")
    shutil.copy(DATA / "geneactiv.bin", src / "c.bin")
    (src / "broken.cwa").write_bytes(b"not a recording")
    out = tmp_path / "results.parquet"
    summary = run_batch(str(src), out, workers=2)
    assert (summary.total, summary.done, len(summary.failed)) == (4, 3, 1)
    assert "not an Axivity .cwa file" in summary.failed[0][1]
    files = sorted(pq.read_table(out).column("file").to_pylist())
    assert files == [str(src / "a.cwa"), str(src / "b.cwa")]  # the .bin holds no whole night


def test_dask_is_not_started_without_a_scheduler(
    tmp_path: Path, night_cwa: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nightspine.cli.sensors_batch as batch

    def no_dask(*args: object, **kwargs: object) -> None:
        raise AssertionError("Dask started without --scheduler")

    monkeypatch.setattr(batch, "_client", no_dask)
    shutil.copy(night_cwa, tmp_path / "a.cwa")
    summary = run_batch(str(tmp_path / "*.cwa"), tmp_path / "r.parquet", workers=2)
    assert summary.done == 1
