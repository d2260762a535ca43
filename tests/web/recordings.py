"""A short real .cwa recording holding one synthetic night, for the upload tests.

Written with the sensors tests' CWA writer and synthetic night generator (tests/sensors), so
the web tests exercise the same reader the command line uses, on a file with known truth.
"""

from __future__ import annotations

import sys
from pathlib import Path

SENSOR_TESTS = Path(__file__).resolve().parents[1] / "sensors"
if str(SENSOR_TESTS) not in sys.path:
    sys.path.insert(0, str(SENSOR_TESTS))

from cwa_writer import CwaWriter  # noqa: E402
from phone_exports import phyphox_zip, sensor_logger_zip  # noqa: E402
from synthetic import Truth, chunks, make_truth  # noqa: E402


def write_night_cwa(path: Path, fs: float = 25.0, seed: int = 4) -> Truth:
    """Noon to noon at ``fs`` Hz, one night in bed; returns the truth it was made from."""
    truth = make_truth(1, fs, seed=seed)
    with CwaWriter(path, fs, truth.start) as writer:
        for _, xyz, temp in chunks(truth):
            writer.write(xyz, temp)
    return truth


__all__ = ["Truth", "phyphox_zip", "sensor_logger_zip", "write_night_cwa"]
