"""Invariants of the steps (hypothesis): streaming, axis mapping, calibration, positions."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from cwa_writer import pack_samples
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nightspine.errors import InvalidInputError
from nightspine.sensors.calibration import CalibrationParams, calibrate
from nightspine.sensors.epochs import EpochAccumulator, RecordingInfo
from nightspine.sensors.frame import parse_axes, to_body
from nightspine.sensors.position import LEFT, PRONE, RIGHT, SUPINE, UPRIGHT, classify, smooth
from nightspine.sensors.position import PositionParams as PP
from nightspine.sensors.readers import _packed_sums

INFO = RecordingInfo("x", "test", 10.0, 0)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 400),
    cuts=st.lists(st.integers(0, 400), max_size=6),
    seed=st.integers(0, 2**16),
)
def test_epochs_do_not_depend_on_how_the_stream_is_chunked(
    n: int, cuts: list[int], seed: int
) -> None:
    rng = np.random.default_rng(seed)
    t = 1_700_000_000 * 10**9 + np.cumsum(rng.integers(50, 150, n)) * 10**6
    xyz = rng.normal(0, 1, (n, 3))
    ones = np.ones(n, dtype=np.int64)
    whole = EpochAccumulator("x")
    whole.add(t, ones, xyz, xyz * xyz)
    parts = EpochAccumulator("x")
    bounds = [0, *sorted(c for c in cuts if c < n), n]
    for lo, hi in itertools.pairwise(bounds):
        parts.add(t[lo:hi], ones[lo:hi], xyz[lo:hi], xyz[lo:hi] ** 2)
    a, b = whole.result(INFO), parts.result(INFO)
    assert a.start_ns == b.start_ns
    np.testing.assert_array_equal(a.count, b.count)
    np.testing.assert_allclose(a.sums, b.sums, atol=1e-9)
    np.testing.assert_allclose(a.sumsq, b.sumsq, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, (7, 3), elements=st.floats(-8, 8, allow_nan=False)))
def test_packed_sums_are_exact(xyz: np.ndarray) -> None:
    words = pack_samples(np.concatenate([xyz, np.zeros((113, 3))])).reshape(1, 120)
    sums, sumsq = _packed_sums(words)
    e = (words >> np.uint32(30)).astype(np.int64)
    ref = np.stack(
        [
            ((((words << np.uint32(s)).view(np.int32)) >> 22).astype(np.int64) << e)
            for s in (22, 12, 2)
        ],
        axis=-1,
    )[0]
    np.testing.assert_array_equal(sums[0], ref.sum(axis=0))
    np.testing.assert_array_equal(sumsq[0], (ref * ref).sum(axis=0))
    # the decoded value is within one step of the packed one
    step = 2.0 ** e[0][:7] / 256
    assert np.all(np.abs(ref[:7] / 256 - xyz) <= step[:, None] / 2 + 1e-9 + (np.abs(xyz) > 15.9))


@given(st.permutations(["x", "y", "z"]), st.lists(st.booleans(), min_size=3, max_size=3))
def test_axes_mapping_is_a_signed_permutation(perm: list[str], neg: list[bool]) -> None:
    spec = ",".join(("-" if s else "") + a for a, s in zip(perm, neg, strict=True))
    m = parse_axes(spec)
    np.testing.assert_array_equal(m @ m.T, np.eye(3))
    dev = np.array([[0.1, 0.2, 0.3]])
    body, _ = to_body(dev, dev**2, m, "chest")
    np.testing.assert_allclose(body[0], m @ dev[0])


@pytest.mark.parametrize("spec", ["x,y", "x,x,z", "a,b,c", "", "x,y,z,x", "--x,y,z"])
def test_bad_axes(spec: str) -> None:
    with pytest.raises(InvalidInputError):
        parse_axes(spec)


@settings(max_examples=30, deadline=None)
@given(
    off=st.tuples(*[st.floats(-0.08, 0.08)] * 3),
    gain=st.tuples(*[st.floats(0.94, 1.06)] * 3),
    seed=st.integers(0, 1000),
)
def test_calibration_recovers_offset_and_gain(
    off: tuple[float, float, float], gain: tuple[float, float, float], seed: int
) -> None:
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(600, 3))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    read = v * np.asarray(gain) + np.asarray(off)
    cal = calibrate(read, np.full_like(read, 0.002), np.ones(600, bool), CalibrationParams())
    assert cal.applied
    fixed, _ = cal.apply(read, np.zeros_like(read))
    assert float(np.abs(np.linalg.norm(fixed, axis=1) - 1).max()) < 1e-3


@given(roll=st.floats(-179, 179), elev=st.floats(-40, 40))
def test_positions_follow_the_gravity_vector(roll: float, elev: float) -> None:
    r, e = np.radians(roll), np.radians(elev)
    g = np.array([[np.sin(e), np.cos(e) * np.sin(r), np.cos(e) * np.cos(r)]])
    code = int(classify(g, PP())[0])
    a = abs(roll)
    if a < 44:
        assert code == SUPINE
    elif a > 136:
        assert code == PRONE
    elif 46 < roll < 134:
        assert code == RIGHT
    elif -134 < roll < -46:
        assert code == LEFT
    up = np.array([[np.sin(np.radians(60)), 0.0, np.cos(np.radians(60))]])
    assert int(classify(up, PP())[0]) == UPRIGHT


@given(st.lists(st.integers(0, 4), min_size=1, max_size=200), st.integers(1, 8))
def test_smoothing_leaves_no_short_runs_and_keeps_length(codes: list[int], k: int) -> None:
    arr = np.array(codes, dtype=np.int8)
    out = smooth(arr, k)
    assert out.shape == arr.shape
    change = np.flatnonzero(np.diff(out) != 0) + 1
    lengths = np.diff(np.concatenate([[0], change, [out.size]]))
    assert np.all(lengths[1:] >= k)  # every run but the first is a real posture (>= k epochs)
    assert set(out.tolist()) <= set(arr.tolist())


@settings(max_examples=30, deadline=None)
@given(
    flips=st.lists(st.integers(0, 3), min_size=1, max_size=5),
    walk_share=st.floats(0.0, 0.6),
    seed=st.integers(0, 2**16),
)
def test_orientation_segments_cover_every_epoch_once(
    flips: list[int], walk_share: float, seed: int
) -> None:
    """Whatever the orientation changes and however much walking, the segments tile the
    recording: no epoch (so no night) is ever left without a mapping."""
    from nightspine.sensors.orientation import OrientationParams, apply, find_segments

    rng = np.random.default_rng(seed)
    n = 2000 * len(flips)
    ups = [np.array(v) for v in ((1.0, 0, 0), (-1.0, 0, 0), (0, 1.0, 0), (0, -1.0, 0))]
    body = np.concatenate([np.tile(ups[f], (2000, 1)) for f in flips])
    body += rng.normal(0, 0.2, body.shape)
    move = np.where(rng.random(n) < walk_share, 0.2, 0.01)
    worn = rng.random(n) > 0.02
    params = OrientationParams(window_walk_epochs=40, min_segment_walk_epochs=80)
    segs = find_segments(body, move, worn, 5, params)
    assert segs[0].start == 0 and segs[-1].end == n
    assert all(a.end == b.start for a, b in itertools.pairwise(segs))
    assert all(s.end > s.start for s in segs)
    assert apply(body, segs).shape == body.shape
