"""Write ``docs/clinical-rules.md`` from the rule table.

Run: ``PYTHONPATH=src python -m nightspine.assessment.rules_doc``.

Run it from the repository root after changing a rule, a finding or a
source label; ``tests/assessment/test_rules_doc.py`` fails while the checked-in file is stale.
An optional argument names another file to write.
"""

from __future__ import annotations

import sys
from pathlib import Path

from nightspine.assessment.rules import rules_markdown

DOC = Path("docs") / "clinical-rules.md"


def main(argv: list[str]) -> None:
    path = Path(argv[0]) if argv else DOC
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(rules_markdown(), encoding="utf-8")
    sys.stdout.write(f"wrote {path}\n")


if __name__ == "__main__":
    main(sys.argv[1:])
