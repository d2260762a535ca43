"""YAML from people's files, read with limits: a size cap, no aliases, errors that quote nothing.

``yaml.safe_load`` refuses Python objects but still expands aliases, so a few hundred bytes
(the "billion laughs" file) grow into gigabytes, and an error message that shows the value
shows gigabytes too. Answers files never need anchors or aliases (``&a`` / ``*a``), so they
are refused where the parser meets the first one, before anything is built; files above
:data:`MAX_YAML_BYTES` are refused before parsing. Error messages give the line and column
and what was wrong, never the input itself.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError

MAX_YAML_BYTES = 1_000_000
"""The largest answers file read (about 1 MB; a full set of answers is a few kilobytes)."""


class NoAliasSafeLoader(yaml.SafeLoader):
    """``SafeLoader`` that stops at the first anchor or alias instead of expanding it."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise ComposerError(
                None, None, "anchors and aliases (&name, *name) are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)


class YamlInputError(ValueError):
    """The text is too large or not YAML we accept; the message quotes none of the input."""


def describe(exc: yaml.YAMLError) -> str:
    """What went wrong and where, without any of the input's text."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or "not valid YAML"
    where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
    return f"{problem}{where}"


def _check_size(text: str | bytes, max_bytes: int) -> None:
    size = len(text.encode("utf-8")) if isinstance(text, str) else len(text)
    if size > max_bytes:
        raise YamlInputError(f"is {size} bytes; the largest accepted is {max_bytes} bytes")


def load_all(text: str | bytes, *, max_bytes: int = MAX_YAML_BYTES) -> list[Any]:
    """Every document in ``text``; :class:`YamlInputError` when too big, aliased or invalid."""
    _check_size(text, max_bytes)
    try:
        return list(yaml.load_all(text, Loader=NoAliasSafeLoader))
    except yaml.YAMLError as exc:
        raise YamlInputError(describe(exc)) from None


def load(text: str | bytes, *, max_bytes: int = MAX_YAML_BYTES) -> Any:
    """The single document in ``text``, with the limits of :func:`load_all`."""
    _check_size(text, max_bytes)
    try:
        return yaml.load(text, Loader=NoAliasSafeLoader)
    except yaml.YAMLError as exc:
        raise YamlInputError(describe(exc)) from None
