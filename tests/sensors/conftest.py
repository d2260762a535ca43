"""Shared fixtures: synthetic recordings with known truth (generated once per session)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from synthetic import Truth, epochs_from_chunks, make_truth  # noqa: E402

from nightspine.sensors.epochs import Epochs  # noqa: E402
from nightspine.sensors.frame import parse_axes  # noqa: E402

DATA = HERE.parent / "data" / "sensors"
AXES = "-y,x,z"  # the device worn rotated a quarter turn


@pytest.fixture(scope="session")
def week() -> tuple[Truth, Epochs]:
    """Four days at 10 Hz, rotated device, offset and gain errors."""
    truth = make_truth(4, 10.0, seed=11)
    ep = epochs_from_chunks(
        truth, axes=parse_axes(AXES), offset=(0.03, -0.02, 0.04), gain=(1.02, 0.98, 1.01)
    )
    assert isinstance(ep, Epochs)
    return truth, ep


@pytest.fixture(scope="session")
def back_days() -> tuple[Truth, Epochs]:
    """Two days at 10 Hz from a sensor on the back (z out of the back)."""
    truth = make_truth(2, 10.0, seed=5, nap=False)
    ep = epochs_from_chunks(truth, axes=np.diag([1.0, 1.0, -1.0]))
    assert isinstance(ep, Epochs)
    return truth, ep


@pytest.fixture(scope="session")
def night_cwa(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real .cwa file (25 Hz, noon to noon) holding one night, written once per session."""
    from cwa_writer import CwaWriter
    from synthetic import chunks

    truth = make_truth(1, 25.0, seed=4)
    path = tmp_path_factory.mktemp("cwa") / "night.cwa"
    with CwaWriter(path, 25.0, truth.start) as w:
        for _, xyz, temp in chunks(truth):
            w.write(xyz, temp)
    return path


@pytest.fixture(scope="session")
def wrist_days() -> tuple[Truth, Epochs]:
    """Two days at 10 Hz from a wrist sensor."""
    truth = make_truth(2, 10.0, seed=8)
    ep = epochs_from_chunks(truth, wrist=True, seed=8)
    assert isinstance(ep, Epochs)
    return truth, ep
