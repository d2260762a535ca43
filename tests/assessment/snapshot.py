"""Fingerprints of whole assessments, to prove that a speed-up changes no output.

The snapshot (``data/assessment-snapshot.json``) holds, for every vignette and for a fixed set of
seeded random answer documents, a SHA-256 of each part of the assessment's canonical JSON. It was
recorded before the pipeline was optimised. When an output changes on purpose (new rules, new
content), record it again and say so in the commit:

    PYTHONPATH=src python tests/assessment/snapshot.py --update
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from pathlib import Path
from typing import Any

import yaml

from nightspine.assessment import assess
from nightspine.knowledge.loader import load_knowledge
from nightspine.knowledge.vocabulary import FieldSpec, assessment_vocabulary

DATA = Path(__file__).parent / "data"
SNAPSHOT = DATA / "assessment-snapshot.json"
VIGNETTES = ("vignettes-public.yaml", "vignettes-extra.yaml")
SEED = 20261121
RANDOM_DOCUMENTS = 300


def _value(spec: FieldSpec, rng: random.Random) -> Any:
    if spec.type == "bool":
        return rng.random() < 0.5
    if spec.type == "one-of":
        return spec.values[rng.randrange(len(spec.values))]
    if spec.type == "many-of":
        count = rng.randrange(len(spec.values) + 1)
        picked = {spec.values[rng.randrange(len(spec.values))] for _ in range(count)}
        return [v for v in spec.values if v in picked]
    low = int(spec.min) if spec.min is not None else 0
    high = int(spec.max) if spec.max is not None else 3000
    if spec.type in ("int", "0-10"):
        return low + rng.randrange(high - low + 1)
    return round(low + rng.random() * (high - low), 1)


def random_documents(count: int = RANDOM_DOCUMENTS, seed: int = SEED) -> list[dict[str, Any]]:
    """Valid answer documents, sparse and dense, always the same for the same seed."""
    rng = random.Random(seed)
    vocab = assessment_vocabulary()
    keys = list(vocab.answers)
    docs: list[dict[str, Any]] = []
    for n in range(count):
        # a third sparse (mostly self-care), a third middling, a third dense
        size = rng.randrange(1 + len(keys) // (12 if n % 3 == 0 else 3 if n % 3 == 1 else 1))
        chosen = [keys[rng.randrange(len(keys))] for _ in range(size)]
        doc = {k: _value(vocab.answers[k], rng) for k in dict.fromkeys(chosen)}
        if doc.get("pregnant") is True and doc.get("sex") == "male":  # refused as impossible
            del doc["pregnant"]
        if doc.get("hours_in_bed", 0) + doc.get("sitting_hours", 0) > 24:
            doc["sitting_hours"] = round(24 - doc["hours_in_bed"], 1)
        docs.append(doc)
    return docs


def documents() -> dict[str, dict[str, Any]]:
    """Every document fingerprinted: the vignettes by id, then the random ones by number."""
    out: dict[str, dict[str, Any]] = {}
    for name in VIGNETTES:
        for v in yaml.safe_load((DATA / name).read_text(encoding="utf-8")):
            out[v["id"]] = v["answers"]
    for n, doc in enumerate(random_documents()):
        out[f"random-{n:03d}"] = doc
    return out


def fingerprint(result: dict[str, Any]) -> dict[str, str]:
    """A SHA-256 of the JSON (keys in output order) of each top-level part of an assessment."""
    return {
        part: hashlib.sha256(json.dumps(value, ensure_ascii=False).encode()).hexdigest()[:16]
        for part, value in sorted(result.items())
    }


def current() -> dict[str, Any]:
    """The snapshot as the code computes it now."""
    kb = load_knowledge()
    return {
        "knowledge_checksum": kb.checksum,
        "outputs": {
            ident: fingerprint(assess(doc, kb).to_json()) for ident, doc in documents().items()
        },
    }


def recorded() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    return loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--update", action="store_true", help="record the snapshot again")
    args = parser.parse_args()
    now = current()
    if args.update:
        SNAPSHOT.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"recorded {len(now['outputs'])} fingerprints in {SNAPSHOT}")
        return
    old = recorded()["outputs"]
    changed = sorted(
        k for k in set(old) | set(now["outputs"]) if old.get(k) != now["outputs"].get(k)
    )
    print(f"{len(changed)} of {len(now['outputs'])} outputs differ: {', '.join(changed[:20])}")


if __name__ == "__main__":
    main()
