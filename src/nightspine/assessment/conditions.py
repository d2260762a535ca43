"""A tiny language of conditions over named findings, readable by a clinician.

``has("fever") & has("infection_risk")`` reads as "fever and a risk factor for infection";
``any_of(...)``, ``all_of(...)``, ``at_least(n, ...)`` and ``~`` (not) complete it. Each condition
can say whether it holds for a set of findings, which findings support it, and describe itself
in words (see :meth:`Cond.describe`), so the rule table doubles as documentation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol


class _HasBecause(Protocol):
    @property
    def because(self) -> tuple[str, ...]: ...


Facts = Mapping[str, _HasBecause]


class Cond:
    """Base class: combine with ``&``, ``|`` and ``~``."""

    def holds(self, facts: Facts) -> bool:
        raise NotImplementedError

    def support(self, facts: Facts) -> list[str]:
        """Ids of the findings that make this condition hold (call only when it holds)."""
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def finding_ids(self) -> set[str]:
        raise NotImplementedError

    def negated_ids(self) -> set[str]:
        """Ids of findings that appear under a ``not`` (used to check monotonic rules)."""
        raise NotImplementedError

    def __and__(self, other: Cond) -> Cond:
        return all_of(self, other)

    def __or__(self, other: Cond) -> Cond:
        return any_of(self, other)

    def __invert__(self) -> Cond:
        return Not(self)


@dataclass(frozen=True, eq=False)
class Has(Cond):
    finding: str

    def holds(self, facts: Facts) -> bool:
        return self.finding in facts

    def support(self, facts: Facts) -> list[str]:
        return [self.finding]

    def describe(self) -> str:
        return self.finding

    def finding_ids(self) -> set[str]:
        return {self.finding}

    def negated_ids(self) -> set[str]:
        return set()


@dataclass(frozen=True, eq=False)
class AllOf(Cond):
    parts: tuple[Cond, ...]

    def holds(self, facts: Facts) -> bool:
        return all(part.holds(facts) for part in self.parts)

    def support(self, facts: Facts) -> list[str]:
        return [i for p in self.parts for i in p.support(facts)]

    def describe(self) -> str:
        return " and ".join(_wrap(p) for p in self.parts)

    def finding_ids(self) -> set[str]:
        return set().union(*(p.finding_ids() for p in self.parts))

    def negated_ids(self) -> set[str]:
        return set().union(*(p.negated_ids() for p in self.parts))


@dataclass(frozen=True, eq=False)
class AnyOf(Cond):
    parts: tuple[Cond, ...]

    def holds(self, facts: Facts) -> bool:
        return any(part.holds(facts) for part in self.parts)

    def support(self, facts: Facts) -> list[str]:
        return [i for p in self.parts if p.holds(facts) for i in p.support(facts)]

    def describe(self) -> str:
        return " or ".join(_wrap(p) for p in self.parts)

    def finding_ids(self) -> set[str]:
        return set().union(*(p.finding_ids() for p in self.parts))

    def negated_ids(self) -> set[str]:
        return set().union(*(p.negated_ids() for p in self.parts))


@dataclass(frozen=True, eq=False)
class AtLeast(Cond):
    count: int
    parts: tuple[Cond, ...]

    def holds(self, facts: Facts) -> bool:
        return sum(1 for p in self.parts if p.holds(facts)) >= self.count

    def support(self, facts: Facts) -> list[str]:
        return [i for p in self.parts if p.holds(facts) for i in p.support(facts)]

    def describe(self) -> str:
        return f"at least {self.count} of ({', '.join(p.describe() for p in self.parts)})"

    def finding_ids(self) -> set[str]:
        return set().union(*(p.finding_ids() for p in self.parts))

    def negated_ids(self) -> set[str]:
        return set().union(*(p.negated_ids() for p in self.parts))


@dataclass(frozen=True, eq=False)
class Not(Cond):
    part: Cond

    def holds(self, facts: Facts) -> bool:
        return not self.part.holds(facts)

    def support(self, facts: Facts) -> list[str]:
        return []

    def describe(self) -> str:
        return f"not {_wrap(self.part)}"

    def finding_ids(self) -> set[str]:
        return self.part.finding_ids()

    def negated_ids(self) -> set[str]:
        return self.part.finding_ids()


def _wrap(cond: Cond) -> str:
    text = cond.describe()
    return f"({text})" if isinstance(cond, AllOf | AnyOf) else text


def _flat(kind: type[AllOf] | type[AnyOf], parts: Iterable[Cond | str]) -> tuple[Cond, ...]:
    out: list[Cond] = []
    for part in parts:
        cond = Has(part) if isinstance(part, str) else part
        out.extend(cond.parts if isinstance(cond, kind) else (cond,))
    return tuple(out)


def has(finding: str) -> Cond:
    """The finding ``finding`` is present."""
    return Has(finding)


def all_of(*parts: Cond | str) -> Cond:
    """Every part holds (strings name findings)."""
    return AllOf(_flat(AllOf, parts))


def any_of(*parts: Cond | str) -> Cond:
    """At least one part holds (strings name findings)."""
    return AnyOf(_flat(AnyOf, parts))


def at_least(count: int, *parts: Cond | str) -> Cond:
    """At least ``count`` of the parts hold."""
    return AtLeast(count, tuple(Has(p) if isinstance(p, str) else p for p in parts))
