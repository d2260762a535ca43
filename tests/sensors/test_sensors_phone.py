"""Phone exports (Sensor Logger, phyphox) built from the apps' documented layouts give nights."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from phone_exports import BED, GAP, TURN, phyphox_zip, sensor_logger_zip

from nightspine.errors import RecordingError
from nightspine.sensors import analyze, read_epochs
from nightspine.sensors.analysis import Analysis


def _check_night(result: Analysis) -> None:
    assert len(result.nights) == 1, result.to_json()
    night = result.nights[0]
    assert night.date == dt.date(2026, 3, 3)
    assert abs((night.in_bed_start - BED[0]).total_seconds()) <= 120
    assert abs((night.in_bed_end - BED[1]).total_seconds()) <= 120
    assert night.minutes is not None
    back = (TURN - BED[0]).total_seconds() / 60
    side = (BED[1] - TURN).total_seconds() / 60 - (GAP[1] - GAP[0]).total_seconds() / 60
    assert abs(night.minutes["supine"] - back) <= 5
    assert abs(night.minutes["left"] - side) <= 5
    assert night.position_changes == 1


@pytest.mark.parametrize("platform", ["android", "ios"])
def test_sensor_logger_zip_gives_the_night(tmp_path: Path, platform: str) -> None:
    path = sensor_logger_zip(tmp_path / f"{platform}.zip", platform)
    result = analyze(path, "chest")
    _check_night(result)
    info = result.recording
    assert info.format == "Sensor Logger"
    assert 4.5 <= info.sample_rate_hz <= 5.5
    assert info.gaps == 1
    assert abs(info.gap_min - 10.0) <= 0.5
    assert result.axes == "y,x,-z"


def test_sensor_logger_utc_clock_becomes_the_local_wall_clock(tmp_path: Path) -> None:
    path = sensor_logger_zip(tmp_path / "ny.zip", "android", zone="America/New_York")
    _check_night(analyze(path, "chest"))


def test_phyphox_zip_paused_and_resumed_gives_the_night(tmp_path: Path) -> None:
    result = analyze(phyphox_zip(tmp_path / "phyphox.zip"), "chest")
    _check_night(result)
    assert result.recording.format == "phyphox"
    assert result.recording.gaps == 1


def test_phyphox_linear_acceleration_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match="with g"):
        read_epochs(phyphox_zip(tmp_path / "lin.zip", linear=True))


def test_phyphox_csv_alone_asks_for_the_zip(tmp_path: Path) -> None:
    with zipfile.ZipFile(phyphox_zip(tmp_path / "p.zip")) as z:
        (tmp_path / "Accelerometer.csv").write_bytes(z.read("Accelerometer.csv"))
    with pytest.raises(RecordingError, match="zip"):
        read_epochs(tmp_path / "Accelerometer.csv")


def test_sensor_logger_acceleration_without_gravity_is_refused(tmp_path: Path) -> None:
    with zipfile.ZipFile(sensor_logger_zip(tmp_path / "i.zip", "ios")) as z:
        (tmp_path / "Accelerometer.csv").write_bytes(z.read("Accelerometer.csv"))
    with pytest.raises(RecordingError, match="no gravity"):
        read_epochs(tmp_path / "Accelerometer.csv")


def test_unreadable_zip_says_so(tmp_path: Path) -> None:
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(RecordingError, match="zip"):
        read_epochs(bad)


def test_zip_without_a_recording_says_what_it_needs(tmp_path: Path) -> None:
    path = tmp_path / "other.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("notes.csv", "a,b\n1,2\n")
    with pytest.raises(RecordingError, match="Sensor Logger"):
        read_epochs(path)
