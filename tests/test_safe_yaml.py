"""Limited YAML: aliases refused before expansion, size capped, errors quote no input."""

from __future__ import annotations

import pytest

from nightspine.safe_yaml import YamlInputError, load, load_all


def test_plain_yaml_reads_as_usual() -> None:
    assert load("age: 34\nfever: false\n") == {"age": 34, "fever": False}
    assert load_all("a: 1\n---\nb: 2\n") == [{"a": 1}, {"b": 2}]


@pytest.mark.parametrize("text", ["a: &x 1\nb: *x\n", "a: &x [1]\n", "- *x\n"])
def test_anchors_and_aliases_are_refused(text: str) -> None:
    with pytest.raises(YamlInputError, match="anchors and aliases"):
        load(text)


def test_python_tags_stay_refused_and_errors_quote_nothing() -> None:
    secret = "!!python/object/apply:os.system ['echo SECRET-VALUE']"
    with pytest.raises(YamlInputError) as caught:
        load(f"a: {secret}\n")
    assert "SECRET-VALUE" not in str(caught.value)
    assert "line 1" in str(caught.value)


def test_size_limit() -> None:
    with pytest.raises(YamlInputError, match="the largest accepted is 10 bytes"):
        load("a: 1234567890\n", max_bytes=10)
