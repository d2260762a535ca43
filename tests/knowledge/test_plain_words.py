"""The warning-sign questions are short and plain: a reader of about 9 to 11 can follow them.

Reading level is the Flesch-Kincaid grade (US school grade; add about 5 for a reading age),
with syllables from a hyphenation dictionary (pyphen). It is an estimate, so the limits are
for the set and for each item with room to spare; the words stay the questionnaire's, checked
here and nowhere else.
"""

from __future__ import annotations

import re

import pyphen
import pytest

from nightspine.knowledge.loader import load_knowledge

KB = load_knowledge()
DICTIONARY = pyphen.Pyphen(lang="en_GB")
MAX_WORDS = 16
"""The longest question, help line or choice of the warning-sign screens, in words."""
MAX_GRADE_ITEM = 10.0
MAX_GRADE_MEAN = 1.5
"""Short questions score low on this scale: the wording before knowledge 2026.12.3 averaged 2.1
with four items over the limits above; the plain wording averages about 1.1."""


def _syllables(word: str) -> int:
    return len(DICTIONARY.positions(word.lower())) + 1


def grade(text: str) -> float:
    """The Flesch-Kincaid grade of ``text``."""
    words = re.findall(r"[A-Za-z']+", text)
    sentences = max(1, len(re.findall(r"[.?!:;]+", text)))
    syllables = sum(_syllables(w) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59


def _warning_texts() -> list[tuple[str, str]]:
    """Everything a person reads on the warning-sign screens, by where it is."""
    out: list[tuple[str, str]] = []
    for section in KB.questionnaire.sections:
        if not section.warning_signs:
            continue
        out += [(f"{section.id} group {g}", t) for g, t in section.groups.items()]
        for q in section.questions:
            out.append((q.key, q.text))
            if q.help:
                out.append((f"{q.key} help", q.help))
            out += [(f"{q.key}={v}", label) for v, label in q.choices.items()]
    return out


TEXTS = _warning_texts()


def test_the_grade_estimate_tells_plain_from_hard() -> None:
    assert grade("Is your chest tight?") < 4
    assert grade("Have you experienced uncontrollable paroxysmal rigors recently?") > 12


@pytest.mark.parametrize(("where", "text"), TEXTS, ids=[w for w, _ in TEXTS])
def test_each_warning_sign_item_is_short_and_plain(where: str, text: str) -> None:
    words = len(re.findall(r"[A-Za-z0-9']+", text))
    assert words <= MAX_WORDS, f"{where}: {words} words: {text!r}"
    assert grade(text) <= MAX_GRADE_ITEM, f"{where}: grade {grade(text):.1f}: {text!r}"


def test_the_warning_sign_screens_read_plainly_on_average() -> None:
    mean = sum(grade(t) for _, t in TEXTS) / len(TEXTS)
    assert mean <= MAX_GRADE_MEAN, f"mean grade {mean:.1f}"
