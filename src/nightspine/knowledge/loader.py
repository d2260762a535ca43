"""Loading the knowledge base: every YAML file validated, cross-references checked, and one
version and checksum for the whole, stamped on every assessment."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from nightspine.errors import KnowledgeError
from nightspine.knowledge.schema import (
    AdviceItem,
    AnatomyTopic,
    ConcernInfo,
    Condition,
    ContributorInfo,
    DoctorGuide,
    Item,
    Meta,
    Questionnaire,
    Source,
    WarningSign,
)
from nightspine.knowledge.vocabulary import (
    AssessmentVocabulary,
    DiaryVocabulary,
    assessment_vocabulary,
    diary_vocabulary,
)

DATA_PACKAGE = "nightspine.knowledge"

T = TypeVar("T", bound=BaseModel)


class KnowledgeBase(BaseModel):
    """The whole knowledge base, validated. Obtain it with :func:`load_knowledge`."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    version: str
    checksum: str
    meta: Meta
    vocabulary: AssessmentVocabulary
    diary_vocabulary: DiaryVocabulary
    sources: dict[str, Source]
    anatomy: tuple[AnatomyTopic, ...]
    concerns: dict[str, ConcernInfo]
    contributors: dict[str, ContributorInfo]
    warning_signs: tuple[WarningSign, ...]
    advice: dict[str, AdviceItem]
    doctor: DoctorGuide
    questionnaire: Questionnaire

    def __hash__(self) -> int:
        """Hashed by its checksum (over every knowledge file), so that a table derived from a
        knowledge base can be prepared once per knowledge base with ``functools.lru_cache``
        (see :mod:`nightspine.assessment.prepared`). Equal knowledge bases have equal checksums,
        so they hash alike; a copy changed in memory keeps the checksum and is told apart by
        ``==``."""
        return hash(self.checksum)

    def source_label(self, source_id: str) -> str:
        return self.sources[source_id].label


def _data_files() -> list[tuple[str, bytes]]:
    folder = resources.files(DATA_PACKAGE).joinpath("data")
    files = [(f.name, f.read_bytes()) for f in folder.iterdir() if f.name.endswith(".yaml")]
    return sorted(files)


def _parse(name: str, raw: bytes) -> Any:
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise KnowledgeError(f"knowledge file {name} is not valid YAML: {exc}") from exc


def _items(model: type[T], name: str, data: Any) -> tuple[T, ...]:
    if not isinstance(data, list):
        raise KnowledgeError(f"knowledge file {name} must hold a list of items")
    out: list[T] = []
    for index, entry in enumerate(data):
        try:
            out.append(model.model_validate(entry))
        except ValidationError as exc:
            ident = entry.get("id", "?") if isinstance(entry, dict) else "?"
            raise KnowledgeError(f"{name}, item {index} (id {ident}) is invalid:\n{exc}") from exc
    ids = [getattr(item, "id", None) for item in out]
    duplicates = sorted({i for i in ids if i is not None and ids.count(i) > 1})
    if duplicates:
        raise KnowledgeError(f"{name}: ids used more than once: {', '.join(duplicates)}")
    return tuple(out)


def _sources(parsed: dict[str, Any]) -> dict[str, Source]:
    """All ``sources*.yaml`` files merged (each area of content keeps its own list)."""
    merged: dict[str, Source] = {}
    names = [name for name in parsed if name.startswith("sources") and name.endswith(".yaml")]
    if not names:
        raise KnowledgeError("knowledge file sources.yaml is missing from the package")
    for name in names:
        for source in _items(Source, name, parsed[name]):
            if source.id in merged:
                raise KnowledgeError(f"{name}: source id '{source.id}' is defined twice")
            merged[source.id] = source
    return merged


