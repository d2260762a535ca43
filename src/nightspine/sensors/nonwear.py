"""Step 4: non-wear, with rules suited to where the sensor sits.

A trunk sensor lies still for long stretches while worn (a still sleeper), so the wrist rule
"30 or 60 quiet minutes = not worn" would delete nights. For ``chest`` and ``back`` a stretch of
near-zero movement (every axis' SD below the noise floor of a worn trunk sensor, which breathing
alone exceeds) counts as not worn only when it is also

- confirmed by temperature (it falls by ``temp_drop_c`` or sits below ``ambient_max_c``:
  skin contact keeps a sensor near 30-35 °C), and at least ``min_temp_min`` long; or
- in an orientation no worn trunk sensor has (upside down: the head axis pointing at the
  floor), and at least ``min_implausible_min`` long; or
- longer than ``max_still_h`` hours whatever the orientation; or
- at least ``no_temp_min_min`` long when the recording has no temperature at all (CSV): with
  nothing to confirm it, a trunk sensor that does not even see breathing is taken as off.

For ``wrist`` the usual quiet rule (``wrist_min_min`` minutes with the SD of two axes below
``wrist_sd_g``, no bridging) must be confirmed by temperature when the file has it (a still
sleeper's wrist stays warm); without temperature it stands alone.
Epochs with too few samples (gaps in the file) are not worn either.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from nightspine.sensors.epochs import fill_short_gaps, runs

F64 = NDArray[np.float64]
Mask = NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class NonwearParams:
    quiet_sd_g: float = 0.005
    bridge_epochs: int = 2  # a quiet stretch survives this many louder epochs (a bump)
    min_temp_min: float = 20.0
    temp_drop_c: float = 2.0
    ambient_max_c: float = 26.0
    min_implausible_min: float = 60.0
    head_down_x_g: float = -0.6
    max_still_h: float = 3.0
    no_temp_min_min: float = 60.0
    wrist_sd_g: float = 0.013
    wrist_min_min: float = 60.0


def detect_nonwear(
    sd: F64,
    temperature: F64,
    body_mean: F64 | None,
    valid: Mask,
    epoch_s: int,
    placement: str,
    params: NonwearParams,
) -> Mask:
    """True for every epoch judged not worn (or without data)."""
    per_min = 60.0 / epoch_s
    out = ~valid
    has_temp = np.isfinite(temperature)
    if placement == "wrist":
        # no bridging: a sleeping wrist is still for hours between brief movements
        quiet = ((sd < params.wrist_sd_g).sum(axis=1) >= 2) & valid
        for s, e in zip(*runs(quiet), strict=True):
            minutes = (e - s) / per_min
            if minutes < params.wrist_min_min:
                continue
            t = temperature[s:e][has_temp[s:e]]
            if t.size < 2 or _temperature_says_off(t, per_min, params):
                out[s:e] = True
        return out
    quiet = fill_short_gaps((sd.max(axis=1) < params.quiet_sd_g) & valid, params.bridge_epochs)
    no_temp = not bool(has_temp.any())
    for s, e in zip(*runs(quiet), strict=True):
        minutes = (e - s) / per_min
        if minutes >= params.max_still_h * 60 or (no_temp and minutes >= params.no_temp_min_min):
            out[s:e] = True
            continue
        t = temperature[s:e][has_temp[s:e]]
        if minutes >= params.min_temp_min and _temperature_says_off(t, per_min, params):
            out[s:e] = True
            continue
        if (
            body_mean is not None
            and minutes >= params.min_implausible_min
            and float(np.median(body_mean[s:e, 0])) < params.head_down_x_g
        ):
            out[s:e] = True
    return out


def _temperature_says_off(t: F64, per_min: float, params: NonwearParams) -> bool:
    """The sensor cooled by ``temp_drop_c`` over the stretch, or sits at room temperature."""
    if t.size < 2:
        return False
    edge = max(1, int(5 * per_min))
    head = float(np.median(t[:edge]))
    tail = float(np.median(t[-edge:]))
    return head - tail >= params.temp_drop_c or float(np.median(t)) <= params.ambient_max_c
