"""Validate the sensor pipeline on public recordings nobody here made.

    python -m validation --data /work/data

``--data`` is a folder holding clones of (any subset of):

- ``ptrckfrnk+sleep-position-classification`` (github.com/ptrckfrnk/sleep-position-classification,
  no licence: use locally, never copy it into the repository): a chest LIS3DH, 11 recordings,
  12 one-minute lying positions each (1-3 supine, 4-6 prone, 7-9 left side, 10-12 right side).
- ``uob-COMS30035+lab_sheets_public`` (UCI "Activity recognition with healthy older people
  using a batteryless wearable sensor", CC BY 4.0): a sternum sensor, labels sit on bed / sit
  on chair / lying / walking.
- ``postuR_sample_accel.csv`` and ``postuR_sample_minutes.csv``: the 14-day Zio patch sample of
  github.com/etzkorn/postuR (GPL-3), converted from its ``.rda`` files by ``--convert-postur``
  (needs the ``rdata`` package).

For each set it prints the epoch confusion matrix for positions (or lying versus sitting), the
in-bed windows, naps, orientation segments and position-change counts where the set allows.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from nightspine.sensors import analyze
from nightspine.sensors.analysis import Params
from nightspine.sensors.bouts import movement
from nightspine.sensors.epochs import NS, EpochAccumulator, Epochs, RecordingInfo, runs
from nightspine.sensors.frame import parse_axes, to_body
from nightspine.sensors.orientation import apply, find_segments
from nightspine.sensors.position import POSITIONS, classify, count_changes, smooth
from nightspine.sensors.readers import read_epochs
from nightspine.sensors.window import elevation_deg

F64 = NDArray[np.float64]
EPOCH_S = 5
CHEST_SET = "ptrckfrnk+sleep-position-classification"
UCI_SET = "uob-COMS30035+lab_sheets_public"
# Chest set: device z points into the body (supine reads z = -1 g), device x reads -1 g lying on
# the left side, device y reads +0.3 g supine on a pillow: head = y, left = x, front = -z, a
# proper rotation (determinant +1), derived from the supine and side labels only.
CHEST_AXES = "y,x,-z"
CHEST_TRUTH = {1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3}
SETTLE_ROWS = 20  # the set's authors drop the first 20 rows of each position (moving into it)


def _epochs(t_s: F64, xyz: F64, name: str, start: dt.datetime) -> Epochs:
    acc = EpochAccumulator(name, EPOCH_S)
    t0 = int((start - dt.datetime(1970, 1, 1)).total_seconds()) * NS
    t_ns = (t0 + np.round(t_s * NS)).astype(np.int64)
    acc.add(t_ns, np.ones(t_ns.size, dtype=np.int64), xyz, xyz * xyz)
    rate = t_s.size / max(float(t_s[-1] - t_s[0]), 1.0)
    return acc.result(RecordingInfo(name, "validation", rate, int(t_s.size)))


def _positions(ep: Epochs, axes: str, *, from_walking: bool) -> NDArray[np.int8]:
    prm = Params()
    body, var = to_body(ep.mean, ep.variance, parse_axes(axes), "chest")
    move = movement(var)
    valid = ep.count > 0
    dense = ep.count >= prm.orientation.walk_min_samples
    if from_walking:
        body = apply(body, find_segments(body, move, dense, EPOCH_S, prm.orientation))
    codes = classify(body, prm.position)
    codes[~valid] = -1
    return smooth(codes, max(1, round(prm.position.min_bout_s / EPOCH_S)))


def _matrix(
    rows: list[str],
    cols: list[str],
    pairs: list[tuple[int, int]],
    right: dict[int, int] | None = None,
) -> str:
    """A confusion matrix; ``right`` maps a truth row to its correct column (default: same)."""
    m = np.zeros((len(rows), len(cols)), dtype=np.int64)
    for t, p in pairs:
        if 0 <= t < len(rows) and 0 <= p < len(cols):
            m[t, p] += 1
    width = max(8, *(len(c) + 1 for c in cols))
    out = ["truth \\ called".ljust(16) + "".join(c.rjust(width) for c in cols) + "   right"]
    for i, r in enumerate(rows):
        total = int(m[i].sum())
        col = (right or {}).get(i, i)
        ok = f"{100 * m[i, col] / total:5.1f}%" if total and col < len(cols) else "   -  "
        out.append(r.ljust(16) + "".join(str(v).rjust(width) for v in m[i]) + "  " + ok)
    return "\n".join(out)


def chest_set(root: Path, axes: str = CHEST_AXES) -> None:
    files = sorted((root / CHEST_SET / "Machine_Learning" / "dataset").glob("*.csv"))
    if not files:
        print(f"chest position set: not found under {root / CHEST_SET}")
        return
    print(f"== chest position set ({len(files)} recordings, axes {axes}) ==")
    pairs: list[tuple[int, int]] = []
    per_person: list[str] = []
    counts: list[str] = []
    for f in files:
        text = f.read_text().replace(";", ",").splitlines()
        rows = [r for r in csv.reader(text[1:]) if len(r) == 7]
        a = np.array([[float(v) for v in r] for r in rows if all(v.strip() for v in r)])
        if a.size == 0:
            continue
        label = a[:, 6].astype(int)
        xyz = a[:, 0:3] / 256.0  # LIS3DH +-2 g, left-justified 8-bit: 256 counts per g
        t = np.arange(a.shape[0], dtype=np.float64)  # about one averaged row per second
        ep = _epochs(t, xyz, f.name, dt.datetime(2022, 6, 1, 23, 0))
        codes = _positions(ep, axes, from_walking=True)
        settled = np.zeros(a.shape[0], dtype=bool)
        for k in np.unique(label):
            idx = np.flatnonzero(label == k)
            settled[idx[SETTLE_ROWS:]] = True
        e_idx = (t // EPOCH_S).astype(int)
        prone_right = prone_all = 0
        for e in np.unique(e_idx):
            m = (e_idx == e) & settled
            labs = np.unique(label[e_idx == e])
            if not m.any() or labs.size != 1 or int(labs[0]) not in CHEST_TRUTH:
                continue
            truth = CHEST_TRUTH[int(labs[0])]
            pairs.append((truth, int(codes[e])))
            if truth == 1:
                prone_all += 1
                prone_right += int(codes[e] == 1)
        dwell = max(1, round(Params().position.min_dwell_s / EPOCH_S))
        changes, brief = count_changes(codes, dwell)
        truth_changes = int(np.count_nonzero(np.diff([CHEST_TRUTH[int(k)] for k in label]) != 0))
        counts.append(f"{f.stem.split('_')[0]} {changes}/{truth_changes} (+{brief} brief)")
        if prone_all:
            per_person.append(f"{f.stem.split('_')[0]} {prone_right}/{prone_all}")
    print(_matrix(list(POSITIONS[:4]), list(POSITIONS), pairs))
    print("prone right per person: " + ", ".join(per_person))
    print("position changes found/true (minimum dwell 2 min): " + ", ".join(counts))


def uci_set(root: Path) -> None:
    base = root / UCI_SET / "activity_recognition_dataset"
    files = sorted(p for d in ("S1_Dataset", "S2_Dataset") for p in (base / d).glob("d*"))
    if not files:
        print(f"sternum set: not found under {base}")
        return
    names = ["sit on bed", "sit on chair", "lying", "walking"]
    window = Params().window
    rules = {
        "before: lying below 55 deg": 55.0,
        f"now: a night needs lying below {window.lying_max_elevation_deg:.0f} deg": (
            window.lying_max_elevation_deg
        ),
    }
    print(f"\n== sternum set of older people ({len(files)} trials, 5-second epochs) ==")
    pairs: dict[str, list[tuple[int, int]]] = {k: [] for k in rules}
    walking_found = 0
    for f in files:
        a = np.loadtxt(f, delimiter=",")
        # columns: time s, frontal, vertical, lateral (g); head = vertical, front = frontal
        ep = _epochs(a[:, 0], a[:, 1:4], f.name, dt.datetime(2020, 1, 1, 14, 0))
        body, var = to_body(ep.mean, ep.variance, parse_axes("y,z,x"), "chest")
        prm = Params().orientation
        segs = find_segments(body, movement(var), ep.count >= prm.walk_min_samples, EPOCH_S, prm)
        walking_found += int(segs[0].source == "walking")
        elev = elevation_deg(apply(body, segs))
        e_idx = (a[:, 0] // EPOCH_S).astype(int)
        for e in np.unique(e_idx):
            labs = np.unique(a[e_idx == e, 8]).astype(int)
            if labs.size != 1 or ep.count[e] == 0:
                continue
            for key, limit in rules.items():
                pairs[key].append((int(labs[0]) - 1, 0 if elev[e] < limit else 1))
    print(f"upright direction found from walking in {walking_found} of {len(files)} trials")
    for key, pr in pairs.items():
        print(f"-- {key}: epochs called lying / not lying --")
        print(_matrix(names, ["lying", "not"], pr, right={0: 1, 1: 1, 2: 0, 3: 1}))


def postur_set(root: Path) -> None:
    accel = root / "postuR_sample_accel.csv"
    minutes = root / "postuR_sample_minutes.csv"
    if not accel.is_file():
        print(f"\npostuR sample: {accel} not found (run with --convert-postur first)")
        return
    print("\n== postuR 14-day Zio patch sample (times as stored: UTC, dates shifted) ==")
    result = analyze(accel, "chest", "x,y,z")
    print(f"sampling {result.recording.sample_rate_hz} Hz, non-wear {result.nonwear_min} min")
    for g in result.segments:
        print("orientation", g.to_json(result.start_ns, result.epoch_s))
    for note in result.notes:
        print("note:", note)
    for n in result.nights:
        print(
            f"night {n.date}: {n.in_bed_start:%m-%d %H:%M} - {n.in_bed_end:%m-%d %H:%M} "
            f"({n.in_bed_hours:.1f} h), changes {n.position_changes}, brief turns "
            f"{n.brief_turns}, main {n.main_position}"
        )
    naps = result.nap_json()
    print(f"naps: {len(naps)}, " + ", ".join(f"{n['start']} {n['minutes']} min" for n in naps))
    ep = read_epochs(accel)
    sd = np.sqrt(ep.variance)
    quiet = (sd.max(axis=1) < Params().nonwear.quiet_sd_g) & (ep.count > 0)
    starts, ends = runs(quiet)
    longest = float((ends - starts).max()) * EPOCH_S / 60 if starts.size else 0.0
    print(
        f"non-wear margin: longest run of quiet epochs {longest:.1f} min on this worn patch; "
        f"without temperature a run must last {Params().nonwear.no_temp_min_min:.0f} min"
    )
    if minutes.is_file():
        with minutes.open() as fh:
            rows = list(csv.DictReader(fh))
        t = np.array([float(r["time"]) for r in rows])
        down = np.array([r["down"] == "1.0" or r["down"] == "1" for r in rows])
        worn = np.array([r["wear"] in ("1.0", "1") for r in rows])
        idx = ((t * NS - result.start_ns) // (result.epoch_s * NS)).astype(int)
        ok = (idx >= 0) & (idx < result.positions.size) & worn
        in_bed = np.zeros(result.positions.size, dtype=bool)
        for w in result.windows:
            in_bed[w.start : w.end] = True
        ours = in_bed[idx[ok]]
        peer = down[ok]
        agree = float(np.mean(ours == peer))
        print(
            f"postuR 'down' minutes {int(peer.sum())}, our in-bed minutes {int(ours.sum())}, "
            f"minute agreement {100 * agree:.1f}% over {int(ok.sum())} worn minutes"
        )
        # like for like: recumbent at any hour, postuR's rule (45 deg from the upright
        # direction) on our upright direction, against postuR's own
        body, _ = to_body(ep.mean, ep.variance, parse_axes("x,y,z"), "chest")
        recumbent = elevation_deg(apply(body, result.segments)) < 45.0
        rec = recumbent[idx[ok]]
        print(
            f"recumbent minutes (45 deg from upright): ours {int(rec.sum())}, postuR "
            f"{int(peer.sum())}, agreement {100 * float(np.mean(rec == peer)):.1f}%"
        )


def convert_postur(repo: Path, out: Path) -> None:
    import rdata  # type: ignore[import-not-found, unused-ignore]

    for name, file in (("sample.accel", "accel"), ("sample.minutes", "minutes")):
        data = rdata.conversion.convert(rdata.parser.parse_file(repo / "data" / f"{name}.rda"))
        data[name].to_csv(out / f"postuR_sample_{file}.csv", index=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m validation", description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="folder with the public sets")
    ap.add_argument("--convert-postur", action="store_true", help="make the postuR CSVs first")
    ap.add_argument("--only", choices=["chest", "uci", "postur"], default=None)
    ap.add_argument(
        "--chest-axes",
        default=CHEST_AXES,
        help=f"axis mapping for the chest set (default {CHEST_AXES}, from its labels)",
    )
    args = ap.parse_args(argv)
    if args.convert_postur:
        convert_postur(args.data / "etzkorn+postuR", args.data)
    if args.only in (None, "chest"):
        chest_set(args.data, args.chest_axes)
    for key, fn in (("uci", uci_set), ("postur", postur_set)):
        if args.only in (None, key):
            fn(args.data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
