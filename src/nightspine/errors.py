"""The one exception tree of nightspine.

Every error the product raises on purpose derives from :class:`NightspineError`, so a shell (the
command line, the web app) can catch that one class and show its message. Messages say what was
wrong and how to put it right.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with some input: where it is and what is allowed there.

    ``location`` names the place in the user's own terms: an answer key (``"age"``), a CSV cell
    (``"row 4, column pain_on_waking"``) or a file.
    """

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class NightspineError(Exception):
    """Base class of every error nightspine raises deliberately."""


class InvalidInputError(NightspineError, ValueError):
    """Input broke its contract; ``problems`` lists each fault, one per line when printed."""

    def __init__(self, problems: Iterable[Problem], *, what: str = "input") -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("InvalidInputError needs at least one problem")
        self.what = what
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) with the {what}:\n{lines}")


class KnowledgeError(NightspineError):
    """The knowledge base failed validation; the message names the file and the entry."""


class StorageError(NightspineError):
    """Reading or writing stored data failed."""


class NotFoundError(StorageError):
    """The thing asked for does not exist (an entry, a profile, an assessment)."""


class ConflictError(StorageError):
    """The write would overwrite something that exists; the message says how to replace it."""


class RecordingError(NightspineError):
    """A sensor recording is unreadable, truncated or of the wrong format (names the file)."""


class MissingExtraError(NightspineError, ImportError):
    """A feature needs an optional part of nightspine that is not installed.

    The message names the feature, the missing module and the one command that adds it.
    """


def missing_extra(extra: str, feature: str, exc: ImportError) -> MissingExtraError:
    """The error to raise when importing an optional dependency of ``feature`` failed.

    Used at each import point of an optional dependency::

        try:
            import typst
        except ImportError as exc:
            raise missing_extra("pdf", "the PDF report", exc) from exc
    """
    module = exc.name or str(exc)
    return MissingExtraError(
        f"{feature} needs the optional '{extra}' part of nightspine ({module} is not installed); "
        f"install it with: pip install 'nightspine[{extra}]'"
    )


__all__ = [
    "ConflictError",
    "InvalidInputError",
    "KnowledgeError",
    "MissingExtraError",
    "NightspineError",
    "NotFoundError",
    "Problem",
    "RecordingError",
    "StorageError",
    "missing_extra",
]
