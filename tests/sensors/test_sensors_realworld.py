"""The classes of failure seen on real recordings, each rebuilt from what the real data showed.

The public sets themselves are not vendored (the chest position set has no licence; the Zio
sample is GPL-3); ``python -m validation`` runs on them. Here each failure is reproduced with
epochs shaped like the real ones (angles measured on those sets, see docs/validation.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from nightspine.sensors import analyze_epochs
from nightspine.sensors.analysis import Analysis
from nightspine.sensors.epochs import NS, Epochs, RecordingInfo
from nightspine.sensors.position import PRONE, SUPINE, UPRIGHT, count_changes

EPOCH_S = 5
PER_EPOCH = 50  # 10 Hz


@dataclasses.dataclass(frozen=True)
class Part:
    minutes: float
    elev_deg: float  # head axis above horizontal
    roll_deg: float  # 0 supine, 180 prone, +90 right side down
    sd_g: float  # movement per axis


WALK = Part(0, 88.0, 0.0, 0.15)


def _script(start: dt.datetime, parts: list[Part], head: str = "x") -> Epochs:
    """Per-epoch statistics of a scripted recording (body frame = device frame, unless
    ``head`` is "-x": the sensor worn upside down, turned 180° on the skin)."""
    means: list[np.ndarray] = []
    sds: list[float] = []
    for p in parts:
        n = round(p.minutes * 60 / EPOCH_S)
        e, r = np.radians(p.elev_deg), np.radians(p.roll_deg)
        g = np.array([np.sin(e), np.cos(e) * np.sin(r), np.cos(e) * np.cos(r)])
        if head == "-x":
            g = g * np.array([-1.0, -1.0, 1.0])
        means.append(np.tile(g, (n, 1)))
        sds.extend([p.sd_g] * n)
    mean = np.concatenate(means)
    rng = np.random.default_rng(1)
    mean = mean + rng.normal(0, 0.01, mean.shape)
    sd = np.array(sds)[:, None] * np.ones((1, 3))
    count = np.full(mean.shape[0], PER_EPOCH, dtype=np.int64)
    start_ns = int((start - dt.datetime(1970, 1, 1)).total_seconds()) * NS
    return Epochs(
        start_ns=start_ns,
        epoch_s=EPOCH_S,
        count=count,
        sums=mean * PER_EPOCH,
        sumsq=(mean * mean + sd * sd) * PER_EPOCH,
        temperature=np.full(mean.shape[0], np.nan),
        info=RecordingInfo("script", "script", 10.0, int(count.sum())),
    )


def _fill(parts: list[Part], hours: float) -> list[Part]:
    """Pad with sitting so the parts last exactly ``hours``."""
    used = sum(p.minutes for p in parts)
    return [*parts, Part(hours * 60 - used, 75.0, 0.0, 0.01)]


def _day(afternoon: list[Part], night: list[Part], night_at_h: float = 23.5) -> list[Part]:
    """Noon to noon and one more hour: walking, the afternoon, walking, sitting until
    ``night_at_h`` o'clock, the night, walking, sitting, and a last walk."""
    parts = [dataclasses.replace(WALK, minutes=30), *afternoon]
    parts.append(dataclasses.replace(WALK, minutes=20))
    used = sum(p.minutes for p in parts)
    parts.append(Part((night_at_h - 12) * 60 - used, 72.0, 0.0, 0.01))
    parts += [*night, dataclasses.replace(WALK, minutes=20)]
    return [*_fill(parts, 24), dataclasses.replace(WALK, minutes=60)]


def _run(parts: list[Part]) -> Analysis:
    return analyze_epochs(_script(dt.datetime(2026, 3, 2, 12, 0), parts), "chest")


def test_the_night_is_the_stretch_over_the_small_hours_and_the_afternoon_a_nap() -> None:
    # a long afternoon lie-down (13:00-20:00, 7 h) and a shorter real night (00:30-06:30)
    afternoon = [Part(30, 75.0, 0.0, 0.01), Part(420, 10.0, 0.0, 0.01)]
    result = _run(_day(afternoon, [Part(360, 8.0, 90.0, 0.01)], night_at_h=24.5))
    assert len(result.nights) == 1
    night = result.nights[0]
    assert abs((night.in_bed_start - dt.datetime(2026, 3, 3, 0, 30)).total_seconds()) <= 60
    assert abs((night.in_bed_end - dt.datetime(2026, 3, 3, 6, 30)).total_seconds()) <= 60
    naps = result.to_json()["naps"]
    assert isinstance(naps, list) and len(naps) == 1
    nap_start = dt.datetime.fromisoformat(str(naps[0]["start"]))
    assert abs((nap_start - dt.datetime(2026, 3, 2, 13, 0)).total_seconds()) <= 60
    assert abs(float(naps[0]["minutes"]) - 420.0) <= 1


def test_reattached_upside_down_keeps_every_night_and_says_so() -> None:
    def days(n: int, head: str, start: dt.datetime) -> Epochs:
        parts: list[Part] = []
        for _ in range(n):
            parts += _fill(
                [
                    dataclasses.replace(WALK, minutes=90),
                    Part(8 * 60, 75.0, 0.0, 0.01),
                    dataclasses.replace(WALK, minutes=60),
                    Part(60, 75.0, 0.0, 0.01),
                    Part(7.5 * 60, 5.0, 0.0, 0.01),  # 23:30-07:00 on the back
                    dataclasses.replace(WALK, minutes=90),
                ],
                24,
            )
        return _script(start, parts, head)

    first = days(3, "x", dt.datetime(2026, 3, 2, 12, 0))
    second = days(3, "-x", dt.datetime(2026, 3, 5, 12, 0))
    both = dataclasses.replace(
        first,
        count=np.concatenate([first.count, second.count]),
        sums=np.concatenate([first.sums, second.sums]),
        sumsq=np.concatenate([first.sumsq, second.sumsq]),
        temperature=np.concatenate([first.temperature, second.temperature]),
    )
    result = analyze_epochs(both, "chest")
    assert [n.date.day for n in result.nights] == [3, 4, 5, 6, 7, 8]
    for n in result.nights:
        assert n.minutes is not None
        assert n.minutes["supine"] >= 0.95 * 7.5 * 60
    assert len(result.segments) == 2
    turn_at = result.segments[1].to_json(result.start_ns, result.epoch_s)["from"]
    assert str(turn_at).startswith("2026-03-05T1")  # from the first walk of the new day
    assert any("put back in another orientation" in n for n in result.notes)


