"""Correctness against synthetic recordings with known truth (the issue's acceptance checks)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
from synthetic import Truth

from conftest import AXES
from nightspine.sensors import analyze_epochs
from nightspine.sensors.analysis import Analysis, Params
from nightspine.sensors.epochs import Epochs
from nightspine.sensors.orientation import OrientationParams


def _check_nights(truth: Truth, ep: Epochs, result: Analysis) -> None:
    assert [n.date for n in result.nights] == [d for d, *_ in truth.nights]
    total_true = total_est = 0
    for night, (_, s, e, changes) in zip(result.nights, truth.nights, strict=True):
        start = truth.start + dt.timedelta(seconds=s)
        end = truth.start + dt.timedelta(seconds=e)
        assert abs((night.in_bed_start - start).total_seconds()) <= 600
        assert abs((night.in_bed_end - end).total_seconds()) <= 600
        assert night.position_changes is not None
        assert abs(night.position_changes - changes) <= math.ceil(0.1 * changes)
        total_true += changes
        total_est += night.position_changes
    assert abs(total_est - total_true) <= 0.1 * total_true
    want = truth.positions(ep.start_ns, ep.epoch_s, len(ep))
    in_bed = want >= 0
    agreement = float(np.mean(result.positions[in_bed] == want[in_bed]))
    assert agreement >= 0.98, agreement


def test_chest_rotated_and_miscalibrated(week: tuple[Truth, Epochs]) -> None:
    truth, ep = week
    result = analyze_epochs(ep, "chest", AXES)
    _check_nights(truth, ep, result)
    assert result.calibration.applied
    assert result.calibration.error_after_g < result.calibration.error_before_g / 5
    off_true = sum(e - s for s, e in truth.offbody) / 60
    assert abs(result.nonwear_min - off_true) <= 15 * len(truth.offbody)
    # the nap on the sofa (45 minutes) is not a night
    assert len(result.nights) == len(truth.nights)


def test_offbody_blocks_found_each_day(week: tuple[Truth, Epochs]) -> None:
    truth, ep = week
    result = analyze_epochs(ep, "chest", AXES)
    assert abs(result.nonwear_min - sum(e - s for s, e in truth.offbody) / 60) <= 15


def test_back_placement(back_days: tuple[Truth, Epochs]) -> None:
    truth, ep = back_days
    _check_nights(truth, ep, analyze_epochs(ep, "back"))


def test_back_data_read_as_chest_swaps_supine_and_prone(back_days: tuple[Truth, Epochs]) -> None:
    truth, ep = back_days
    result = analyze_epochs(ep, "chest")
    want = truth.positions(ep.start_ns, ep.epoch_s, len(ep))
    m = (want == 0) | (want == 1)  # supine, prone
    assert np.mean(result.positions[m] == want[m]) < 0.05


def test_quarter_turn_on_the_skin_is_found_from_walking(week: tuple[Truth, Epochs]) -> None:
    """--axes left at the default although the sensor was worn a quarter turn round: the
    upright direction comes from the walking, so the positions stay right."""
    truth, ep = week
    result = analyze_epochs(ep, "chest", "x,y,z")
    want = truth.positions(ep.start_ns, ep.epoch_s, len(ep))
    m = want >= 0
    assert np.mean(result.positions[m] == want[m]) >= 0.98
    assert result.segments[0].source == "walking"
    assert abs(result.segments[0].up[1]) > 0.9  # the head axis was the device's y


def test_without_walking_the_axes_are_trusted_and_said(week: tuple[Truth, Epochs]) -> None:
    truth, ep = week
    params = Params(orientation=OrientationParams(walk_min_g=5.0))  # nothing counts as walking
    result = analyze_epochs(ep, "chest", "x,y,z", params)
    want = truth.positions(ep.start_ns, ep.epoch_s, len(ep))
    m = want >= 0
    assert np.mean(result.positions[m] == want[m]) < 0.9
    assert any("no clear walking" in n for n in result.notes)


def test_wrist_finds_the_nights_but_no_position(wrist_days: tuple[Truth, Epochs]) -> None:
    truth, ep = wrist_days
    result = analyze_epochs(ep, "wrist")
    data = result.to_json()
    assert "position" in str(data["position_note"])
    assert [n.date for n in result.nights] == [d for d, *_ in truth.nights]
    for night, (_, s, e, _) in zip(result.nights, truth.nights, strict=True):
        assert night.minutes is None
        assert night.position_changes is None
        assert night.main_position == "unknown"
        start = truth.start + dt.timedelta(seconds=s)
        end = truth.start + dt.timedelta(seconds=e)
        assert abs((night.in_bed_start - start).total_seconds()) <= 600
        assert abs((night.in_bed_end - end).total_seconds()) <= 600
        assert night.nonwear_min == 0.0  # a still sleeping wrist stays warm: worn
    assert (result.positions == -1).all()
    assert abs(result.nonwear_min - sum(e - s for s, e in truth.offbody) / 60) <= 15


def test_json_shape(week: tuple[Truth, Epochs]) -> None:
    _, ep = week
    data = analyze_epochs(ep, "chest", AXES).to_json()
    assert set(data) >= {"nights", "nonwear_min", "placement", "parameters"}
    night = data["nights"][0]  # type: ignore[index]
    assert set(night) >= {
        "date",
        "in_bed_start",
        "in_bed_end",
        "minutes",
        "position_changes",
        "longest_still_min",
        "main_position",
        "restlessness",
    }
    assert set(night["minutes"]) == {"supine", "prone", "left", "right", "upright"}
    assert night["main_position"] in {"back", "side", "stomach", "mixed"}
    params = data["parameters"]
    assert isinstance(params, dict)
    for step in ("calibration", "nonwear", "window", "position", "bouts"):
        assert step in params
    assert 0.0 <= night["restlessness"] <= 1.0


def test_offbody_found_without_temperature(week: tuple[Truth, Epochs]) -> None:
    truth, ep = week
    bare = dataclasses.replace(ep, temperature=np.full(len(ep), np.nan))
    result = analyze_epochs(bare, "chest", AXES)
    assert abs(result.nonwear_min - sum(e - s for s, e in truth.offbody) / 60) <= 15
    _check_nights(truth, bare, result)


def test_still_sleeper_is_not_called_off_body(week: tuple[Truth, Epochs]) -> None:
    truth, ep = week
    result = analyze_epochs(ep, "chest", AXES)
    assert len(result.nights) == len(truth.nights)
    for night in result.nights:
        assert night.nonwear_min == 0.0
        assert night.longest_still_min >= 20  # still sleepers exist in this recording
