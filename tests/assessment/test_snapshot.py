"""Whole assessments are unchanged: every vignette and seeded random document gives the recorded
output (see ``snapshot.py``; record again with ``--update`` when an output changes on purpose)."""

from __future__ import annotations

from snapshot import current, recorded


def test_every_output_matches_the_recorded_snapshot() -> None:
    old, now = recorded(), current()
    changed = {
        ident: sorted(p for p in now["outputs"][ident] if now["outputs"][ident][p] != parts.get(p))
        for ident, parts in old["outputs"].items()
        if now["outputs"].get(ident) != parts
    }
    assert set(now["outputs"]) == set(old["outputs"])
    assert changed == {}, (
        "assessments changed (id: parts); if on purpose, run "
        "`PYTHONPATH=src python tests/assessment/snapshot.py --update`"
    )