def test_chest_face_down_tilted_along_the_body_is_prone_not_upright() -> None:
    # on real chests a prone sensor sits 40-70° off horizontal along the body (chest set)
    night = [Part(120, 8.0, 0.0, 0.01), Part(90, 55.0, 180.0, 0.01)]
    night += [Part(90, 70.0, 175.0, 0.01), Part(120, -50.0, 180.0, 0.01)]
    night += [Part(60, 10.0, 0.0, 0.01)]
    result = _run(_day([Part(240, 72.0, 0.0, 0.01)], night))
    assert len(result.nights) == 1
    minutes = result.nights[0].minutes
    assert minutes is not None
    assert minutes["prone"] >= 0.97 * 300, minutes
    assert minutes["upright"] <= 5


def test_reclined_in_a_chair_all_evening_is_not_a_night() -> None:
    # UCI sternum set: chair sitting sits 35-80° above horizontal (5th-95th centile);
    # the chair from 19:00, sitting up straight for the last half hour, bed at midnight
    evening = [Part(4.5 * 60, 38.0, 0.0, 0.01), Part(30, 70.0, 0.0, 0.01)]
    result = _run(_day([], [*evening, Part(7 * 60, 10.0, -90.0, 0.01)], night_at_h=19.0))
    assert len(result.nights) == 1
    start = result.nights[0].in_bed_start
    assert abs((start - dt.datetime(2026, 3, 3, 0, 0)).total_seconds()) <= 60, start


def test_propped_up_reading_before_lying_down_counts_as_in_bed() -> None:
    night = [Part(30, 38.0, 0.0, 0.01), Part(7 * 60, 10.0, 0.0, 0.01)]
    result = _run(_day([Part(240, 72.0, 0.0, 0.01)], night))
    assert len(result.nights) == 1
    assert abs(result.nights[0].in_bed_hours - 7.5) <= 0.1


def test_brief_turns_are_restlessness_not_position_changes() -> None:
    e = 12  # epochs per minute
    codes = np.array(
        [SUPINE] * 30 * e
        + [2] * 6  # a 30-second turn to the left and back
        + [SUPINE] * 20 * e
        + [3] * e  # a minute on the right and back
        + [SUPINE] * 20 * e
        + [PRONE] * 40 * e  # a real change
        + [UPRIGHT] * 5 * e  # the bathroom: a real change
        + [PRONE] * 30 * e,
        dtype=np.int8,
    )
    changes, brief = count_changes(codes, min_dwell=2 * e)
    assert (changes, brief) == (3, 2)


def test_unknown_gap_does_not_make_a_change() -> None:
    codes = np.array([SUPINE] * 100 + [-1] * 50 + [SUPINE] * 100, dtype=np.int8)
    assert count_changes(codes, 24) == (0, 0)


def test_edge_of_back_and_side_does_not_flicker() -> None:
    # lying at 45° between back and side, wobbling by a few degrees, is one position
    night = [Part(60, 5.0, 0.0, 0.01)]
    night += [Part(0.5, 5.0, 45.0 + (4.0 if k % 2 else -4.0), 0.01) for k in range(240)]
    result = _run(_day([Part(240, 72.0, 0.0, 0.01)], [*night, Part(60, 5.0, 0.0, 0.01)]))
    assert len(result.nights) == 1
    assert result.nights[0].position_changes == 0


def test_a_fidgety_night_counts_settled_changes_and_reports_fidgets_apart() -> None:
    """Positions held 24-75 min with 10-60 s fidgets to the next side and back, reading propped
    up first: the in-bed window and the settled changes come out exact; fidgets of 30 s or
    more are brief turns (shorter ones are movement, in restlessness)."""
    rng = np.random.default_rng(5)
    roll = {0: 0.0, 1: 180.0, 2: -90.0, 3: 90.0}
    night: list[Part] = [Part(20, 35.0, 5.0, 0.01)]  # reading, on the back
    prev, changes, fidgets = 0, 0, 0
    for _ in range(9):
        pos = int(rng.choice([p for p in range(4) if p != prev]))
        changes += 1
        prev = pos
        for _ in range(3):
            night.append(Part(rng.uniform(8, 25), 6.0, roll[pos] + rng.uniform(-25, 25), 0.008))
            if rng.random() < 0.5:
                seconds = rng.uniform(10, 60)
                night.append(Part(seconds / 60, 6.0, roll[pos] + 90, 0.05))
                fidgets += round(seconds / EPOCH_S) >= 6  # turns under 30 s are movement only
        night.append(Part(10, 6.0, roll[pos], 0.008))
    result = _run(_day([Part(240, 72.0, 0.0, 0.01)], night))
    assert len(result.nights) == 1
    n = result.nights[0]
    hours = sum(p.minutes for p in night) / 60
    assert abs((n.in_bed_start - dt.datetime(2026, 3, 2, 23, 30)).total_seconds()) <= 120
    assert abs(n.in_bed_hours - hours) <= 4 / 60
    assert n.position_changes == changes
    assert n.brief_turns == fidgets
