"""Readers: the vendored real recordings, our CWA decoder against actfast, and bad files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import actfast
import numpy as np
import pytest
from cwa_writer import CwaWriter, pack_samples
from synthetic import chunks, make_truth

from conftest import DATA
from nightspine.errors import RecordingError
from nightspine.sensors import analyze, read_epochs
from nightspine.sensors.epochs import EpochAccumulator
from nightspine.sensors.readers import _packed_sums

REAL = sorted(p.name for p in DATA.iterdir() if p.suffix in {".cwa", ".bin", ".gt3x", ".csv"})


@pytest.mark.parametrize("name", REAL)
def test_real_recordings_read_and_give_no_nights(name: str) -> None:
    result = analyze(DATA / name, "chest")
    assert result.recording.samples > 500
    assert result.nights == []  # minutes long: shorter than a night
    ep = read_epochs(DATA / name)
    g = np.linalg.norm(ep.mean[ep.count > 0], axis=1)
    assert 0.3 < float(np.median(g)) < 2.0  # in g, not raw units


@pytest.mark.parametrize("name", [n for n in REAL if n.endswith(".cwa")])
def test_cwa_decoder_matches_actfast(name: str) -> None:
    ours = read_epochs(DATA / name)
    data = actfast.read(str(DATA / name))
    hf = data["timeseries"]["high_frequency"]
    a = np.asarray(hf["acceleration"], dtype=np.float64)
    assert int(ours.count.sum()) == a.shape[0]
    np.testing.assert_allclose(ours.sums.sum(axis=0), a.sum(axis=0), atol=1e-6)
    np.testing.assert_allclose(ours.sumsq.sum(axis=0), (a * a).sum(axis=0), rtol=1e-9)
    assert ours.start_ns // 5_000_000_000 == int(hf["datetime"][0]) // 5_000_000_000


def test_packed_words_round_trip() -> None:
    rng = np.random.default_rng(0)
    xyz = np.round(rng.uniform(-1.9, 1.9, (240, 3)) * 256) / 256  # exact in 10 bits
    words = pack_samples(xyz).reshape(2, 120)
    sums, sumsq = _packed_sums(words)
    raw = xyz.reshape(2, 120, 3) * 256
    np.testing.assert_array_equal(sums, raw.sum(axis=1))
    np.testing.assert_array_equal(sumsq, (raw * raw).sum(axis=1))


def test_written_cwa_reads_the_same_in_actfast_and_ours(tmp_path: Path) -> None:
    truth = make_truth(1, 25.0, seed=2)
    path = tmp_path / "day.cwa"
    with CwaWriter(path, 25.0, truth.start) as w:
        for i, (_, xyz, temp) in enumerate(chunks(truth)):
            w.write(xyz, temp)
            if i == 2:
                break
    data = actfast.read(str(path))
    hf = data["timeseries"]["high_frequency"]
    t = np.asarray(hf["datetime"])
    assert set(np.diff(t).tolist()) == {40_000_000}
    first = dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=int(t[0]) // 1000)
    assert first == truth.start
    ours = read_epochs(path)
    acc = EpochAccumulator("x")
    a = np.asarray(hf["acceleration"], dtype=np.float64)
    acc.add(t, np.ones(t.size, dtype=np.int64), a, a * a)
    ref = acc.result(ours.info)
    assert int(ours.count.sum()) == t.size
    np.testing.assert_allclose(ours.sums.sum(axis=0), ref.sums.sum(axis=0), atol=1e-6)
    lf = data["timeseries"]["low_frequency"]["temperature"]
    assert abs(float(np.nanmean(ours.temperature)) - float(np.mean(lf))) < 0.5


# --- bad input -------------------------------------------------------------------------------


def _raises(path: Path, *words: str) -> str:
    with pytest.raises(RecordingError) as info:
        analyze(path)
    msg = str(info.value)
    assert str(path) in msg
    for w in words:
        assert w in msg, msg
    return msg


def test_unknown_extension(tmp_path: Path) -> None:
    p = tmp_path / "night.txt"
    p.write_text("hello")
    _raises(p, "unknown recording format", ".cwa")


def test_missing_file(tmp_path: Path) -> None:
    _raises(tmp_path / "gone.cwa", "no such file")


def test_wrong_format_behind_a_cwa_name(tmp_path: Path) -> None:
    p = tmp_path / "fake.cwa"
    shutil.copy(DATA / "geneactiv.bin", p)
    _raises(p, "not an Axivity .cwa file")


def test_truncated_cwa_header(tmp_path: Path) -> None:
    p = tmp_path / "cut.cwa"
    p.write_bytes((DATA / "axivity_ax3.cwa").read_bytes()[:700])
    _raises(p, "no valid data sectors")


def test_truncated_cwa_mid_sector_keeps_whole_sectors(tmp_path: Path) -> None:
    p = tmp_path / "cut.cwa"
    p.write_bytes((DATA / "axivity_ax3.cwa").read_bytes()[: 1024 + 512 * 5 + 300])
    ep = read_epochs(p)
    assert int(ep.count.sum()) == 5 * 120


def test_corrupt_cwa_sectors_are_skipped_and_counted(tmp_path: Path) -> None:
    raw = bytearray((DATA / "axivity_ax3.cwa").read_bytes())
    for k in (3, 7):
        raw[1024 + 512 * k + 100] ^= 0xFF
    p = tmp_path / "bad.cwa"
    p.write_bytes(bytes(raw))
    ep = read_epochs(p)
    assert ep.info.skipped_blocks == 2
    assert int(ep.count.sum()) == 3600 - 2 * 120


def test_all_cwa_sectors_corrupt(tmp_path: Path) -> None:
    raw = bytearray((DATA / "axivity_ax3.cwa").read_bytes())
    for k in range((len(raw) - 1024) // 512):
        raw[1024 + 512 * k + 40] ^= 0x55
    p = tmp_path / "bad.cwa"
    p.write_bytes(bytes(raw))
    _raises(p, "checksum")


@pytest.mark.parametrize("name", ["geneactiv.bin", "actigraph.gt3x"])
def test_corrupt_actfast_formats(tmp_path: Path, name: str) -> None:
    p = tmp_path / name
    p.write_bytes(b"\x00garbage" * 100)
    _raises(p, "not a readable")


@pytest.mark.parametrize("name", ["geneactiv.bin", "actigraph.gt3x"])
def test_truncated_actfast_formats(tmp_path: Path, name: str) -> None:
    src = (DATA / name).read_bytes()
    p = tmp_path / name
    p.write_bytes(src[: len(src) // 3])
    try:
        ep = read_epochs(p)  # a reader may recover whole records: then fewer samples, no crash
    except RecordingError as exc:
        assert str(p) in str(exc)
    else:
        assert int(ep.count.sum()) < read_epochs(DATA / name).info.samples


def test_empty_files(tmp_path: Path) -> None:
    for name in ("e.cwa", "e.csv", "e.bin"):
        p = tmp_path / name
        p.write_bytes(b"")
        with pytest.raises(RecordingError, match=str(p)):
            analyze(p)


def test_csv_without_the_columns(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_text("when,a,b,c\n1,2,3,4\n")
    _raises(p, "time,x,y,z")


def test_csv_with_text_values(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_text("time,x,y,z\n1700000000,0,0,1\n1700000001,zero,0,1\n")
    _raises(p, "cannot be parsed")


def test_csv_iso_times(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    rows = [f"2026-03-05T22:00:{s:02d}.000,0.0,0.0,1.0" for s in range(20)]
    p.write_text("time,x,y,z\n" + "\n".join(rows) + "\n")
    ep = read_epochs(p)
    assert int(ep.count.sum()) == 20
    start = dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=ep.start_ns // 1000)
    assert start == dt.datetime(2026, 3, 5, 22)
    np.testing.assert_allclose(ep.mean[0], [0, 0, 1])


def test_short_synthetic_recording_gives_no_nights(tmp_path: Path) -> None:
    truth = make_truth(1, 25.0, seed=3)
    path = tmp_path / "short.cwa"
    with CwaWriter(path, 25.0, truth.start) as w:
        for i, (_, xyz, temp) in enumerate(chunks(truth)):
            if i >= 14:  # noon to 02:00: the night is cut by the end of the recording
                break
            w.write(xyz, temp)
    assert analyze(path).nights == []
