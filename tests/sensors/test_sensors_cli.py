"""``nightspine sensors analyze`` and ``batch`` through the real command line app."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from conftest import DATA
from nightspine.cli.main import app
from nightspine.cli.sensors_batch import run_batch

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    from nightspine.cli.main import report_error
    from nightspine.errors import NightspineError

    result = runner.invoke(app, ["sensors", *args])
    if isinstance(result.exception, NightspineError):
        return report_error(result.exception), str(result.exception)
    return result.exit_code, result.output


def test_analyze_text(night_cwa: Path) -> None:
    code, out = _run("analyze", str(night_cwa))
    assert code == 0, out
    assert "2026-03-03" in out  # the morning after the night of 2 March
    assert "calibration" in out
    assert "Measured, not diagnosed" in out


def test_analyze_json_and_rotated_axes(night_cwa: Path) -> None:
    code, out = _run("analyze", str(night_cwa), "--format", "json", "--axes", "-y,x,z")
    assert code == 0, out
    data = json.loads(out)
    assert data["axes"] == "-y,x,z"
    assert data["placement"] == "chest"
    code, out = _run("analyze", str(night_cwa), "--format", "json")
    nights = json.loads(out)["nights"]
    assert [n["date"] for n in nights] == ["2026-03-03"]
    assert nights[0]["main_position"] in {"back", "side", "stomach", "mixed"}


def test_analyze_wrist_says_position_unknown(night_cwa: Path) -> None:
    code, out = _run("analyze", str(night_cwa), "--placement", "wrist")
    assert code == 0, out
    assert "position is" in out and "unknown" in out


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_chart(night_cwa: Path, tmp_path: Path, suffix: str) -> None:
    chart = tmp_path / f"nights{suffix}"
    code, out = _run("analyze", str(night_cwa), "--chart", str(chart))
    assert code == 0, out
    assert chart.stat().st_size > 1000


def test_bad_inputs(tmp_path: Path, night_cwa: Path) -> None:
    code, msg = _run("analyze", str(tmp_path / "missing.cwa"))
    assert code == 1 and "missing.cwa" in msg
    code, msg = _run("analyze", str(night_cwa), "--placement", "ankle")
    assert code == 2 and "ankle" in msg
    code, msg = _run("analyze", str(night_cwa), "--axes", "x,y")
    assert code == 2
    code, msg = _run("analyze", str(night_cwa), "--chart", str(tmp_path / "c.pdf"))
    assert code == 2 and ".png" in msg


def test_batch_resumes_and_lists_failures(tmp_path: Path, night_cwa: Path) -> None:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    shutil.copy(night_cwa, src / "a.cwa")
    shutil.copy(DATA / "geneactiv.bin", src / "sub" / "b.bin")
    (src / "broken.cwa").write_bytes(b"not a recording")
    out = tmp_path / "results.parquet"
    first = run_batch(str(src), out, workers=1, processes=False, memory_limit="1GiB")
    assert (first.total, first.done, first.skipped) == (3, 2, 0)
    assert [f for f, _ in first.failed] == [str(src / "broken.cwa")]
    assert "not an Axivity .cwa file" in first.failed[0][1]
    table = pq.read_table(out)
    assert table.num_rows == 1
    assert table.column("file").to_pylist() == [str(src / "a.cwa")]
    errors = json.loads((tmp_path / "results.parquet.errors.json").read_text())
    assert errors[0]["file"].endswith("broken.cwa")
    # rerun on an existing cluster given by address: finished files are skipped
    from dask.distributed import LocalCluster

    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        code, output = _run(
            "batch", str(src), "--out", str(out), "--scheduler", cluster.scheduler_address
        )
    assert code == 1  # the broken file still fails
    assert "2 of 3 files already done" in output
    assert pq.read_table(out).num_rows == 1


def test_batch_nothing_found(tmp_path: Path) -> None:
    code, msg = _run("batch", str(tmp_path / "*.cwa"), "--out", str(tmp_path / "r.parquet"))
    assert code == 2 and "no recordings" in msg