def _check_references(kb: KnowledgeBase) -> None:
    problems: list[str] = []
    cited: list[tuple[str, Item]] = [("anatomy.yaml", i) for i in kb.anatomy]
    cited += [("concerns.yaml", i) for i in kb.concerns.values()]
    cited += [("contributors.yaml", i) for i in kb.contributors.values()]
    cited += [("warning_signs.yaml", i) for i in kb.warning_signs]
    cited += [("advice.yaml", i) for i in kb.advice.values()]
    cited += [("doctor.yaml", i) for i in (*kb.doctor.write_down, *kb.doctor.what_a_doctor_may_do)]
    for name, item in cited:
        for source in item.sources:
            if source not in kb.sources:
                problems.append(f"{name}: {item.id} cites unknown source '{source}'")
    for label, known, expected in (
        ("concerns.yaml", set(kb.concerns), set(kb.vocabulary.concerns)),
        ("contributors.yaml", set(kb.contributors), set(kb.vocabulary.contributors)),
    ):
        for missing in sorted(expected - known):
            problems.append(f"{label}: no entry for vocabulary id '{missing}'")
        for extra in sorted(known - expected):
            problems.append(f"{label}: '{extra}' is not an id in the vocabulary")
    for missing in sorted(set(kb.vocabulary.advice) - set(kb.advice)):
        problems.append(f"advice.yaml: no item for the contract's plan item id '{missing}'")
    for sign in kb.warning_signs:
        for key in sign.answer_keys:
            if key not in kb.vocabulary.answers:
                problems.append(f"warning_signs.yaml: {sign.id} names unknown answer key '{key}'")
    for advice in kb.advice.values():
        for target in advice.addresses:
            if target not in kb.contributors and target not in kb.concerns and target != "general":
                problems.append(f"advice.yaml: {advice.id} addresses unknown id '{target}'")
    if problems:
        raise KnowledgeError("the knowledge base is inconsistent:\n  - " + "\n  - ".join(problems))


def _check_condition(where: str, cond: Condition, kb: KnowledgeBase) -> list[str]:
    spec = kb.vocabulary.answers.get(cond.key)
    if spec is None:
        return [f"{where}: condition names unknown answer key '{cond.key}'"]
    problems: list[str] = []
    bad = [v for v in cond.any_of if v not in spec.values]
    if bad:
        problems.append(f"{where}: '{cond.key}' has no value(s) {', '.join(bad)}")
    numeric = spec.type in ("int", "number", "0-10")
    if (cond.at_least is not None or cond.below is not None) and not numeric:
        problems.append(f"{where}: '{cond.key}' is not a number; at_least/below do not apply")
    if isinstance(cond.equals, bool) and spec.type != "bool":
        problems.append(f"{where}: '{cond.key}' is not true/false")
    if isinstance(cond.equals, str) and cond.equals not in spec.values:
        problems.append(f"{where}: '{cond.key}' has no value '{cond.equals}'")
    return problems


def _check_questionnaire(kb: KnowledgeBase) -> list[str]:
    problems: list[str] = []
    answers = kb.vocabulary.answers
    seen: set[str] = set()
    warning_keys = {
        q.key for s in kb.questionnaire.sections if s.warning_signs for q in s.questions
    }
    if not kb.questionnaire.sections[0].warning_signs:
        problems.append("questionnaire.yaml: the first section must be the warning signs")
    for section in kb.questionnaire.sections:
        for q in section.questions:
            where = f"questionnaire.yaml: question '{q.key}'"
            spec = answers.get(q.key)
            if spec is None:
                problems.append(f"{where} is not an answer key of the vocabulary")
                continue
            if q.key in seen:
                problems.append(f"{where} is asked twice")
            if spec.type in ("one-of", "many-of"):
                if set(q.choices) != set(spec.values):
                    problems.append(f"{where}: choices must label exactly {', '.join(spec.values)}")
            elif q.choices:
                problems.append(f"{where}: a {spec.type} question takes no choices")
            if q.group and (q.group not in section.groups or spec.type != "bool"):
                problems.append(
                    f"{where}: group '{q.group}' must be a yes/no question in one of the "
                    f"section's groups ({', '.join(section.groups) or 'none'})"
                )
            if q.show_if is not None:
                for cond in (*q.show_if.all, *q.show_if.any):
                    problems += _check_condition(where, cond, kb)
                    if cond.key not in seen:
                        problems.append(f"{where}: show_if must name an earlier question")
                    if section.warning_signs and cond.key not in warning_keys:
                        problems.append(
                            f"{where}: a warning-sign question may only depend on warning signs"
                        )
            seen.add(q.key)
    return problems


