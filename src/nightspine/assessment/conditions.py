"""A tiny language of conditions over named findings, readable by a clinician.

``has("fever") & has("infection_risk")`` reads as "fever and a risk factor for infection";
``any_of(...)``, ``all_of(...)``, ``at_least(n, ...)`` and ``~`` (not) complete it. Each condition
can say whether it holds for a set of findings, which findings support it, and describe itself
in words (see :meth:`Cond.describe`), so the rule table doubles as documentation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol


class _HasBecause(Protocol):
    @property
    def because(self) -> tuple[str, ...]: ...


Facts = Mapping[str, _HasBecause]
Predicate = Callable[[Mapping[str, object]], bool]
Supporter = Callable[[Mapping[str, object]], list[str]]


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

    def source(self, facts: str) -> str:
        """This condition as one Python expression over the mapping named ``facts``."""
        raise NotImplementedError

    def compile(self) -> Predicate:
        """A fast function with the same meaning as :meth:`holds` (built once per rule).

        The condition is written out as one Python expression (:meth:`source`, where finding
        names appear only as string literals written with ``repr``) and compiled, so evaluating
        it makes no nested calls; a property test checks it against :meth:`holds`.
        """
        predicate: Predicate = eval(f"lambda facts: {self.source('facts')}", {"__builtins__": {}})
        return predicate

    def support_lines(self, facts: str, indent: str) -> list[str]:
        """:meth:`support` as Python statements appending finding ids to a list named ``out``."""
        raise NotImplementedError

    def compile_support(self) -> Supporter:
        """A fast function with the same meaning as :meth:`support` (built once per rule).

        Like :meth:`compile`, the support is written out as Python statements
        (:meth:`support_lines`) and compiled; a property test checks it against :meth:`support`.
        """
        lines = ["def support(facts):", "    out = []"]
        lines += self.support_lines("facts", "    ")
        lines.append("    return out")
        namespace: dict[str, object] = {"__builtins__": {}}
        exec(compile("\n".join(lines), "<rule support>", "exec"), namespace)
        supporter: Supporter = namespace["support"]  # type: ignore[assignment]
        return supporter

    def trigger(self, common: frozenset[str] = frozenset()) -> frozenset[str] | None:
        """Findings of which at least one must be present for this to hold (None: unknown).

        Lets the engine skip, with one set operation, the many rules that cannot apply. Where
        there is a choice, findings in ``common`` (present for most people) are avoided.
        """
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

    def source(self, facts: str) -> str:
        return f"({self.finding!r} in {facts})"

    def support_lines(self, facts: str, indent: str) -> list[str]:
        return [f"{indent}out.append({self.finding!r})"]

    def trigger(self, common: frozenset[str] = frozenset()) -> frozenset[str] | None:
        return frozenset({self.finding})

    def finding_ids(self) -> set[str]:
        return {self.finding}

    def negated_ids(self) -> set[str]:
        return set()


@dataclass(frozen=True, eq=False)
class AllOf(Cond):
    parts: tuple[Cond, ...]

    def holds(self, facts: Facts) -> bool:
        return all(p.holds(facts) for p in self.parts)

    def support(self, facts: Facts) -> list[str]:
        return [i for p in self.parts for i in p.support(facts)]

    def describe(self) -> str:
        return " and ".join(_wrap(p) for p in self.parts)

    def source(self, facts: str) -> str:
        return "(" + (" and ".join(p.source(facts) for p in self.parts) or "True") + ")"

    def support_lines(self, facts: str, indent: str) -> list[str]:
        return [line for p in self.parts for line in p.support_lines(facts, indent)]

    def trigger(self, common: frozenset[str] = frozenset()) -> frozenset[str] | None:
        known = [t for t in (p.trigger(common) for p in self.parts) if t is not None]
        return min(known, key=lambda t: (len(t & common), len(t))) if known else None

    def finding_ids(self) -> set[str]:
        return set().union(*(p.finding_ids() for p in self.parts))

    def negated_ids(self) -> set[str]:
        return set().union(*(p.negated_ids() for p in self.parts))


@dataclass(frozen=True, eq=False)
class AnyOf(Cond):
    parts: tuple[Cond, ...]

    def holds(self, facts: Facts) -> bool:
        return any(p.holds(facts) for p in self.parts)

    def support(self, facts: Facts) -> list[str]:
        return [i for p in self.parts if p.holds(facts) for i in p.support(facts)]

    def describe(self) -> str:
        return " or ".join(_wrap(p) for p in self.parts)

    def source(self, facts: str) -> str:
        return "(" + (" or ".join(p.source(facts) for p in self.parts) or "False") + ")"

    def support_lines(self, facts: str, indent: str) -> list[str]:
        return _support_of_those_that_hold(self.parts, facts, indent)

    def trigger(self, common: frozenset[str] = frozenset()) -> frozenset[str] | None:
        return _union(p.trigger(common) for p in self.parts)

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

    def source(self, facts: str) -> str:
        count = " + ".join(p.source(facts) for p in self.parts) or "0"
        return f"({count} >= {int(self.count)})"

    def support_lines(self, facts: str, indent: str) -> list[str]:
        return _support_of_those_that_hold(self.parts, facts, indent)

    def trigger(self, common: frozenset[str] = frozenset()) -> frozenset[str] | None:
        return _union(p.trigger(common) for p in self.parts) if self.count >= 1 else None

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

    def source(self, facts: str) -> str:
        return f"(not {self.part.source(facts)})"

    def support_lines(self, facts: str, indent: str) -> list[str]:
        return []

    def trigger(self, common: frozenset[str] = frozenset()) -> frozenset[str] | None:
        return None

    def finding_ids(self) -> set[str]:
        return self.part.finding_ids()

    def negated_ids(self) -> set[str]:
        return self.part.finding_ids()


def _support_of_those_that_hold(parts: tuple[Cond, ...], facts: str, indent: str) -> list[str]:
    """Statements for the support of the parts that hold, in order."""
    lines: list[str] = []
    for p in parts:
        body = p.support_lines(facts, indent + "    ")
        if body:
            lines += [f"{indent}if {p.source(facts)}:", *body]
    return lines


def _union(triggers: Iterable[frozenset[str] | None]) -> frozenset[str] | None:
    out: set[str] = set()
    for t in triggers:
        if t is None:
            return None
        out |= t
    return frozenset(out)


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
