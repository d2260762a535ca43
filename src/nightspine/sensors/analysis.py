"""The whole pipeline, in algorithm order: read -> calibrate -> body frame -> upright direction
from walking (and re-attachments) -> non-wear -> in-bed window -> position -> bouts and
restlessness -> nights (and naps).

Every step's parameters (and what calibration found) are recorded in the output.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from nightspine.errors import InvalidInputError, Problem
from nightspine.sensors.bouts import BoutParams, movement
from nightspine.sensors.calibration import Calibration, CalibrationParams, calibrate
from nightspine.sensors.epochs import EPOCH_S, NS, Epochs, RecordingInfo
from nightspine.sensors.frame import DEFAULT_AXES, parse_axes, to_body
from nightspine.sensors.nights import NightSummary, summarise
from nightspine.sensors.nonwear import NonwearParams, detect_nonwear
from nightspine.sensors.orientation import OrientationParams, Segment, find_segments
from nightspine.sensors.orientation import apply as apply_orientation
from nightspine.sensors.orientation import notes as orientation_notes
from nightspine.sensors.position import POSITIONS, UNKNOWN, PositionParams, classify, smooth
from nightspine.sensors.readers import read_epochs
from nightspine.sensors.window import Window, WindowParams, find_windows_and_naps

Placement = Literal["chest", "back", "wrist"]
PLACEMENTS: tuple[Placement, ...] = ("chest", "back", "wrist")
PHONE_FORMATS = ("Sensor Logger", "phyphox")
# a phone upright in a chest pocket or strap, screen to the chest: device y to the head, x to
# the wearer's left, z into the chest (docs/phone.md)
PHONE_AXES = "y,x,-z"
WRIST_NOTE = (
    "a wrist sensor cannot tell the sleeping position reliably: the position is unknown; "
    "the sleep window, stillness and restlessness are reported"
)


@dataclass(frozen=True, slots=True)
class Params:
    min_epoch_fill: float = 0.5  # an epoch needs this share of its samples to count
    calibration: CalibrationParams = field(default_factory=CalibrationParams)
    orientation: OrientationParams = field(default_factory=OrientationParams)
    nonwear: NonwearParams = field(default_factory=NonwearParams)
    window: WindowParams = field(default_factory=WindowParams)
    position: PositionParams = field(default_factory=PositionParams)
    bouts: BoutParams = field(default_factory=BoutParams)


@dataclass(frozen=True)
class Analysis:
    nights: list[NightSummary]
    nonwear_min: float
    placement: Placement
    axes: str
    parameters: dict[str, object]
    recording: RecordingInfo
    calibration: Calibration
    start_ns: int
    epoch_s: int
    positions: NDArray[np.int8]  # per epoch, UNKNOWN outside the in-bed windows or not worn
    windows: list[Window]
    naps: list[Window] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def nap_json(self) -> list[dict[str, object]]:
        per_min = 60.0 / self.epoch_s
        out: list[dict[str, object]] = []
        for w in self.naps:
            start = _at(self.start_ns, self.epoch_s, w.start)
            out.append(
                {
                    "date": w.date.isoformat(),
                    "start": start.isoformat(timespec="seconds"),
                    "minutes": round((w.end - w.start) / per_min, 1),
                }
            )
        return out

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "nights": [n.to_json() for n in self.nights],
            "nonwear_min": self.nonwear_min,
            "placement": self.placement,
            "axes": self.axes,
            "naps": self.nap_json(),
            "orientation": [g.to_json(self.start_ns, self.epoch_s) for g in self.segments],
            "notes": self.notes,
            "recording": self.recording.to_json(),
            "parameters": self.parameters,
        }
        if self.placement == "wrist":
            out["position_note"] = WRIST_NOTE
        return out

    def night_rows(self) -> list[dict[str, object]]:
        """One flat row per night (for tables such as the batch Parquet file)."""
        rows: list[dict[str, object]] = []
        for n in self.nights:
            minutes = n.minutes or {}
            rows.append(
                {
                    "date": n.date,
                    "in_bed_start": n.in_bed_start,
                    "in_bed_end": n.in_bed_end,
                    "in_bed_hours": round(n.in_bed_hours, 2),
                    **{f"{k}_min": minutes.get(k) for k in POSITIONS},
                    "position_changes": n.position_changes,
                    "brief_turns": n.brief_turns,
                    "longest_still_min": n.longest_still_min,
                    "main_position": n.main_position,
                    "restlessness": n.restlessness,
                    "night_nonwear_min": n.nonwear_min,
                    "recording_nonwear_min": self.nonwear_min,
                    "placement": self.placement,
                }
            )
        return rows


def _at(start_ns: int, epoch_s: int, i: int) -> dt.datetime:
    return dt.datetime(1970, 1, 1) + dt.timedelta(
        microseconds=(start_ns + i * epoch_s * NS) // 1000
    )


def _check(placement: str) -> Placement:
    for p in PLACEMENTS:
        if placement == p:
            return p
    raise InvalidInputError(
        [Problem("--placement", f"{placement!r} is not one of {', '.join(PLACEMENTS)}")],
        what="sensor placement",
    )


def analyze(
    path: str | Path,
    placement: str = "chest",
    axes: str = DEFAULT_AXES,
    params: Params | None = None,
) -> Analysis:
    """Analyse one recording file (see :mod:`nightspine.sensors.readers` for the formats)."""
    pl = _check(placement)
    matrix = parse_axes(axes)  # fail on a bad mapping before reading a large file
    epochs = read_epochs(path, EPOCH_S)
    if axes == DEFAULT_AXES and epochs.info.format in PHONE_FORMATS:
        axes = PHONE_AXES  # the documented placement: upright in a chest pocket, screen in
        matrix = parse_axes(axes)
    return analyze_epochs(epochs, pl, axes, params, _matrix=matrix)


def analyze_epochs(
    epochs: Epochs,
    placement: str = "chest",
    axes: str = DEFAULT_AXES,
    params: Params | None = None,
    *,
    _matrix: NDArray[np.float64] | None = None,
) -> Analysis:
    """Analyse epochs already read (the pipeline after step 1)."""
    pl = _check(placement)
    prm = params or Params()
    matrix = parse_axes(axes) if _matrix is None else _matrix
    per_epoch = epochs.info.sample_rate_hz * epochs.epoch_s
    valid = epochs.count >= max(1.0, prm.min_epoch_fill * per_epoch)
    mean, var = epochs.mean, epochs.variance
    sd = np.sqrt(var)
    cal = calibrate(mean, sd, valid, prm.calibration)
    mean, sd = cal.apply(mean, sd)
    var = sd * sd
    body, body_var = to_body(mean, var, matrix, pl)
    move = movement(body_var)  # rotation-invariant: the summed variances
    still = move < prm.bouts.move_min_g
    segments: list[Segment] = []
    if pl != "wrist":
        dense = valid & (epochs.count >= prm.orientation.walk_min_samples)
        segments = find_segments(body, move, dense, epochs.epoch_s, prm.orientation)
        body = apply_orientation(body, segments)
    nonwear = detect_nonwear(
        sd,
        epochs.temperature,
        None if pl == "wrist" else body,
        valid,
        epochs.epoch_s,
        pl,
        prm.nonwear,
    )
    worn = ~nonwear
    windows, naps = find_windows_and_naps(
        body, still, worn, epochs.start_ns, epochs.epoch_s, pl, prm.window
    )
    positions = np.full(len(epochs), UNKNOWN, dtype=np.int8)
    codes = None
    if pl != "wrist":
        raw = classify(body, prm.position)
        min_len = max(1, round(prm.position.min_bout_s / epochs.epoch_s))
        for w in windows:
            seg = np.where(worn[w.start : w.end], raw[w.start : w.end], UNKNOWN).astype(np.int8)
            positions[w.start : w.end] = smooth(seg, min_len)
        codes = positions
    dwell = max(1, round(prm.position.min_dwell_s / epochs.epoch_s))
    nights = [
        summarise(w, codes, still, worn, epochs.start_ns, epochs.epoch_s, dwell) for w in windows
    ]
    per_min = 60.0 / epochs.epoch_s
    parameters: dict[str, object] = {
        "epoch_s": epochs.epoch_s,
        "min_epoch_fill": prm.min_epoch_fill,
        "calibration": {**asdict(prm.calibration), "result": cal.to_json()},
        "orientation": asdict(prm.orientation),
        "nonwear": asdict(prm.nonwear),
        "window": asdict(prm.window),
        "position": asdict(prm.position) if pl != "wrist" else "not estimated for wrist",
        "bouts": asdict(prm.bouts),
    }
    return Analysis(
        nights=nights,
        nonwear_min=round(float(nonwear[valid].sum()) / per_min, 1),
        placement=pl,
        axes=axes,
        parameters=parameters,
        recording=epochs.info,
        calibration=cal,
        start_ns=epochs.start_ns,
        epoch_s=epochs.epoch_s,
        positions=positions,
        windows=windows,
        naps=naps,
        segments=segments,
        notes=orientation_notes(segments, epochs.start_ns, epochs.epoch_s) if segments else [],
    )