def _check_content(kb: KnowledgeBase) -> None:
    """Cross-checks of the questionnaire and of when advice applies."""
    problems = _check_questionnaire(kb)
    known_ids = set(kb.contributors) | set(kb.concerns)
    levels: list[str] = []
    for advice in kb.advice.values():
        where = f"advice.yaml: {advice.id}"
        for conds in (advice.applies_when, advice.unsafe_when, advice.left_out_when):
            if conds is not None:
                for cond in (*conds.all, *conds.any):
                    problems += _check_condition(where, cond, kb)
        for target in advice.unsafe_with:
            if target not in known_ids:
                problems.append(f"{where}: unsafe_with names unknown id '{target}'")
        positions = kb.vocabulary.answers["sleep_position"].values
        for position in advice.for_sleep_positions:
            if position not in positions:
                problems.append(f"{where}: for_sleep_positions has no position '{position}'")
        if advice.for_triage is not None:
            levels.append(advice.for_triage)
        elif advice.addresses == ("general",) and advice.applies_when is None:
            problems.append(f"{where}: general advice needs applies_when (the answers behind it)")
    for level in ("soon", "urgent", "emergency"):
        if levels.count(level) != 1:
            problems.append(f"advice.yaml: need exactly one item with for_triage: {level}")
    if problems:
        raise KnowledgeError("the knowledge base is inconsistent:\n  - " + "\n  - ".join(problems))


@cache
def load_knowledge() -> KnowledgeBase:
    """Load, validate and cache the knowledge base shipped with the package.

    Raises :class:`~nightspine.errors.KnowledgeError` naming the file and item at fault.
    """
    files = _data_files()
    digest = hashlib.sha256()
    parsed: dict[str, Any] = {}
    for name, raw in files:
        digest.update(name.encode() + b"\0" + raw + b"\0")
        parsed[name] = _parse(name, raw)

    def need(name: str) -> Any:
        if name not in parsed:
            raise KnowledgeError(f"knowledge file {name} is missing from the package")
        return parsed[name]

    try:
        meta = Meta.model_validate(need("meta.yaml"))
        doctor = DoctorGuide.model_validate(need("doctor.yaml"))
    except ValidationError as exc:
        raise KnowledgeError(f"meta.yaml or doctor.yaml is invalid:\n{exc}") from exc
    try:
        questionnaire = Questionnaire.model_validate(need("questionnaire.yaml"))
    except ValidationError as exc:
        raise KnowledgeError(f"questionnaire.yaml is invalid:\n{exc}") from exc
    kb = KnowledgeBase(
        version=meta.version,
        checksum=digest.hexdigest(),
        meta=meta,
        vocabulary=assessment_vocabulary(),
        diary_vocabulary=diary_vocabulary(),
        sources=_sources(parsed),
        anatomy=_items(AnatomyTopic, "anatomy.yaml", need("anatomy.yaml")),
        concerns={c.id: c for c in _items(ConcernInfo, "concerns.yaml", need("concerns.yaml"))},
        contributors={
            c.id: c for c in _items(ContributorInfo, "contributors.yaml", need("contributors.yaml"))
        },
        warning_signs=_items(WarningSign, "warning_signs.yaml", need("warning_signs.yaml")),
        advice={a.id: a for a in _items(AdviceItem, "advice.yaml", need("advice.yaml"))},
        doctor=doctor,
        questionnaire=questionnaire,
    )
    _check_references(kb)
    _check_content(kb)
    return kb
