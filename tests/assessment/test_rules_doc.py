"""``docs/clinical-rules.md`` is the rule table as the code has it now."""

from __future__ import annotations

from pathlib import Path

from nightspine.assessment.rules import REGENERATE, RULES, rules_markdown
from nightspine.knowledge.loader import load_knowledge

KB = load_knowledge()
DOC = Path(__file__).resolve().parents[2] / "docs" / "clinical-rules.md"


def test_the_checked_in_rule_doc_is_current() -> None:
    assert DOC.exists(), f"docs/clinical-rules.md is missing; create it with `{REGENERATE}`"
    current = DOC.read_text(encoding="utf-8") == rules_markdown()
    assert current, f"docs/clinical-rules.md is out of date; regenerate it with `{REGENERATE}`"


def test_the_rule_doc_lists_every_rule_with_its_level_reason_and_sources() -> None:
    text = rules_markdown()
    assert REGENERATE in text
    for rule in RULES:
        row = next(line for line in text.splitlines() if line.startswith(f"| {rule.id} |"))
        assert f"| {rule.level.value} |" in row, rule.id
        assert rule.reason in row, rule.id
        for source in rule.sources:  # the label a clinician reads, not the bare id
            assert KB.source_label(source) in row, (rule.id, source)
